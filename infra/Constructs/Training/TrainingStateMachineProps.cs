using Amazon.CDK;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.Lambda;
using Pipeline.Infra.Constructs.Catalog;
using Pipeline.Infra.Constructs.Models;
using Pipeline.Infra.Constructs.Observability;
using Pipeline.Infra.Constructs.Query;

namespace Pipeline.Infra.Constructs.Training;

/// <summary>Properties of <see cref="TrainingStateMachine"/>.</summary>
public sealed record TrainingStateMachineProps
{
    /// <summary>What the runs do: jobs, tuning, registration and the execution's bound.</summary>
    public required TrainingRunOptions Run { get; init; }

    /// <summary>The prepare-run function (plan and decide); the role may create only jobs named with its prefix.</summary>
    public required PrepareRunFunction PrepareRun { get; init; }

    /// <summary>The evaluate function (the gate).</summary>
    public required IFunction Evaluate { get; init; }

    /// <summary>
    /// The role training and tuning jobs run with (passed to SageMaker only), and with it where they run: its subnets,
    /// security group, image and models key.
    /// </summary>
    public required TrainingJobRole TrainingRole { get; init; }

    /// <summary>The lake: queries read the curated zone and write results and the training channels.</summary>
    public required DataLake.DataLake Lake { get; init; }

    /// <summary>The catalog the queries read.</summary>
    public required DataCatalog Catalog { get; init; }

    /// <summary>The workgroup the queries run in.</summary>
    public required QueryWorkgroup Workgroup { get; init; }

    /// <summary>
    /// The most one training query scans, in bytes (<c>TrainingScan.BytesPerQuery</c>): the workgroup's per-query limit
    /// must hold it, or Athena cancels the training queries.
    /// </summary>
    public required long ScanBytesPerQuery { get; init; }

    /// <summary>The registry models are registered in and the champion is read from.</summary>
    public required ModelRegistry Registry { get; init; }

    /// <summary>The topic failures are published to.</summary>
    public required AlarmTopic AlarmTopic { get; init; }

    /// <summary>The key execution data (inputs, outputs, history) is encrypted with.</summary>
    public required IKey EncryptionKey { get; init; }

    /// <summary>Key for the execution log group.</summary>
    public required IKey LogsKey { get; init; }

    /// <summary>Log retention in days (a CloudWatch Logs value of at least a year).</summary>
    public required int LogRetentionDays { get; init; }

    /// <summary>What happens to the log group when the stack is deleted.</summary>
    /// <value>Default: <see cref="RemovalPolicy.RETAIN"/>.</value>
    public RemovalPolicy LogRemovalPolicy { get; init; } = RemovalPolicy.RETAIN;
}
