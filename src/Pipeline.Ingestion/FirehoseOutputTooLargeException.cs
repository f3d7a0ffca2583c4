namespace Pipeline.Ingestion;

/// <summary>
/// The response would exceed <see cref="FirehoseTransformerOptions.MaxOutputBytes"/> (Lambda's 6 MB limit), which
/// Lambda would refuse. For events as Firehose sends them and the telemetry schema this cannot happen (see
/// <see cref="FirehoseTransformer"/>); for a custom schema it means the batch must be smaller (lower the Firehose
/// processing buffer size).
/// </summary>
public sealed class FirehoseOutputTooLargeException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public FirehoseOutputTooLargeException()
        : base("The transformed batch is larger than the response limit.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The sizes involved.</param>
    public FirehoseOutputTooLargeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The sizes involved.</param>
    /// <param name="innerException">The cause, if any.</param>
    public FirehoseOutputTooLargeException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
