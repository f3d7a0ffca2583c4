namespace Pipeline.Ingestion;

/// <summary>
/// The response would exceed <see cref="FirehoseTransformerOptions.MaxOutputBytes"/> (Lambda's 6 MB limit), which
/// Lambda would refuse. For events as Firehose sends them this cannot happen: an answer is never longer than the
/// record it answers (a normalised record grows by at most <see cref="RecordValidator.MaxGrowth"/> bytes, less than
/// the Kinesis metadata it drops).
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
