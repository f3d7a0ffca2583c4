using Amazon.CDK;
using Constructs;
using Pipeline.Infra.Configuration;
using Pipeline.Infra.Constructs.Functions;
using Pipeline.Infra.Constructs.Query;
using Pipeline.Infra.Constructs.SageMaker;
using Pipeline.Infra.Constructs.Training;
using Pipeline.Infra.Sizing;

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

    /// <summary>
    /// Start of every training and tuning job name the pipeline creates (and of the training jobs a tuning job starts):
    /// the state machine may create and stop only jobs so named.
    /// </summary>
    public const string JobNamePrefix = "xgb";

    /// <summary>Creates the stack.</summary>
    public TrainingStack(Construct scope, string id, TrainingStackProps props)
        : base(scope, id, props)
    {
        ArgumentNullException.ThrowIfNull(props);
        var settings = props.Settings;
        var training = settings.Training;
        var removal = settings.RetainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

        var run = RunOptions(settings);

        PrepareRun = new PrepareRunFunction(this, "PrepareRun", new PrepareRunFunctionProps
        {
            Code = DotnetFunctionCode.FromProject(props.SourceRoot, PrepareRunProject),
            // The prepare-run function's source version (its code, the training logic, the runtime loop).
            CodeVersion = DotnetFunctionCode.SourceVersion(props.SourceRoot, PrepareRunProject),
            Lake = props.Lake,
            Catalog = props.Catalog,
            LookbackDays = training.LookbackDays,
            MinimumRows = training.MinimumRows,
            MinimumPositives = training.MinimumPositives,
            ValidationFraction = training.ValidationFraction,
            ScalePosWeight = training.ScalePosWeight,
            TunedHyperparameters = run.TunedHyperparameters,
            JobNamePrefix = JobNamePrefix,
            Vpc = props.Network.Vpc,
            Subnets = props.Network.IsolatedSubnets,
            LogsKey = props.Keys.Logs,
            LogRetentionDays = settings.Retention.LogDays,
            LogRemovalPolicy = removal,
            Tracing = settings.Network.Tracing,
            ReservedConcurrency = settings.Functions.ReservedConcurrency,
        });

        Evaluate = new EvaluateFunction(this, "Evaluate", new EvaluateFunctionProps
        {
            Code = DotnetFunctionCode.FromProject(props.SourceRoot, EvaluateProject),
            Lake = props.Lake,
            MinimumAuc = training.MinimumAuc,
            RegressionTolerance = training.RegressionTolerance,
            AutoApprove = training.AutoApprove,
            Vpc = props.Network.Vpc,
            Subnets = props.Network.IsolatedSubnets,
            LogsKey = props.Keys.Logs,
            LogRetentionDays = settings.Retention.LogDays,
            LogRemovalPolicy = removal,
            Tracing = settings.Network.Tracing,
            ReservedConcurrency = settings.Functions.ReservedConcurrency,
        });

        var jobSecurityGroup = new TrainingJobSecurityGroup(this, "JobSecurityGroup", new TrainingJobSecurityGroupProps
        {
            Vpc = props.Network.Vpc,
            InstanceCount = training.InstanceCount,
        });
        TrainingRole = new TrainingJobRole(this, "TrainingRole", new TrainingJobRoleProps
        {
            Lake = props.Lake,
            ModelsKey = props.Keys.Models,
            Image = AlgorithmImage.Xgboost(this, "Xgboost"),
            Vpc = props.Network.Vpc,
            Subnets = props.Network.IsolatedSubnets,
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
            RemovalPolicy = removal,
        });

        Workflow = new TrainingStateMachine(this, "Train", new TrainingStateMachineProps
        {
            Run = run,
            PrepareRun = PrepareRun,
            Evaluate = Evaluate.Function,
            TrainingRole = TrainingRole,
            Lake = props.Lake,
            Catalog = props.Catalog,
            Workgroup = Workgroup,
            ScanBytesPerQuery = scanBytes,
            Registry = props.Registry,
            AlarmTopic = props.AlarmTopic,
            EncryptionKey = props.Keys.Models,
            LogsKey = props.Keys.Logs,
            LogRetentionDays = settings.Retention.LogDays,
            LogRemovalPolicy = removal,
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
    public PrepareRunFunction PrepareRun { get; }

    /// <summary>The evaluate Lambda.</summary>
    public EvaluateFunction Evaluate { get; }

    /// <summary>The role training jobs run with.</summary>
    public TrainingJobRole TrainingRole { get; }

    /// <summary>The Athena workgroup the training queries run in.</summary>
    public QueryWorkgroup Workgroup { get; }

    /// <summary>The training state machine.</summary>
    public TrainingStateMachine Workflow { get; }

    /// <summary>What the training runs do, from the configuration.</summary>
    internal static TrainingRunOptions RunOptions(PipelineSettings settings)
    {
        var training = settings.Training;
        var tuning = training.Tuning;
        return new TrainingRunOptions
        {
            InstanceType = training.InstanceType,
            InstanceCount = training.InstanceCount,
            EncryptVolume = !InstanceStorage.IsLocalNvme(training.InstanceType),
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
        };
    }

    private static string Scaling(HyperparameterRange range) =>
        range.Scaling == HyperparameterScaling.Logarithmic ? "Logarithmic" : "Linear";
}
