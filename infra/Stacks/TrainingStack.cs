using System.Globalization;
using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Constructs;
using Pipeline.Infra.Configuration;
using Pipeline.Infra.Constructs.DataLake;
using Pipeline.Infra.Constructs.Functions;
using Pipeline.Infra.Sizing;
using Pipeline.Infra.Constructs.Query;
using Pipeline.Infra.Constructs.Training;

namespace Pipeline.Infra.Stacks;

/// <summary>
/// The stateless training stack: the prepare-run and evaluate Lambdas, the SageMaker training role and security group,
/// the "train" state machine, its schedule and its alarms. The registry it registers into lives with the stateful data.
/// </summary>
public sealed class TrainingStack : Stack
{
    /// <summary>Folder of the prepare-run Lambda project, relative to the repository root.</summary>
    public const string PrepareRunProject = "lambdas/Pipeline.PrepareRun";

    /// <summary>Folder of the evaluate Lambda project, relative to the repository root.</summary>
    public const string EvaluateProject = "lambdas/Pipeline.Evaluate";

    /// <summary>Folders of the projects the training functions reference, relative to the repository root.</summary>
    public static readonly string[] FunctionDependencies = ["src/Pipeline.Training", "src/Pipeline.Schema", "src/Pipeline.Lambda.Runtime", "src/Pipeline.Lambda.Storage"];

    /// <summary>
    /// Start of every training and tuning job name the pipeline creates (and of the training jobs a tuning job starts):
    /// the state machine may create and stop only jobs so named.
    /// </summary>
    public const string JobNamePrefix = "xgb";


    /// <summary>Training volume per instance: the channels are small CSV files; XGBoost holds them in memory.</summary>
    private const int VolumeSizeGb = 30;

