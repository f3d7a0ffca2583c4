using System.Globalization;
using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.Events;
using Constructs;
using Pipeline.Infra.Compliance;
using Pipeline.Infra.Constructs.DataLake;
using Pipeline.Infra.Constructs.Workflows;
using Pipeline.Schema;

namespace Pipeline.Infra.Constructs.Serving;

/// <summary>
/// Drift monitoring of the served model: the "drift" state machine (<see cref="DriftWorkflow"/>), encrypted, logged and
/// traced like every workflow, whose role may read only the registry's packages, query only the capture table in its
/// workgroup and invoke only the drift function; its schedule; and the alarms on the metrics the function publishes
/// (largest PSI at the alarm threshold, any schema violation). The schedule and the drift alarms exist only while a
/// model is served, so monitoring costs nothing idle.
/// </summary>
public sealed class DriftMonitor : EncryptedStateMachine
{
    /// <summary>Creates the state machine, its role, its log group, its schedule and its alarms.</summary>
    public DriftMonitor(Construct scope, string id, DriftMonitorProps props)
        : base(scope, id, Machine(props))
    {
        props.Workgroup.RequireScanFits(props.ScanBytesPerQuery, "drift window queries");
        Function = props.Function;
        EndpointName = props.Function.EndpointName;
        var alarmAction = props.AlarmTopic.Action;

        Allow(["lambda:InvokeFunction"], props.Function.Function.FunctionArn);
        // Only the served version is described: no listing.
        Allow(["sagemaker:DescribeModelPackage"], props.Registry.PackagesArn);
        Allow(["athena:GetQueryExecution", "athena:GetQueryResults", "athena:StartQueryExecution", "athena:StopQueryExecution"],
            Arns.Format("athena", "workgroup", props.Workgroup.WorkGroup.Ref));
        Allow(["athena:GetDataCatalog"], Arns.Format("athena", "datacatalog", "AwsDataCatalog"));
        props.Capture.GrantQuery(Role);
        props.Lake.GrantRead(Role, LakeZones.AthenaResults);
        props.Lake.GrantWrite(Role, LakeZones.AthenaResults);
        props.AlarmTopic.GrantPublish(Role);
        Suppressions.Nag(DefaultPolicy, new NagSuppression("AwsSolutions-IAM5",
            "Wildcards only where AWS supports nothing narrower or names are generated: CloudWatch Logs delivery and X-Ray (Resource *), DescribeModelPackage on the versions of the pipeline's own group, whose version numbers are assigned at registration, and objects under the capture and query-result zones, whose keys carry hours and query ids.",
            "Resource::*", "regex:/^Resource::.*:model-package\\/.*\\/\\*$/", "regex:/^Resource::.*\\/(data-capture|athena-results)\\/\\*$/"));

        if (props.Schedule is { } expression)
        {
            Schedule = new Rule(this, "Schedule", new RuleProps
            {
                Description = "Starts a drift run on the configured schedule while a model is served.",
                Schedule = Amazon.CDK.AWS.Events.Schedule.Expression(expression),
                Targets = [StartTarget(this, "ScheduleRole", "EventBridge schedule: start drift runs.", RuleTargetInput.FromObject(new Dictionary<string, object>()))],
            });
            var rule = (CfnResource)Schedule.Node.DefaultChild!;
            rule.CfnOptions.Condition = props.Serving;
            Suppressions.Nag(rule, new NagSuppression("Serverless-EventBusDLQ",
                "The target starts the drift state machine with an empty input. If EventBridge cannot start it after its retries, that window goes unjudged and the next run judges the next one; its window can be judged by hand (README, Serving); a dead-letter queue would hold only the empty scheduled event."));
        }

        var period = Duration.Hours(props.Function.WindowHours);
        DriftAlarm = Conditional(new Alarm(this, "DriftAlarm", new AlarmProps
        {
            Metric = MetricMaxPsi(new MetricOptions { Period = period }),
            Threshold = props.Function.PsiAlarm,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            EvaluationPeriods = 1,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
            AlarmDescription = string.Create(CultureInfo.InvariantCulture,
                $"A feature's (or the scores') PSI reached {props.Function.PsiAlarm} against the served model's training data: read the run's report under drift/{EndpointName}/ in the lake, check the producers, and retrain on recent data (README, Drift monitoring)."),
        }), props.Serving, alarmAction);
        ViolationsAlarm = Conditional(new Alarm(this, "SchemaViolationsAlarm", new AlarmProps
        {
            Metric = MetricSchemaViolations(new MetricOptions { Period = period }),
            Threshold = 0,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
            EvaluationPeriods = 1,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
            AlarmDescription = $"Captured requests broke the model's input schema (fields missing or unknown, values not numbers): read the run's report under drift/{EndpointName}/ in the lake and fix the client that sends them.",
        }), props.Serving, alarmAction);
        foreach (var alarm in AlarmOnFailures(this, "Runs", alarmAction,
            "A drift run failed: the served model has no baseline, or a query or the function failed (the run's failure message is on the alarm topic).",
            string.Create(CultureInfo.InvariantCulture, $"A drift run did not finish within {props.TimeoutMinutes} minutes.")))
        {
            ((CfnResource)alarm.Node.DefaultChild!).CfnOptions.Condition = props.Serving;
        }
    }

