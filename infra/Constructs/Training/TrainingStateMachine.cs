using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.StepFunctions;
using Constructs;
using Pipeline.Infra.Compliance;
using Pipeline.Infra.Constructs.DataLake;
using Pipeline.Infra.Constructs.Observability;

namespace Pipeline.Infra.Constructs.Training;

/// <summary>
/// The Standard state machine "train" (<see cref="TrainingWorkflow"/>): execution data encrypted with a customer-managed
/// key, every event logged (with execution data) to an encrypted log group, X-Ray tracing, and a role that may start
/// only these queries and jobs, read only this group's packages and pass only the training role, only to SageMaker.
/// </summary>
public sealed class TrainingStateMachine : Construct
{
    /// <summary>Rules Step Functions manages to learn when a .sync SageMaker job ends (Step Functions developer guide, "SageMaker IAM policies").</summary>
    internal static readonly string[] SageMakerSyncRules =
        ["StepFunctionsGetEventsForSageMakerTrainingJobsRule", "StepFunctionsGetEventsForSageMakerTuningJobsRule"];

    /// <summary>Creates the state machine, its role and its log group.</summary>
    public TrainingStateMachine(Construct scope, string id, TrainingStateMachineProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        var stack = Stack.Of(this);
        LogGroup = new EncryptedLogGroup(this, "LogGroup", new EncryptedLogGroupProps
        {
            EncryptionKey = props.LogsKey,
            RetentionDays = props.LogRetentionDays,
            RemovalPolicy = props.LogRemovalPolicy,
        });

        var role = new Role(this, "Role", new RoleProps
        {
            AssumedBy = new ServicePrincipal("states.amazonaws.com", new ServicePrincipalOpts
            {
                Conditions = new Dictionary<string, object> { ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = stack.Account } },
            }),
            Description = "Training state machine: run the training queries and jobs, invoke its functions, register models, notify.",
        });
        GrantWorkflowPermissions(role, props, stack);

        StateMachine = new StateMachine(this, "Resource", new StateMachineProps
        {
            StateMachineType = StateMachineType.STANDARD,
            DefinitionBody = DefinitionBody.FromString(TrainingWorkflow.ToJson(props.Workflow)),
            Role = role,
            TracingEnabled = true,
            Logs = new LogOptions { Destination = LogGroup.LogGroup, Level = LogLevel.ALL, IncludeExecutionData = true },
            Comment = "Train, gate and register the pipeline's model.",
        });
        // CloudFormation's encryption settings, written at L1: CDK's helper would name the state machine in the role's
        // key conditions and so make the role depend on the state machine that depends on the role.
        ((CfnStateMachine)StateMachine.Node.DefaultChild!).EncryptionConfiguration = new CfnStateMachine.EncryptionConfigurationProperty
        {
            Type = "CUSTOMER_MANAGED_KMS_KEY",
            KmsKeyId = props.EncryptionKey.KeyArn,
            KmsDataKeyReusePeriodSeconds = 300,
        };

