using Pipeline.Producer.Kinesis;

namespace Pipeline.Producer.Cli;

/// <summary>
/// The <c>--not-sent</c> file: every record a run did not get written, byte for byte and in the order they were read,
/// each ending with its newline as read, so that <c>send --file</c> puts exactly those records into the stream.
/// </summary>
internal sealed class NotSentFile : INotSentRecords, IDisposable
{
    private readonly FileStream _stream;

    private NotSentFile(FileStream stream) => _stream = stream;

    /// <summary>Records written to the file.</summary>
    public long Count { get; private set; }

    /// <summary>Creates (or empties) the file before anything is sent, so that a file that cannot be written fails first.</summary>
    /// <exception cref="ProducerException">The file cannot be created.</exception>
    public static NotSentFile Create(FileInfo file)
    {
        ProducerCli.RequireFilePath(file, "--not-sent");
        try
        {
            return new NotSentFile(new FileStream(file.FullName, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProducerException($"Cannot write --not-sent {file.FullName}: {e.Message}", ExitCodes.FileError, e);
        }
    }

    /// <inheritdoc />
    public void Add(KinesisRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        _stream.Write(record.Data.Span);
        Count++;
    }

    /// <summary>Writes what is buffered to the file.</summary>
    public void Flush() => _stream.Flush(flushToDisk: true);

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();
}
