namespace Pipeline.Ingestion;

/// <summary>
/// Why the Firehose transformation rejected a record before (or instead of) schema validation. Schema problems use
/// <see cref="RecordErrorCode"/>; both appear by name in the <c>code</c> of a rejection log line.
/// </summary>
public enum TransformErrorCode
{
    /// <summary>The record's <c>data</c> is not a JSON string (e.g. a number, null or an object).</summary>
    DataNotString,

    /// <summary>The record has more than one <c>data</c> property.</summary>
    DuplicateData,

    /// <summary>The record's <c>data</c> is the empty string: there is no record to validate.</summary>
    EmptyData,

    /// <summary>
    /// The record's <c>data</c> is not strict, canonical base64 (RFC 4648 section 4: the standard alphabet, <c>=</c>
    /// padding to a multiple of 4, zero pad bits, no whitespace or line breaks, no URL-safe alphabet).
    /// </summary>
    InvalidBase64,

    /// <summary>The decoded record is larger than the limit (by default Firehose's 1,000 KiB record limit).</summary>
    RecordTooLarge,
}
