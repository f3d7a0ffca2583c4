namespace Pipeline.Producer.Cli;

/// <summary>A failure the producer reports as one line and an exit code.</summary>
public sealed class ProducerException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ProducerException()
        : this("The producer failed.", ExitCodes.NotAllSent)
    {
    }

    /// <summary>Creates the exception.</summary>
    public ProducerException(string message)
        : this(message, ExitCodes.NotAllSent)
    {
    }

    /// <summary>Creates the exception.</summary>
    public ProducerException(string message, Exception innerException)
        : base(message, innerException)
    {
        ExitCode = ExitCodes.NotAllSent;
    }

    /// <summary>Creates the exception with its exit code.</summary>
    public ProducerException(string message, int exitCode, Exception? innerException = null)
        : base(message, innerException)
    {
        ExitCode = exitCode;
    }

    /// <summary>The exit code to end with.</summary>
    public int ExitCode { get; }
}