    /// <summary>Creates the stack.</summary>
    public TrainingStack(Construct scope, string id, TrainingStackProps props)
        : base(scope, id, props)
    {
        ArgumentNullException.ThrowIfNull(props);
        var settings = props.Settings;
        var training = settings.Training;
        var logRemoval = settings.RetainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
        string Invariant(double value) => value.ToString("R", CultureInfo.InvariantCulture);
        string Integer(int value) => value.ToString(CultureInfo.InvariantCulture);

        DotnetFunctionProps Function(string project, string handler, string description, string purpose, string zone, Dictionary<string, string> environment) => new()
        {
            PolicyWildcards = new PolicyWildcards(
                $"The function writes this run's objects under the lake's {zone} zone, whose keys carry the run id, so object access needs the zone prefix wildcard.",
                $"regex:/^Resource::.*\\/{zone.TrimEnd('/')}\\/\\*$/"),
            Code = DotnetFunctionCode.FromProject(props.SourceRoot, project, FunctionDependencies),
            Handler = handler,
            Description = description,
            Purpose = purpose,
            SynchronousInvocation =
                "The training state machine invokes the function synchronously and retries transient failures; a failed invocation fails the run, which is reported to the alarm topic, so there is no asynchronous event to dead-letter.",
            Concurrency = FunctionConcurrency.ForWorkflow(settings.Functions.ReservedConcurrency),
            Vpc = props.Network.Vpc,
            Subnets = props.Network.IsolatedSubnets,
            LogsKey = props.Keys.Logs,
            LogRetentionDays = settings.Retention.LogDays,
            LogRemovalPolicy = logRemoval,
            ReachesS3 = true,
            Tracing = settings.Network.Tracing,
            Environment = environment,
        };

        PrepareRun = new DotnetFunction(this, "PrepareRun", Function(PrepareRunProject, "Pipeline.PrepareRun",
            "Plans a training run (window, queries, prefixes, manifest) and decides whether the data suffices.",
            "Training prepare-run Lambda",
            LakeZones.Models,
            new Dictionary<string, string>
            {
                ["LAKE_BUCKET"] = props.Lake.Bucket.BucketName,
                ["GLUE_DATABASE"] = props.Catalog.DatabaseName,
                ["GLUE_TABLE"] = props.Catalog.TableName,
                ["LOOKBACK_DAYS"] = Integer(training.LookbackDays),
                ["MINIMUM_ROWS"] = Integer(training.MinimumRows),
                ["MINIMUM_POSITIVES"] = Integer(training.MinimumPositives),
                ["VALIDATION_FRACTION"] = Invariant(training.ValidationFraction),
                ["SCALE_POS_WEIGHT"] = training.ScalePosWeight is { } weight ? Invariant(weight) : "auto",
                ["TUNED_HYPERPARAMETERS"] = "eta,max_depth,min_child_weight,subsample",
                ["JOB_NAME_PREFIX"] = JobNamePrefix,
                // The prepare-run function's source version (its code, the training logic in Core, the runtime loop).
                ["CODE_VERSION"] = DotnetFunctionCode.SourceVersion(props.SourceRoot, PrepareRunProject, FunctionDependencies),
            }));
        // The run manifest goes next to the run's model.
        props.Lake.GrantWrite(PrepareRun.Role, LakeZones.Models);

        Evaluate = new DotnetFunction(this, "Evaluate", Function(EvaluateProject, "Pipeline.Evaluate",
            "Gates a trained model on validation AUC and the current champion; writes the evaluation report.",
            "Training evaluate Lambda",
            LakeZones.Models,
            new Dictionary<string, string>
            {
                ["LAKE_BUCKET"] = props.Lake.Bucket.BucketName,
                ["MINIMUM_AUC"] = Invariant(training.MinimumAuc),
                ["REGRESSION_TOLERANCE"] = Invariant(training.RegressionTolerance),
                ["AUTO_APPROVE"] = training.AutoApprove ? "true" : "false",
            }));
        props.Lake.GrantWrite(Evaluate.Role, LakeZones.Models);

        // Training jobs run with network isolation; SageMaker moves their data through these ENIs to S3 (gateway endpoint).
        var jobSecurityGroup = new SecurityGroup(this, "JobSecurityGroup", new SecurityGroupProps
        {
            Vpc = props.Network.Vpc,
            Description = "SageMaker training jobs: no inbound; outbound HTTPS to S3 through the gateway endpoint",
            AllowAllOutbound = false,
        });
        jobSecurityGroup.AddEgressRule(Peer.AnyIpv4(), Port.Tcp(443), "HTTPS to S3 through the gateway endpoint (the only route out)");
        if (training.InstanceCount > 1)
        {
            // Distributed training: the instances of one job talk to each other (SageMaker developer guide, "train-vpc").
            jobSecurityGroup.AddIngressRule(jobSecurityGroup, Port.AllTraffic(), "Between the instances of one training job");
            jobSecurityGroup.AddEgressRule(jobSecurityGroup, Port.AllTraffic(), "Between the instances of one training job");
        }

        var jobSubnets = props.Network.Vpc.SelectSubnets(props.Network.IsolatedSubnets).Subnets;
        var image = AlgorithmImage.Xgboost(this, "Xgboost");
        TrainingRole = new TrainingJobRole(this, "TrainingRole", new TrainingJobRoleProps
        {
            Lake = props.Lake,
            ModelsKey = props.Keys.Models,
            Image = image,
            Vpc = props.Network.Vpc,
            Subnets = jobSubnets,
            SecurityGroup = jobSecurityGroup,
        });

        // The training queries run in their own workgroup, whose limit holds a whole window: the lake workgroup's limit
        // is sized for ad-hoc queries, and Athena cancels a query that scans more than its workgroup allows.
        var scanBytes = TrainingScan.BytesPerQuery(settings.Stream.RecordsPerSecond, settings.Stream.AverageRecordSizeKiB, training.LookbackDays, settings.Stream.HeadroomFactor);
        Workgroup = new QueryWorkgroup(this, "Queries", new QueryWorkgroupProps
        {
            Name = ResourceNames.For(settings).TrainingWorkgroup(ResourceNames.UniqueSuffix(this)),
            Lake = props.Lake,
            BytesScannedCutoff = scanBytes,
            RemovalPolicy = settings.RetainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
        });

        var tuning = training.Tuning;
        Workflow = new TrainingStateMachine(this, "Train", new TrainingStateMachineProps
        {
            Workflow = new TrainingWorkflowParameters
            {
                PrepareRunFunctionArn = PrepareRun.Function.FunctionArn,
                EvaluateFunctionArn = Evaluate.Function.FunctionArn,
                Workgroup = Workgroup.WorkGroup.Ref,
                ImageUri = image.ImageUri,
                TrainingRoleArn = TrainingRole.Role.RoleArn,
                SubnetIds = [.. jobSubnets.Select(subnet => subnet.SubnetId)],
                SecurityGroupId = jobSecurityGroup.SecurityGroupId,
                ModelsKeyArn = props.Keys.Models.KeyArn,
                ModelPackageGroupName = props.Registry.GroupName,
                AlarmTopicArn = props.AlarmTopic.Topic.TopicArn,
                InstanceType = training.InstanceType,
                InstanceCount = training.InstanceCount,
                VolumeSizeGb = VolumeSizeGb,
                MaxRuntimeSeconds = training.MaxRuntimeMinutes * 60,
                MaxWaitSeconds = training.UseSpot ? training.MaxWaitMinutes * 60 : null,
                TuneByDefault = tuning.Enabled,
                TuningMaxJobs = tuning.MaxJobs,
                TuningMaxParallelJobs = tuning.MaxParallelJobs,
                ContinuousRanges =
                [
                    ("eta", tuning.Eta.Min, tuning.Eta.Max, Scaling(tuning.Eta)),
                    ("min_child_weight", tuning.MinChildWeight.Min, tuning.MinChildWeight.Max, Scaling(tuning.MinChildWeight)),
                    ("subsample", tuning.Subsample.Min, tuning.Subsample.Max, Scaling(tuning.Subsample)),
                ],
                IntegerRanges = [("max_depth", (int)tuning.MaxDepth.Min, (int)tuning.MaxDepth.Max)],
                InferenceInstanceType = settings.Endpoint.InstanceType,
                TimeoutSeconds = training.ExecutionTimeoutMinutes * 60,
            },
            JobNamePrefix = JobNamePrefix,
            PrepareRun = PrepareRun,
            Evaluate = Evaluate,
            TrainingRole = TrainingRole,
            Lake = props.Lake,
            Catalog = props.Catalog,
            Workgroup = Workgroup,
            ScanBytesPerQuery = scanBytes,
            Registry = props.Registry,
            AlarmTopic = props.AlarmTopic.Topic,
            NotificationsKey = props.Keys.Notifications,
            EncryptionKey = props.Keys.Models,
            LogsKey = props.Keys.Logs,
            LogRetentionDays = settings.Retention.LogDays,
            LogRemovalPolicy = logRemoval,
        });

        if (!string.Equals(training.Schedule, "disabled", StringComparison.Ordinal))
        {
            Workflow.StartOnSchedule(this, "Schedule", training.Schedule);
        }

        Workflow.AlarmOnFailures(this, "Runs", props.AlarmTopic.Action,
            "A training run failed: not enough data, a rejected model, or an error (the run's failure message is on the alarm topic).",
            "A training run exceeded training.executionTimeoutMinutes.");

        _ = new CfnOutput(this, "TrainStateMachineArn", new CfnOutputProps
        {
            Value = Workflow.StateMachine.StateMachineArn,
            Description = "Start a training run: aws stepfunctions start-execution --state-machine-arn <this> [--input '{\"window\":{\"from\":\"yyyy-MM-dd\",\"to\":\"yyyy-MM-dd\"},\"tuning\":false}']",
        });
    }

    /// <summary>The prepare-run Lambda.</summary>
    public DotnetFunction PrepareRun { get; }

    /// <summary>The evaluate Lambda.</summary>
    public DotnetFunction Evaluate { get; }

    /// <summary>The role training jobs run with.</summary>
    public TrainingJobRole TrainingRole { get; }


    /// <summary>The Athena workgroup the training queries run in.</summary>
    public QueryWorkgroup Workgroup { get; }

    /// <summary>The training state machine.</summary>
    public TrainingStateMachine Workflow { get; }

    private static string Scaling(HyperparameterRange range) =>
        range.Scaling == HyperparameterScaling.Logarithmic ? "Logarithmic" : "Linear";
}
