using Pipeline.Schema;

namespace Pipeline.Ingestion;

/// <summary>Settings of a <see cref="FirehoseTransformer"/>; the defaults are those of the deployed function.</summary>
public sealed class FirehoseTransformerOptions
{
    /// <summary>Lambda's limit for a synchronous request or response payload: 6 MB (6,291,456 bytes).</summary>
    public const int LambdaPayloadLimitBytes = 6 * 1024 * 1024;

    /// <summary>Firehose's largest record before base64 encoding: 1,000 KiB (1,024,000 bytes).</summary>
    public const int FirehoseRecordLimitBytes = 1000 * 1024;

    /// <summary>The default for <see cref="MaxRejectionLogLines"/>.</summary>
    public const int DefaultMaxRejectionLogLines = 200;

    /// <summary>The schema records must follow; by default <see cref="TelemetrySchema.Definition"/>.</summary>
    public RecordSchema Schema { get; init; } = TelemetrySchema.Definition;

    /// <summary>
    /// The most rejection log lines written per invocation (0 or more); further rejections are only counted, in the
    /// summary line's <c>rejectionLinesOmitted</c>, so a hostile batch cannot flood the log.
    /// </summary>
    public int MaxRejectionLogLines { get; init; } = DefaultMaxRejectionLogLines;

    /// <summary>The largest decoded record accepted (1 or more); larger ones are rejected as <see cref="TransformErrorCode.RecordTooLarge"/>.</summary>
    public int MaxRecordBytes { get; init; } = FirehoseRecordLimitBytes;

    /// <summary>
    /// The largest response (1 or more). A larger one throws <see cref="FirehoseOutputTooLargeException"/> rather
    /// than being returned, because Lambda would fail the invocation anyway.
    /// </summary>
    public int MaxOutputBytes { get; init; } = LambdaPayloadLimitBytes;

    internal void Check()
    {
        ArgumentNullException.ThrowIfNull(Schema, nameof(Schema));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxRejectionLogLines, nameof(MaxRejectionLogLines));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRecordBytes, 1, nameof(MaxRecordBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxOutputBytes, 1, nameof(MaxOutputBytes));
    }
}
