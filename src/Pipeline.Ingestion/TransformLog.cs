using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pipeline.Ingestion;

/// <summary>
/// The log of one invocation: rejection lines are built as UTF-8 JSON while the batch is processed, held back, and
/// written to the sink (one <see cref="TextWriter.WriteLine(string)"/> per line) only when the whole event has been
/// answered, followed by the summary line. An event that turns out to be malformed therefore logs no rejections for
/// a batch that is failed as a whole.
/// </summary>
/// <remarks>
/// <para>
/// Each line starts with <c>level</c> (<c>WARN</c> for a rejection, <c>INFO</c> for the summary) and <c>message</c>,
/// the fields Lambda's JSON log format uses for application log-level filtering and that CloudWatch Logs Insights
/// shows first; the details follow as the transformer wrote them. The Lambda runtime's log writer adds
/// <c>timestamp</c> and <c>requestId</c>, which this class, free of Lambda types, does not know.
/// </para>
/// <para>
/// Lines use System.Text.Json's relaxed escaping: valid JSON, non-ASCII text readable. Logs are not HTML, so the
/// HTML-sensitive characters the default encoder escapes (<c>+</c>, <c>&lt;</c>, <c>'</c>) stay as they are.
/// </para>
/// </remarks>
[SuppressMessage(
    "Design",
    "CA1001:Types that own disposable fields should be disposable",
    Justification = "Its Utf8JsonWriter writes to an in-memory IBufferWriter: disposing would only flush, and the writer is reused for the instance's lifetime.")]
internal sealed class TransformLog
{
    private static readonly JsonWriterOptions LineOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    /// <summary>The start of a rejection line, before the transformer's fields.</summary>
    internal const string RejectionPrefix = "{\"level\":\"WARN\",\"message\":\"Firehose record rejected.\"";

    /// <summary>The start of the summary line, before the transformer's fields.</summary>
    internal const string SummaryPrefix = "{\"level\":\"INFO\",\"message\":\"Firehose batch transformed.\"";

    private readonly TextWriter _sink;
    private readonly int _maxRejectionLines;
    private readonly ArrayBufferWriter<byte> _lines = new(4096);
    private readonly List<int> _lineEnds = [];
    private readonly Utf8JsonWriter _writer;

    public TransformLog(TextWriter sink, int maxRejectionLines)
    {
        _sink = sink;
        _maxRejectionLines = maxRejectionLines;
        _writer = new Utf8JsonWriter(_lines, LineOptions);
    }

    public int RejectionLinesWritten => _lineEnds.Count;

    public int RejectionLinesOmitted { get; private set; }

    public void Reset()
    {
        _lines.ResetWrittenCount();
        _lineEnds.Clear();
        RejectionLinesOmitted = 0;
    }

    /// <summary>Starts a rejection line, or returns null (and counts it as omitted) when the cap is reached.</summary>
    public Utf8JsonWriter? BeginRejectionLine()
    {
        if (_lineEnds.Count >= _maxRejectionLines)
        {
            RejectionLinesOmitted++;
            return null;
        }

        _writer.Reset(_lines);
        return _writer;
    }

    public void EndRejectionLine()
    {
        _writer.Flush();
        _lineEnds.Add(_lines.WrittenCount);
    }

    /// <summary>Writes the held rejection lines, then the summary line the callback builds.</summary>
    public void Emit(Action<Utf8JsonWriter> writeSummary)
    {
        var start = 0;
        foreach (var end in _lineEnds)
        {
            _sink.WriteLine(WithPrefix(RejectionPrefix, _lines.WrittenSpan[start..end]));
            start = end;
        }

        _writer.Reset(_lines);
        writeSummary(_writer);
        _writer.Flush();
        _sink.WriteLine(WithPrefix(SummaryPrefix, _lines.WrittenSpan[start..]));
    }

    /// <summary>The line <paramref name="utf8Object"/> (a JSON object) with the prefix's fields first.</summary>
    private static string WithPrefix(string prefix, ReadOnlySpan<byte> utf8Object)
    {
        var fields = utf8Object[1..];
        var separator = fields[0] == (byte)'}' ? string.Empty : ",";
        return string.Concat(prefix, separator, Encoding.UTF8.GetString(fields));
    }
}
