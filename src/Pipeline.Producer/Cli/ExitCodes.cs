namespace Pipeline.Producer.Cli;

/// <summary>
/// The producer's exit codes, one per way it can end. When several apply, the first of: 4, 5, 8 (the run stopped), 7,
/// 6, 1, 130.
/// </summary>
public static class ExitCodes
{
    /// <summary>Every record was written.</summary>
    public const int Success = 0;

    /// <summary>Some records were not written: refused after every retry, too large, or left when the run stopped (the summary counts them).</summary>
    public const int NotAllSent = 1;

    /// <summary>The command line is invalid.</summary>
    public const int InvalidArguments = 2;

    /// <summary>A file could not be read or written.</summary>
    public const int FileError = 3;

    /// <summary>No AWS credentials were found, or AWS refused them (or the permissions on the stream or its KMS key).</summary>
    public const int Credentials = 4;

    /// <summary>The stream or the bucket does not exist, or the day has no raw-backup objects.</summary>
    public const int NotFound = 5;

    /// <summary>Records were not written because the stream (or its KMS key) kept refusing throughput.</summary>
    public const int Throttled = 6;

    /// <summary>Some raw-backup objects (or the file) could not be read completely; the records read before the fault were sent.</summary>
    public const int SourceUnreadable = 7;

    /// <summary>The endpoint cannot be reached, stopped answering, or does not answer as Kinesis (or S3).</summary>
    public const int Unreachable = 8;

    /// <summary>Stopped by Ctrl-C or SIGTERM; the summary says what was sent.</summary>
    public const int Cancelled = 130;
}
