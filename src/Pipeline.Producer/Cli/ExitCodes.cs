namespace Pipeline.Producer.Cli;

/// <summary>The producer's exit codes, one per way it can end.</summary>
public static class ExitCodes
{
    /// <summary>Every record was written.</summary>
    public const int Success = 0;

    /// <summary>Some records were not written after every retry (the summary says how many).</summary>
    public const int RecordsLost = 1;

    /// <summary>The command line is invalid.</summary>
    public const int InvalidArguments = 2;

    /// <summary>A file could not be read or written.</summary>
    public const int FileError = 3;

    /// <summary>No AWS credentials were found, or AWS refused them.</summary>
    public const int Credentials = 4;

    /// <summary>The stream (or the bucket) does not exist.</summary>
    public const int NotFound = 5;

    /// <summary>Records were lost because the stream kept refusing more throughput.</summary>
    public const int Throttled = 6;

    /// <summary>Stopped by Ctrl-C; the summary says what was sent.</summary>
    public const int Cancelled = 130;
}