    /// <summary>The function that plans and judges each window.</summary>
    public DriftFunction Function { get; }

    /// <summary>The endpoint whose captured requests are judged.</summary>
    public string EndpointName { get; }

    /// <summary>The schedule (none when <c>drift.schedule</c> is disabled); it exists only while a model is served.</summary>
    public Rule? Schedule { get; }

    /// <summary>The alarm on the largest PSI of a window.</summary>
    public Alarm DriftAlarm { get; }

    /// <summary>The alarm on requests that broke the schema.</summary>
    public Alarm ViolationsAlarm { get; }

    /// <summary>The largest PSI of a judged window (maximum over the period).</summary>
    public Metric MetricMaxPsi(IMetricOptions? options = null) => Metric(DriftContract.MaxPsiMetric, Stats.MAXIMUM, options);

    /// <summary>Captured requests that broke the schema (sum over the period).</summary>
    public Metric MetricSchemaViolations(IMetricOptions? options = null) => Metric(DriftContract.SchemaViolationsMetric, Stats.SUM, options);

    /// <summary>Captured requests judged (sum over the period).</summary>
    public Metric MetricCapturedRequests(IMetricOptions? options = null) => Metric(DriftContract.CapturedRequestsMetric, Stats.SUM, options);

    private Metric Metric(string name, string statistic, IMetricOptions? options) => new(new MetricProps
    {
        Namespace = DriftContract.MetricNamespace,
        MetricName = name,
        DimensionsMap = new Dictionary<string, string> { [DriftContract.EndpointDimension] = EndpointName },
        Statistic = options?.Statistic ?? statistic,
        Period = options?.Period ?? Duration.Days(1),
        Label = options?.Label,
    });

    // Alarms bill by the month whether or not their metric has data.
    private static Alarm Conditional(Alarm alarm, CfnCondition serving, IAlarmAction action)
    {
        alarm.AddAlarmAction(action);
        ((CfnResource)alarm.Node.DefaultChild!).CfnOptions.Condition = serving;
        return alarm;
    }

    private static EncryptedStateMachineProps Machine(DriftMonitorProps props)
    {
        ArgumentNullException.ThrowIfNull(props);
        return new EncryptedStateMachineProps
        {
            Definition = DriftWorkflow.ToJson(new DriftWorkflowParameters
            {
                ServedModelPackageArn = props.ServedModelPackageArn,
                DriftFunctionArn = props.Function.Function.FunctionArn,
                Workgroup = props.Workgroup.WorkGroup.Ref,
                AlarmTopicArn = props.AlarmTopic.Topic.TopicArn,
                TimeoutSeconds = props.TimeoutMinutes * 60,
            }),
            Comment = "Judge the endpoint's captured requests against the served model's training-time baseline.",
            RoleDescription = "Drift state machine: read the served package's baseline location, query the capture table, invoke the drift function, notify.",
            EncryptionKey = props.EncryptionKey,
            LogsKey = props.LogsKey,
            LogRetentionDays = props.LogRetentionDays,
            LogRemovalPolicy = props.LogRemovalPolicy,
        };
    }
}
