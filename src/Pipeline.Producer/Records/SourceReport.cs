using System.Globalization;

namespace Pipeline.Producer.Records;

/// <summary>
/// What reading a source (a day of the raw backup, a file) came to: the objects read, and each one that could not be read
/// completely, with how far it got. A problem never ends the reading of the other objects.
/// </summary>
public sealed class SourceReport
{
    private readonly List<string> _problems = [];

    /// <summary>Objects (or files) opened.</summary>
    public int Objects { get; private set; }

    /// <summary>Records read, each with its newline.</summary>
    public long Records { get; private set; }

    /// <summary>What could not be read, one line each: the object, how far it got, and why.</summary>
    public IReadOnlyList<string> Problems => _problems;

    /// <summary>The last record read, to say where a stopped run got to.</summary>
    public Kinesis.RecordOrigin? LastRead { get; private set; }

    internal void Opened() => Objects++;

    internal void Read(Kinesis.RecordOrigin origin)
    {
        Records++;
        LastRead = origin;
    }

    /// <summary>Records that an object could not be read past <paramref name="reader"/>'s position (its lines sent, or not).</summary>
    internal void Failed(string source, LineReader reader, string why, bool sent = true) => _problems.Add(string.Create(CultureInfo.InvariantCulture,
        $"{source}: {why}; {(sent ? "read" : "decoded")} {reader.Lines} complete lines ({reader.Bytes} bytes) before it{Partial(reader)}"));

    /// <summary>Records an object that ends in the middle of a line.</summary>
    internal void EndedMidLine(string source, LineReader reader) => _problems.Add(string.Create(CultureInfo.InvariantCulture,
        $"{source}: ends without a newline: the {reader.Remainder} bytes after line {reader.Lines} are not a complete record and were not sent"));

    /// <summary>Records an object that cannot be read at all.</summary>
    internal void Unreadable(string source, string why) => _problems.Add($"{source}: {why}");

    private static string Partial(LineReader reader) => reader.Remainder > 0
        ? string.Create(CultureInfo.InvariantCulture, $", and {reader.Remainder} bytes of line {reader.Lines + 1}, not sent")
        : string.Empty;
}
