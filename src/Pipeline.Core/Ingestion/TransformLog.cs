using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pipeline.Core.Ingestion;

/// <summary>
/// The log of one invocation: rejection lines are built as UTF-8 JSON while the batch is processed, held back, and
/// written to the sink (one <see cref="TextWriter.WriteLine(string)"/> per line) only when the whole event has been
/// answered, followed by the summary line. An event that turns out to be malformed therefore logs no rejections for
/// a batch that is failed as a whole.
/// </summary>
/// <remarks>
/// Lines use System.Text.Json's relaxed escaping: valid JSON, non-ASCII text readable. Logs are not HTML, so the
/// HTML-sensitive characters the default encoder escapes (<c>+</c>, <c>&lt;</c>, <c>'</c>) stay as they are.
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
            _sink.WriteLine(Encoding.UTF8.GetString(_lines.WrittenSpan[start..end]));
            start = end;
        }

        _writer.Reset(_lines);
        writeSummary(_writer);
        _writer.Flush();
        _sink.WriteLine(Encoding.UTF8.GetString(_lines.WrittenSpan[start..]));
    }
}
