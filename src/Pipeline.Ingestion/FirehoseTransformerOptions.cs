namespace Pipeline.Ingestion;

/// <summary>Limits of a <see cref="FirehoseTransformer"/>; the defaults are those of the deployed function.</summary>
public sealed class FirehoseTransformerOptions
{
    /// <summary>Lambda's limit for a synchronous request or response payload: 6 MB (6,291,456 bytes).</summary>
    public const int LambdaPayloadLimitBytes = 6 * 1024 * 1024;

    /// <summary>Firehose's largest record before base64 encoding: 1,000 KiB (1,024,000 bytes).</summary>
    public const int FirehoseRecordLimitBytes = 1000 * 1024;

    /// <summary>The largest decoded record accepted (1 or more); larger ones are rejected as <see cref="TransformErrorCode.RecordTooLarge"/>.</summary>
    public int MaxRecordBytes { get; init; } = FirehoseRecordLimitBytes;

    /// <summary>
    /// The largest response (1 or more). A larger one throws <see cref="FirehoseOutputTooLargeException"/> rather
    /// than being returned, because Lambda would fail the invocation anyway.
    /// </summary>
    public int MaxOutputBytes { get; init; } = LambdaPayloadLimitBytes;
}
