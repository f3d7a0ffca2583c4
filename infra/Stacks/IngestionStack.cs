using Amazon.CDK;
using Constructs;
using Pipeline.Infra.Constructs.Functions;
using Pipeline.Infra.Constructs.Ingestion;

namespace Pipeline.Infra.Stacks;

/// <summary>
/// The stateless ingestion stack: the C# transform Lambda, the Firehose delivery stream from the Kinesis stream to the
/// lake, and the alarms on both. Holds no data of its own (only logs), so it can be replaced at any time.
/// </summary>
public sealed class IngestionStack : Stack
{
    /// <summary>Folder of the transform Lambda project, relative to the repository root.</summary>
    public const string TransformProject = "lambdas/Pipeline.Transform";

    /// <summary>Creates the stack.</summary>
    public IngestionStack(Construct scope, string id, IngestionStackProps props)
        : base(scope, id, props)
    {
        ArgumentNullException.ThrowIfNull(props);
        var settings = props.Settings;
        var logRemoval = settings.RetainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

        Transform = new TransformFunction(this, "Transform", new TransformFunctionProps
        {
            Code = DotnetFunctionCode.FromProject(props.SourceRoot, TransformProject),
            Vpc = props.Network.Vpc,
            Subnets = props.Network.IsolatedSubnets,
            LogsKey = props.Keys.Logs,
            LogRetentionDays = settings.Retention.LogDays,
            LogRemovalPolicy = logRemoval,
            Tracing = settings.Network.Tracing,
        });

        Delivery = new DeliveryStream(this, "Delivery", new DeliveryStreamProps
        {
            Source = props.Stream,
            Lake = props.Lake,
            Catalog = props.Catalog,
            Transform = Transform.Function,
            BufferIntervalSeconds = settings.Delivery.BufferIntervalSeconds,
            BufferSizeMiB = settings.Delivery.BufferSizeMiB,
            TransformBufferSizeMiB = settings.Delivery.TransformBufferSizeMiB,
            TransformBufferIntervalSeconds = settings.Delivery.TransformBufferIntervalSeconds,
            LogsKey = props.Keys.Logs,
            LogRetentionDays = settings.Retention.LogDays,
            LogRemovalPolicy = logRemoval,
        });

        Alarms = new IngestionAlarms(this, "Alarms", new IngestionAlarmsProps
        {
            Stream = props.Stream.Stream,
            Delivery = Delivery,
            Transform = Transform.Function,
            Action = props.AlarmTopic.Action,
            IteratorAgeMinutes = settings.Alarms.IteratorAgeMinutes,
        });
        _ = new CfnOutput(this, "DeliveryStreamName", new CfnOutputProps
        {
            Value = Delivery.DeliveryStreamName,
            Description = "Firehose delivery stream from the Kinesis stream to the lake (its metrics show records arriving).",
        });
    }

    /// <summary>The transform Lambda.</summary>
    public TransformFunction Transform { get; }

    /// <summary>The Firehose delivery stream.</summary>
    public DeliveryStream Delivery { get; }

    /// <summary>The ingestion alarms.</summary>
    public IngestionAlarms Alarms { get; }
}
