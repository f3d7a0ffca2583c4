using Amazon.CDK;
using Amazon.CDK.AWS.Events;
using Constructs;
using Pipeline.Infra.Compliance;
using Pipeline.Infra.Constructs.DataLake;
using Pipeline.Infra.Constructs.Workflows;

namespace Pipeline.Infra.Constructs.Training;

/// <summary>
/// The Standard state machine "train" (<see cref="TrainingWorkflow"/>), encrypted, logged and traced like every workflow
/// of the app (<see cref="EncryptedStateMachine"/>), with a role that may start only these queries and jobs, read only
/// this group's packages and pass only the training role, only to SageMaker.
/// </summary>
public sealed class TrainingStateMachine : EncryptedStateMachine
{
    /// <summary>Rules Step Functions manages to learn when a .sync SageMaker job ends (Step Functions developer guide, "SageMaker IAM policies").</summary>
    internal static readonly string[] SageMakerSyncRules =
        ["StepFunctionsGetEventsForSageMakerTrainingJobsRule", "StepFunctionsGetEventsForSageMakerTuningJobsRule"];

    /// <summary>Creates the state machine, its role and its log group.</summary>
    public TrainingStateMachine(Construct scope, string id, TrainingStateMachineProps props)
        : base(scope, id, new EncryptedStateMachineProps
        {
            Definition = TrainingWorkflow.ToJson(Parameters(props ?? throw new ArgumentNullException(nameof(props)))),
            Comment = "Train, gate and register the pipeline's model.",
            RoleDescription = "Training state machine: run the training queries and jobs, invoke its functions, register models, notify.",
            EncryptionKey = props.EncryptionKey,
            LogsKey = props.LogsKey,
            LogRetentionDays = props.LogRetentionDays,
            LogRemovalPolicy = props.LogRemovalPolicy,
        })
    {
        props.Workgroup.RequireScanFits(props.ScanBytesPerQuery, "training queries");
        Allow(["lambda:InvokeFunction"], props.PrepareRun.Function.FunctionArn, props.Evaluate.FunctionArn);

        // Athena: the queries run in the workgroup, read the catalog and the curated zone, write results and channels.
        Allow(["athena:GetQueryExecution", "athena:GetQueryResults", "athena:StartQueryExecution", "athena:StopQueryExecution"],
            Arns.Format("athena", "workgroup", props.Workgroup.WorkGroup.Ref));
        Allow(["athena:GetDataCatalog"], Arns.Format("athena", "datacatalog", "AwsDataCatalog"));
        props.Catalog.GrantReadSchema(Role);
        Allow(["glue:GetDatabase", "glue:GetPartitions"], props.Catalog.CatalogArn, props.Catalog.DatabaseArn, props.Catalog.TableArn);
        props.Lake.GrantRead(Role, props.Catalog.CuratedPath, LakeZones.AthenaResults);
        props.Lake.GrantWrite(Role, LakeZones.AthenaResults, LakeZones.Training);

        // SageMaker: the run's jobs, the .sync rules, and the training role for SageMaker only.
        // Job names start with the run's prefix; a tuning job's own training jobs start with the tuning job's name.
        // Step Functions tags every job it starts through .sync, so creating one also needs AddTags on it
        // (Step Functions developer guide, "IAM policies for Amazon SageMaker AI"; aws-cdk issue 32294).
        Allow(["sagemaker:AddTags", "sagemaker:CreateTrainingJob", "sagemaker:DescribeTrainingJob", "sagemaker:StopTrainingJob"],
            Arns.Format("sagemaker", "training-job", $"{props.PrepareRun.JobNamePrefix}-*"));
        Allow(["sagemaker:AddTags", "sagemaker:CreateHyperParameterTuningJob", "sagemaker:DescribeHyperParameterTuningJob", "sagemaker:StopHyperParameterTuningJob"],
            Arns.Format("sagemaker", "hyper-parameter-tuning-job", $"{props.PrepareRun.JobNamePrefix}-*"));
        Allow(["sagemaker:ListTags"], "*");
        Allow(["events:DescribeRule", "events:PutRule", "events:PutTargets"],
            [.. SageMakerSyncRules.Select(rule => Arns.Format("events", "rule", rule))]);
        props.TrainingRole.GrantPassRole(Role);
        props.Registry.GrantRegister(Role);
        props.Registry.GrantRead(Role);

        // Failures go to the alarm topic, encrypted through SNS with its key.
        props.AlarmTopic.GrantPublish(Role);

        Suppressions.Nag(DefaultPolicy, new NagSuppression("AwsSolutions-IAM5",
            "Wildcards only where AWS supports nothing narrower or names are generated per run: CloudWatch Logs delivery and X-Ray (Resource *), sagemaker:ListTags and ListModelPackages (no resource scoping), training and tuning jobs named per run under the pipeline's job-name prefix, objects under the zones the queries read and write, and the tables of the catalog database Athena resolves.",
            "Resource::*", "regex:/^Resource::.*:training-job\\/[a-z0-9-]+-\\*$/", "regex:/^Resource::.*:hyper-parameter-tuning-job\\/[a-z0-9-]+-\\*$/",
            "regex:/^Resource::.*\\/(curated\\/[a-z0-9_]+|athena-results|training)\\/\\*$/", "regex:/^Resource::.*:model-package\\/.*\\/\\*$/"));
    }

    /// <summary>
    /// A rule, in <paramref name="scope"/> (ids <paramref name="id"/> and <c>{id}Role</c>), that starts a run with the
    /// configured defaults on <paramref name="expression"/> (the scheduled event itself is not a run request).
    /// </summary>
    /// <param name="scope">Where the rule and its role are created.</param>
    /// <param name="id">The rule's id.</param>
    /// <param name="expression">An EventBridge schedule expression, <c>cron(...)</c> or <c>rate(...)</c>.</param>
    public Rule StartOnSchedule(Construct scope, string id, string expression)
    {
        var schedule = new Rule(scope, id, new RuleProps
        {
            Description = "Starts a training run on the configured schedule.",
            Schedule = Schedule.Expression(expression),
            Targets = [StartTarget(scope, $"{id}Role", "EventBridge schedule: start training runs.", RuleTargetInput.FromObject(new Dictionary<string, object>()))],
        });
        Suppressions.Nag((CfnResource)schedule.Node.DefaultChild!, new NagSuppression("Serverless-EventBusDLQ",
            "The target starts the training state machine with an empty input. If EventBridge cannot start it after its retries, that run is skipped and the next scheduled run trains on a window that includes the same data; a dead-letter queue would hold only the empty scheduled event."));
        return schedule;
    }

    // The definition names every resource through the constructs it is given, so the ARNs cannot drift from the grants.
    private static TrainingWorkflowParameters Parameters(TrainingStateMachineProps props) => new()
    {
        PrepareRunFunctionArn = props.PrepareRun.Function.FunctionArn,
        EvaluateFunctionArn = props.Evaluate.FunctionArn,
        Workgroup = props.Workgroup.WorkGroup.Ref,
        ImageUri = props.TrainingRole.Image.ImageUri,
        TrainingRoleArn = props.TrainingRole.Role.RoleArn,
        SubnetIds = [.. props.TrainingRole.Subnets.Select(subnet => subnet.SubnetId)],
        SecurityGroupId = props.TrainingRole.SecurityGroup.SecurityGroupId,
        ModelsKeyArn = props.TrainingRole.ModelsKey.KeyArn,
        ModelPackageGroupName = props.Registry.GroupName,
        AlarmTopicArn = props.AlarmTopic.Topic.TopicArn,
        Run = props.Run,
    };
}
