using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.Events;
using Amazon.CDK.AWS.Events.Targets;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.StepFunctions;
using Constructs;
using Pipeline.Infra.Constructs.Observability;
using Pipeline.Infra.Constructs.Security;

namespace Pipeline.Infra.Constructs.Workflows;

/// <summary>
/// A Standard state machine as this app runs every workflow: execution data encrypted with a customer-managed key, every
/// event logged (with execution data) to an encrypted log group, X-Ray tracing, and a role that only this account's
/// Step Functions may assume. Subclasses add the permissions their definition needs.
/// </summary>
public abstract class EncryptedStateMachine : Construct
{
    private static readonly MetricOptions FiveMinuteSum = new() { Period = Duration.Minutes(5), Statistic = Stats.SUM };

    private readonly IKey encryptionKey;

    /// <summary>Creates the state machine, its role and its log group.</summary>
    protected EncryptedStateMachine(Construct scope, string id, EncryptedStateMachineProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        encryptionKey = props.EncryptionKey;
        LogGroup = new EncryptedLogGroup(this, "LogGroup", new EncryptedLogGroupProps
        {
            // Step Functions delivers logs through CloudWatch Logs' vended-logs service, which adds every log group it
            // delivers to outside this prefix to one account-wide resource policy of limited size
            // (Step Functions developer guide, "Logging using CloudWatch Logs").
            NamePrefix = "/aws/vendedlogs/states/",
            EncryptionKey = props.LogsKey,
            RetentionDays = props.LogRetentionDays,
            RemovalPolicy = props.LogRemovalPolicy,
        });

        var role = new Role(this, "Role", new RoleProps
        {
            // https://docs.aws.amazon.com/step-functions/latest/dg/procedure-create-iam-role.html#prevent-cross-service-confused-deputy
            AssumedBy = TrustedService.Principal("states.amazonaws.com", "states", "stateMachine:*"),
            Description = props.RoleDescription,
        });
        Role = role;
        GrantExecutionDataKey(role, props.EncryptionKey);

        StateMachine = new StateMachine(this, "Resource", new StateMachineProps
        {
            StateMachineType = StateMachineType.STANDARD,
            DefinitionBody = DefinitionBody.FromString(props.Definition),
            Role = role,
            TracingEnabled = true,
            Logs = new LogOptions { Destination = LogGroup.LogGroup, Level = LogLevel.ALL, IncludeExecutionData = true },
            Comment = props.Comment,
        });
        // CloudFormation's encryption settings, written at L1: CDK's helper would name the state machine in the role's
        // key conditions and so make the role depend on the state machine that depends on the role.
        ((CfnStateMachine)StateMachine.Node.DefaultChild!).EncryptionConfiguration = new CfnStateMachine.EncryptionConfigurationProperty
        {
            Type = "CUSTOMER_MANAGED_KMS_KEY",
            KmsKeyId = props.EncryptionKey.KeyArn,
            KmsDataKeyReusePeriodSeconds = 300,
        };
    }

    /// <summary>The state machine.</summary>
    public StateMachine StateMachine { get; }

    /// <summary>The state machine's role.</summary>
    public IRole Role { get; }

    /// <summary>The execution log group.</summary>
    public EncryptedLogGroup LogGroup { get; }

    /// <summary>The CloudFormation resource of the role's default policy (where policy findings are suppressed).</summary>
    protected CfnResource DefaultPolicy => (CfnResource)Role.Node.FindChild("DefaultPolicy").Node.DefaultChild!;

    /// <summary>
    /// Lets <paramref name="grantee"/> take the data key that starting an execution of this (encrypted) state machine
    /// needs; combine with <c>StateMachine.GrantStartExecution</c>.
    /// </summary>
    /// <param name="grantee">Who starts executions.</param>
    public Grant GrantEncryptedStart(IGrantable grantee) => Grant.AddToPrincipal(new GrantOnPrincipalOptions
    {
        Grantee = grantee,
        Actions = ["kms:GenerateDataKey"],
        ResourceArns = [encryptionKey.KeyArn],
        Conditions = new Dictionary<string, IDictionary<string, object>>
        {
            ["StringEquals"] = new Dictionary<string, object> { ["kms:EncryptionContext:aws:states:stateMachineArn"] = StateMachine.StateMachineArn },
        },
    });

