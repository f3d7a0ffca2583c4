using Amazon.CDK;
using Amazon.CDK.AWS.KMS;
using Pipeline.Infra.Constructs.Catalog;
using Pipeline.Infra.Constructs.Models;
using Pipeline.Infra.Constructs.Observability;
using Pipeline.Infra.Constructs.Query;

namespace Pipeline.Infra.Constructs.Serving;

/// <summary>Properties of <see cref="DriftMonitor"/>.</summary>
public sealed record DriftMonitorProps
{
    /// <summary>The served model package version: the serving stack's parameter, empty while nothing is served.</summary>
    public required string ServedModelPackageArn { get; init; }

    /// <summary>Whether a model is served: the schedule and the drift alarms exist only then, so drift costs nothing idle.</summary>
    public required CfnCondition Serving { get; init; }

    /// <summary>
    /// The drift function (plan and assess). The endpoint it judges, its window and its alarm threshold are the
    /// monitor's too: the alarms watch the metrics it publishes.
    /// </summary>
    public required DriftFunction Function { get; init; }

    /// <summary>The registry the served package belongs to (its baseline location is read from it).</summary>
    public required ModelRegistry Registry { get; init; }

    /// <summary>The lake: the window query's results are written to its Athena-results zone.</summary>
    public required DataLake.DataLake Lake { get; init; }

    /// <summary>The table over the endpoint's data capture the window query reads.</summary>
    public required CaptureTable Capture { get; init; }

    /// <summary>When runs start while a model is served: an EventBridge schedule expression.</summary>
    /// <value>Default: null: no schedule; runs start on demand only.</value>
    public string? Schedule { get; init; }

    /// <summary>The bound on one run, in minutes (a run that takes longer times out and alarms).</summary>
    public required int TimeoutMinutes { get; init; }

    /// <summary>The workgroup the window query runs in.</summary>
    public required QueryWorkgroup Workgroup { get; init; }

    /// <summary>The most one window query scans, in bytes: the workgroup must allow it.</summary>
    public required long ScanBytesPerQuery { get; init; }

    /// <summary>The topic the drift alarms and the runs' failures notify.</summary>
    public required AlarmTopic AlarmTopic { get; init; }

    /// <summary>The key execution data (inputs, outputs, history) is encrypted with.</summary>
    public required IKey EncryptionKey { get; init; }

    /// <summary>Key for the log groups.</summary>
    public required IKey LogsKey { get; init; }

    /// <summary>Log retention in days (a CloudWatch Logs value of at least a year).</summary>
    public required int LogRetentionDays { get; init; }

    /// <summary>What happens to the execution log group when the stack is deleted.</summary>
    /// <value>Default: <see cref="RemovalPolicy.RETAIN"/>.</value>
    public RemovalPolicy LogRemovalPolicy { get; init; } = RemovalPolicy.RETAIN;
}
