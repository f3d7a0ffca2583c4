namespace Pipeline.Ingestion;

/// <summary>What one invocation of <see cref="FirehoseTransformer.Transform"/> did; also written as the summary log line.</summary>
public sealed class FirehoseTransformSummary
{
    /// <summary>The event's <c>invocationId</c>, or null when it has none (or it is not a string).</summary>
    public string? InvocationId { get; init; }

    /// <summary>The event's <c>deliveryStreamArn</c>, or null when it has none (or it is not a string).</summary>
    public string? DeliveryStreamArn { get; init; }

    /// <summary>The number of records in the event (and in the response).</summary>
    public int Records { get; init; }

    /// <summary>The number of records returned as <c>Ok</c>.</summary>
    public int Ok { get; init; }

    /// <summary>The number of records returned as <c>ProcessingFailed</c>.</summary>
    public int Failed { get; init; }

    /// <summary>The size of the event in bytes.</summary>
    public long BytesIn { get; init; }

    /// <summary>The size of the response in bytes.</summary>
    public long BytesOut { get; init; }

    /// <summary>
    /// For each error code (a <see cref="RecordErrorCode"/> or <see cref="TransformErrorCode"/> name), the
    /// number of rejected records with at least one error of that code; codes in enum order, zero counts left out.
    /// </summary>
    public required IReadOnlyDictionary<string, int> FailuresByCode { get; init; }

    /// <summary>The number of rejection lines written to the log.</summary>
    public int RejectionLinesWritten { get; init; }

    /// <summary>The number of rejected records whose line was left out because of the per-invocation cap.</summary>
    public int RejectionLinesOmitted { get; init; }

    /// <summary>How long the transformation took.</summary>
    public TimeSpan Elapsed { get; init; }
}
