using Amazon.CDK.AWS.CloudWatch;
using Pipeline.Infra.Configuration;

namespace Pipeline.Infra.Constructs.Ingestion;

/// <summary>Properties of <see cref="IngestionAlarms"/>.</summary>
public sealed record IngestionAlarmsProps
{
    /// <summary>The stream to watch.</summary>
    public required IngestionStream Stream { get; init; }

    /// <summary>The delivery stream to watch.</summary>
    public required DeliveryStream Delivery { get; init; }

    /// <summary>The transform Lambda to watch.</summary>
    public required TransformFunction Transform { get; init; }

    /// <summary>Where every alarm notifies.</summary>
    public required IAlarmAction Action { get; init; }

    /// <summary>Alarm thresholds from the configuration.</summary>
    public required AlarmSettings Thresholds { get; init; }

    /// <summary>Buffering settings, from which the freshness threshold is derived.</summary>
    public required DeliverySettings Buffering { get; init; }
}
