using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.Kinesis;
using Amazon.CDK.AWS.Lambda;

namespace Pipeline.Infra.Constructs.Ingestion;

/// <summary>Properties of <see cref="IngestionAlarms"/>.</summary>
public sealed record IngestionAlarmsProps
{
    /// <summary>The stream to watch.</summary>
    public required IStream Stream { get; init; }

    /// <summary>The delivery stream to watch; its buffering gives the freshness threshold.</summary>
    public required DeliveryStream Delivery { get; init; }

    /// <summary>The transform Lambda to watch.</summary>
    public required IFunction Transform { get; init; }

    /// <summary>Where every alarm notifies.</summary>
    public required IAlarmAction Action { get; init; }

    /// <summary>Minutes the oldest unread record may wait in the stream before the alarm fires.</summary>
    public required int IteratorAgeMinutes { get; init; }
}
