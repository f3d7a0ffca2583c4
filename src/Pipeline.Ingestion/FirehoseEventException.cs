namespace Pipeline.Ingestion;

/// <summary>
/// The Firehose event itself is malformed (not JSON, no <c>records</c> array, a record without <c>recordId</c> or
/// <c>data</c>), so it cannot be answered record by record. The function lets it escape: the invocation fails,
/// Firehose retries it and then delivers the whole batch to the error prefix.
/// </summary>
public sealed class FirehoseEventException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public FirehoseEventException()
        : base("Malformed Firehose event.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong with the event.</param>
    public FirehoseEventException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong with the event.</param>
    /// <param name="innerException">The parser's exception.</param>
    public FirehoseEventException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
