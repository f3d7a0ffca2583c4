using Amazon.CDK.AWS.Kinesis;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.StepFunctions;
using Pipeline.Infra.Constructs.Ingestion;
using Pipeline.Infra.Constructs.Serving;

namespace Pipeline.Infra.Constructs.Operations;

/// <summary>Properties of <see cref="PipelineDashboard"/>.</summary>
public sealed record PipelineDashboardProps
{
    /// <summary>The Kinesis stream producers write to.</summary>
    public required IStream Stream { get; init; }

    /// <summary>The Firehose transform Lambda.</summary>
    public required IFunction Transform { get; init; }

    /// <summary>The Firehose delivery stream to the lake.</summary>
    public required DeliveryStream Delivery { get; init; }

    /// <summary>The "train" state machine.</summary>
    public required IStateMachine Training { get; init; }

    /// <summary>The "promote" state machine.</summary>
    public required IStateMachine Promotion { get; init; }

    /// <summary>The endpoint (its metrics exist while a model is served); its latency alarm threshold is drawn on the latency graph.</summary>
    public required ModelEndpoint Endpoint { get; init; }

    /// <summary>
    /// The drift monitoring of the served model (its metrics exist while a model is served and drift runs judge
    /// windows); its function's thresholds are drawn on the PSI graph and its window is the metrics' period.
    /// </summary>
    public required DriftMonitor Drift { get; init; }
}
