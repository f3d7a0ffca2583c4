using Amazon.CDK;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.SNS;
using Pipeline.Infra.Constructs.Catalog;
using Pipeline.Infra.Constructs.Functions;
using Pipeline.Infra.Constructs.Models;
using Pipeline.Infra.Constructs.Query;

namespace Pipeline.Infra.Constructs.Training;

/// <summary>Properties of <see cref="TrainingStateMachine"/>.</summary>
public sealed record TrainingStateMachineProps
{
    /// <summary>The definition's parameters (names, ARNs and settings).</summary>
    public required TrainingWorkflowParameters Workflow { get; init; }

    /// <summary>Start of the names of the jobs the runs create (the role may create only jobs so named).</summary>
    public required string JobNamePrefix { get; init; }

    /// <summary>The prepare-run function (plan and decide).</summary>
    public required DotnetFunction PrepareRun { get; init; }

    /// <summary>The evaluate function (the gate).</summary>
    public required DotnetFunction Evaluate { get; init; }

    /// <summary>The role training and tuning jobs run with (passed to SageMaker only).</summary>
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
    public required ITopic AlarmTopic { get; init; }

    /// <summary>The key of the alarm topic (publishing encrypts with it through SNS).</summary>
    public required IKey NotificationsKey { get; init; }

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