    /// <summary>
    /// An EventBridge rule target that starts an execution with <paramref name="input"/>, through a new role in
    /// <paramref name="scope"/> that only this account's EventBridge may assume and that may start only this state
    /// machine, with its data key.
    /// </summary>
    /// <param name="scope">Where the role is created.</param>
    /// <param name="roleId">The role's id.</param>
    /// <param name="roleDescription">The role's description.</param>
    /// <param name="input">The execution's input.</param>
    public SfnStateMachine StartTarget(Construct scope, string roleId, string roleDescription, RuleTargetInput input)
    {
        var role = new Role(scope, roleId, new RoleProps
        {
            // The source is the rule, whose ARN the role cannot name (the rule names the role):
            // https://docs.aws.amazon.com/eventbridge/latest/userguide/cross-service-confused-deputy-prevention.html
            AssumedBy = TrustedService.Principal("events.amazonaws.com", "events", "rule/*"),
            Description = roleDescription,
        });
        StateMachine.GrantStartExecution(role);
        GrantEncryptedStart(role);
        return new SfnStateMachine(StateMachine, new SfnStateMachineProps { Input = input, Role = role });
    }

    /// <summary>Executions that failed (sum over the period).</summary>
    public Metric MetricFailed(IMetricOptions? options = null) => StateMachine.MetricFailed(options);

    /// <summary>Executions that timed out (sum over the period).</summary>
    public Metric MetricTimedOut(IMetricOptions? options = null) => StateMachine.MetricTimedOut(options);

    /// <summary>
    /// Alarms, in <paramref name="scope"/>, on any failed and any timed-out execution within five minutes, each notifying
    /// <paramref name="action"/>.
    /// </summary>
    /// <param name="scope">Where the alarms are created (ids <c>{prefix}Failed</c> and <c>{prefix}TimedOut</c>).</param>
    /// <param name="prefix">Start of the alarms' ids.</param>
    /// <param name="action">What the alarms notify.</param>
    /// <param name="failed">Description of the failed-executions alarm.</param>
    /// <param name="timedOut">Description of the timed-out-executions alarm.</param>
    public IReadOnlyList<Alarm> AlarmOnFailures(Construct scope, string prefix, IAlarmAction action, string failed, string timedOut) =>
        [AlarmOnFailed(scope, $"{prefix}Failed", action, failed), AnyInPeriod(scope, $"{prefix}TimedOut", MetricTimedOut(FiveMinuteSum), timedOut, action)];

    /// <summary>An alarm, in <paramref name="scope"/>, on any failed execution within five minutes, notifying <paramref name="action"/>.</summary>
    public Alarm AlarmOnFailed(Construct scope, string id, IAlarmAction action, string description) =>
        AnyInPeriod(scope, id, MetricFailed(FiveMinuteSum), description, action);

    /// <summary>Allows <paramref name="actions"/> on <paramref name="resources"/> to the state machine's role.</summary>
    protected void Allow(string[] actions, params string[] resources) =>
        Grant.AddToPrincipal(new GrantOnPrincipalOptions { Grantee = Role, Actions = actions, ResourceArns = resources });

    // Execution data is encrypted with the key for this account's state machines, and for their log deliveries
    // (Step Functions developer guide, "Data at rest encryption").
    private static void GrantExecutionDataKey(Role role, IKey key)
    {
        Grant.AddToPrincipal(new GrantOnPrincipalOptions
        {
            Grantee = role,
            Actions = ["kms:Decrypt", "kms:GenerateDataKey"],
            ResourceArns = [key.KeyArn],
            Conditions = new Dictionary<string, IDictionary<string, object>>
            {
                ["StringLike"] = new Dictionary<string, object>
                {
                    ["kms:EncryptionContext:aws:states:stateMachineArn"] = Arns.Format("states", "stateMachine", "*", ':'),
                },
            },
        });
        Grant.AddToPrincipal(new GrantOnPrincipalOptions
        {
            Grantee = role,
            Actions = ["kms:GenerateDataKey"],
            ResourceArns = [key.KeyArn],
            Conditions = new Dictionary<string, IDictionary<string, object>>
            {
                ["StringLike"] = new Dictionary<string, object>
                {
                    ["kms:EncryptionContext:SourceArn"] = Arns.Format("logs", "*"),
                },
            },
        });
    }

    /// <summary>An alarm, notifying <paramref name="action"/>, on any non-zero datapoint of <paramref name="metric"/> (missing data is fine).</summary>
    protected static Alarm AnyInPeriod(Construct scope, string id, IMetric metric, string description, IAlarmAction action)
    {
        var alarm = new Alarm(scope, id, new AlarmProps
        {
            Metric = metric,
            Threshold = 0,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
            EvaluationPeriods = 1,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
            AlarmDescription = description,
        });
        alarm.AddAlarmAction(action);
        return alarm;
    }
}
