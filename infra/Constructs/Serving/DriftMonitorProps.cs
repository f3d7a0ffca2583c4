using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.SNS;
using Pipeline.Infra.Configuration;
using Pipeline.Infra.Constructs.Catalog;
using Pipeline.Infra.Constructs.Models;
using Pipeline.Infra.Constructs.Functions;
using Pipeline.Infra.Constructs.Query;

namespace Pipeline.Infra.Constructs.Serving;

/// <summary>Properties of <see cref="DriftMonitor"/>.</summary>
public sealed record DriftMonitorProps
{
    /// <summary>The served model package version: the serving stack's parameter, empty while nothing is served.</summary>
    public required string ServedModelPackageArn { get; init; }

    /// <summary>Whether a model is served: the schedule and the drift alarms exist only then, so drift costs nothing idle.</summary>
    public required CfnCondition Serving { get; init; }

    /// <summary>The endpoint whose captured requests are judged.</summary>
    public required string EndpointName { get; init; }

    /// <summary>The registry the served package belongs to (its baseline location is read from it).</summary>
    public required ModelRegistry Registry { get; init; }

    /// <summary>The lake: baselines are read from its models zone, reports written to its drift zone.</summary>
    public required DataLake.DataLake Lake { get; init; }

    /// <summary>The table over the endpoint's data capture.</summary>
    public required CaptureTable Capture { get; init; }

    /// <summary>When runs start, the window, and the thresholds.</summary>
    public required DriftSettings Settings { get; init; }

    /// <summary>The drift function (plan and assess).</summary>
    public required DotnetFunction Function { get; init; }

    /// <summary>The workgroup the window query runs in.</summary>
    public required QueryWorkgroup Workgroup { get; init; }

    /// <summary>The most one window query scans, in bytes: the workgroup must allow it.</summary>
    public required long ScanBytesPerQuery { get; init; }

    /// <summary>Where the drift alarms and the workflow's failure alarm notify.</summary>
    public required IAlarmAction AlarmAction { get; init; }

    /// <summary>The topic failures are published to.</summary>
    public required ITopic AlarmTopic { get; init; }

    /// <summary>The key of the alarm topic (publishing encrypts with it through SNS).</summary>
    public required IKey NotificationsKey { get; init; }

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