        var policy = (CfnResource)role.Node.FindChild("DefaultPolicy").Node.DefaultChild!;
        Suppressions.Nag(policy, new NagSuppression("AwsSolutions-IAM5",
            "Wildcards only where AWS supports nothing narrower or names are generated per run: CloudWatch Logs delivery and X-Ray (Resource *), sagemaker:ListTags and ListModelPackages (no resource scoping), training and tuning jobs named per run under the pipeline's job-name prefix, objects under the zones the queries read and write, and the tables of the catalog database Athena resolves.",
            "Resource::*", "regex:/^Resource::.*:training-job\\/[a-z0-9-]+-\\*$/", "regex:/^Resource::.*:hyper-parameter-tuning-job\\/[a-z0-9-]+-\\*$/",
            "regex:/^Resource::.*\\/(curated\\/[a-z0-9_]+|athena-results|training)\\/\\*$/", "regex:/^Resource::.*:model-package\\/.*\\/\\*$/"));
        Role = role;
    }

    /// <summary>The state machine.</summary>
    public StateMachine StateMachine { get; }

    /// <summary>The state machine's role.</summary>
    public IRole Role { get; }

    /// <summary>The execution log group.</summary>
    public EncryptedLogGroup LogGroup { get; }

    /// <summary>
    /// Lets <paramref name="grantee"/> take the data key that starting an execution of this (encrypted) state machine
    /// needs; combine with <c>GrantStartExecution</c>.
    /// </summary>
    /// <param name="grantee">Who starts executions.</param>
    /// <param name="key">The key the state machine is encrypted with.</param>
    public Grant GrantEncryptedStart(IGrantable grantee, Amazon.CDK.AWS.KMS.IKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Grant.AddToPrincipal(new GrantOnPrincipalOptions
        {
            Grantee = grantee,
            Actions = ["kms:GenerateDataKey"],
            ResourceArns = [key.KeyArn],
            Conditions = new Dictionary<string, IDictionary<string, object>>
            {
                ["StringEquals"] = new Dictionary<string, object> { ["kms:EncryptionContext:aws:states:stateMachineArn"] = StateMachine.StateMachineArn },
            },
        });
    }

    /// <summary>Executions that failed (sum over the period).</summary>
    public Metric MetricFailed(IMetricOptions? options = null) => StateMachine.MetricFailed(options);

    /// <summary>Executions that timed out (sum over the period).</summary>
    public Metric MetricTimedOut(IMetricOptions? options = null) => StateMachine.MetricTimedOut(options);

    private static void GrantWorkflowPermissions(Role role, TrainingStateMachineProps props, Stack stack)
    {
        string Arn(string service, string resource, string name, ArnFormat? format = null) => stack.FormatArn(new ArnComponents
        {
            Service = service,
            Resource = resource,
            ResourceName = name,
            ArnFormat = format ?? ArnFormat.SLASH_RESOURCE_NAME,
        });

        Statement(role, ["lambda:InvokeFunction"], props.PrepareRun.Function.FunctionArn, props.Evaluate.Function.FunctionArn);

        // Athena: the queries run in the workgroup, read the catalog and the curated zone, write results and channels.
        Statement(role, ["athena:GetQueryExecution", "athena:GetQueryResults", "athena:StartQueryExecution", "athena:StopQueryExecution"],
            Arn("athena", "workgroup", props.Workgroup.WorkGroup.Ref));
        Statement(role, ["athena:GetDataCatalog"], Arn("athena", "datacatalog", "AwsDataCatalog"));
        props.Catalog.GrantReadSchema(role);
        Statement(role, ["glue:GetDatabase", "glue:GetPartitions"], props.Catalog.CatalogArn, props.Catalog.DatabaseArn, props.Catalog.TableArn);
        props.Lake.GrantRead(role, props.Catalog.CuratedPath, LakeZones.AthenaResults);
        props.Lake.GrantWrite(role, LakeZones.AthenaResults, LakeZones.Training);

        // SageMaker: the run's jobs, the .sync rules, and the training role for SageMaker only.
        // Job names start with the run's prefix; a tuning job's own training jobs start with the tuning job's name.
        Statement(role, ["sagemaker:CreateTrainingJob", "sagemaker:DescribeTrainingJob", "sagemaker:StopTrainingJob"],
            Arn("sagemaker", "training-job", $"{props.JobNamePrefix}-*"));
        Statement(role, ["sagemaker:CreateHyperParameterTuningJob", "sagemaker:DescribeHyperParameterTuningJob", "sagemaker:StopHyperParameterTuningJob"],
            Arn("sagemaker", "hyper-parameter-tuning-job", $"{props.JobNamePrefix}-*"));
        Statement(role, ["sagemaker:ListTags"], "*");
        Statement(role, ["events:DescribeRule", "events:PutRule", "events:PutTargets"],
            [.. SageMakerSyncRules.Select(rule => Arn("events", "rule", rule))]);
        props.TrainingRole.GrantPassRole(role);
        props.Registry.GrantRegister(role);
        props.Registry.GrantRead(role);

        // Failures go to the alarm topic, encrypted through SNS with its key.
        Statement(role, ["sns:Publish"], props.AlarmTopic.TopicArn);
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["kms:Decrypt", "kms:GenerateDataKey"],
            Resources = [props.NotificationsKey.KeyArn],
            Conditions = new Dictionary<string, object>
            {
                ["StringEquals"] = new Dictionary<string, object> { ["kms:ViaService"] = $"sns.{stack.Region}.amazonaws.com" },
            },
        }));

        // Execution data is encrypted with the key for this account's state machines, and for their log deliveries
        // (Step Functions developer guide, "Data at rest encryption").
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["kms:Decrypt", "kms:GenerateDataKey"],
            Resources = [props.EncryptionKey.KeyArn],
            Conditions = new Dictionary<string, object>
            {
                ["StringLike"] = new Dictionary<string, object>
                {
                    ["kms:EncryptionContext:aws:states:stateMachineArn"] = Arn("states", "stateMachine", "*", ArnFormat.COLON_RESOURCE_NAME),
                },
            },
        }));
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["kms:GenerateDataKey"],
            Resources = [props.EncryptionKey.KeyArn],
            Conditions = new Dictionary<string, object>
            {
                ["StringLike"] = new Dictionary<string, object>
                {
                    ["kms:EncryptionContext:SourceArn"] = stack.FormatArn(new ArnComponents { Service = "logs", Resource = "*", ArnFormat = ArnFormat.NO_RESOURCE_NAME }),
                },
            },
        }));
    }

    private static void Statement(Role role, string[] actions, params string[] resources) =>
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps { Actions = actions, Resources = resources }));
}
