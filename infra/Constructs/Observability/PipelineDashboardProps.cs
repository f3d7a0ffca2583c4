using Pipeline.Infra.Configuration;
using Pipeline.Infra.Constructs.Ingestion;
using Pipeline.Infra.Constructs.Serving;
using Pipeline.Infra.Constructs.Training;

namespace Pipeline.Infra.Constructs.Observability;

/// <summary>Properties of <see cref="PipelineDashboard"/>.</summary>
public sealed record PipelineDashboardProps
{
    /// <summary>The Kinesis stream producers write to.</summary>
    public required IngestionStream Stream { get; init; }

    /// <summary>The Firehose transform Lambda.</summary>
    public required TransformFunction Transform { get; init; }

    /// <summary>The Firehose delivery stream to the lake.</summary>
    public required DeliveryStream Delivery { get; init; }

    /// <summary>The "train" state machine.</summary>
    public required TrainingStateMachine Training { get; init; }

    /// <summary>The "promote" state machine.</summary>
    public required ModelPromotion Promotion { get; init; }

    /// <summary>The endpoint (its metrics exist while a model is served).</summary>
    public required ModelEndpoint Endpoint { get; init; }

    /// <summary>The drift monitoring of the served model (its metrics exist while a model is served and drift runs judge windows).</summary>
    public required DriftMonitor Drift { get; init; }

    /// <summary>The drift thresholds (drawn on the PSI graph) and window (the metrics' period).</summary>
    public required DriftSettings DriftSettings { get; init; }

    /// <summary>Model latency p99 above which the endpoint alarms, in milliseconds (drawn on the latency graph).</summary>
    public required int LatencyP99Ms { get; init; }
}
