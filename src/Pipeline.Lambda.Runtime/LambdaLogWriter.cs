using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace Pipeline.Lambda.Runtime;

/// <summary>
/// The function's log: a <see cref="TextWriter"/> that writes every line to its sink as one JSON object carrying
/// <c>timestamp</c> (RFC 3339, UTC, milliseconds) and, during an invocation, <c>requestId</c> and <c>traceId</c>.
/// </summary>
/// <remarks>
/// <para>
/// Lambda's JSON log format (advanced logging controls) takes a function's stdout line that is a JSON object as a
/// structured entry: it reads <c>level</c> (TRACE, DEBUG, INFO, WARN, ERROR, FATAL; INFO when missing or invalid)
/// for application log-level filtering and <c>timestamp</c> when it is valid RFC 3339; CloudWatch Logs Insights
/// discovers every top-level field. A runtime that writes its own logs, as this one does, must therefore add the
/// request id itself: Lambda adds it only for the managed runtimes' own loggers.
/// </para>
/// <para>
/// A line that is already a JSON object (starts with <c>{</c> and ends with <c>}</c>) gets <c>timestamp</c>,
/// <c>requestId</c> and <c>traceId</c> spliced in front of its own fields, which are kept as they are (the producer
/// writes <c>level</c> and <c>message</c>). Any other text becomes <c>{"timestamp":…,"requestId":…,"level":"INFO","message":"&lt;the text&gt;"}</c>.
/// One <see cref="TextWriter.WriteLine(string)"/> is one entry; text written without a newline waits for one.
/// </para>
/// <para>
/// Lines are JSON whatever <c>AWS_LAMBDA_LOG_FORMAT</c> says: under the Text format Lambda stores them as they are,
/// and Logs Insights still parses them.
/// </para>
/// </remarks>
public sealed class LambdaLogWriter : TextWriter
{
    private readonly TextWriter _sink;
    private readonly TimeProvider _clock;
    private readonly StringBuilder _pending = new();
    private readonly Lock _gate = new();

    /// <summary>Creates a log that writes its JSON lines to <paramref name="sink"/>.</summary>
    /// <param name="sink">Where the lines go: the process's original standard output.</param>
    /// <param name="clock">The clock for <c>timestamp</c>.</param>
    public LambdaLogWriter(TextWriter sink, TimeProvider clock)
        : base(CultureInfo.InvariantCulture)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(clock);
        _sink = sink;
        _clock = clock;
        CoreNewLine = ['\n'];
    }

    /// <summary>The request id of the invocation in progress (set by the runtime loop), or null between invocations.</summary>
    public string? RequestId { get; set; }

    /// <summary>The X-Ray trace header of the invocation in progress, or null.</summary>
    public string? TraceId { get; set; }

    /// <inheritdoc />
    public override Encoding Encoding => _sink.Encoding;

    /// <inheritdoc />
    public override void Write(char value)
    {
        lock (_gate)
        {
            if (value == '\n')
            {
                EmitPending();
            }
            else
            {
                _pending.Append(value);
            }
        }
    }

    /// <inheritdoc />
    public override void Write(string? value)
    {
        if (value is null)
        {
            return;
        }

        lock (_gate)
        {
            var rest = value.AsSpan();
            for (var newline = rest.IndexOf('\n'); newline >= 0; newline = rest.IndexOf('\n'))
            {
                _pending.Append(rest[..newline]);
                EmitPending();
                rest = rest[(newline + 1)..];
            }

            _pending.Append(rest);
        }
    }

    /// <inheritdoc />
    public override void WriteLine(string? value)
    {
        lock (_gate)
        {
            // One call is one entry, even when the text holds newlines (a stack trace stays one entry).
            _pending.Append(value);
            EmitPending();
        }
    }

    /// <inheritdoc />
    public override void Flush() => _sink.Flush();

    /// <summary>Writes one entry of the runtime's own: <c>level</c>, <c>message</c> and, for a failure, the error's fields.</summary>
    internal void WriteEntry(string level, string message, LambdaError? error = null) =>
        WriteLine(Encoding.UTF8.GetString(RuntimeJson.Write(new RuntimeLogEntry(level, message, error), RuntimeJsonContext.Default.RuntimeLogEntry)));

    /// <summary>The JSON line for one entry of text.</summary>
    internal string Format(string text)
    {
        var line = text.TrimEnd('\r');
        var context = new StringBuilder(line.Length + 160);
        context.Append("{\"timestamp\":\"")
            .Append(_clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture))
            .Append('"');
        AppendField(context, "requestId", RequestId);
        AppendField(context, "traceId", TraceId);

        var trimmed = line.AsSpan().Trim();
        if (trimmed.Length >= 2 && trimmed[0] == '{' && trimmed[^1] == '}')
        {
            var fields = trimmed[1..];
            return context.Append(fields.TrimStart().StartsWith('}') ? string.Empty : ",").Append(fields).ToString();
        }

        context.Append(",\"level\":\"INFO\"");
        AppendField(context, "message", line);
        return context.Append('}').ToString();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_gate)
            {
                if (_pending.Length > 0)
                {
                    EmitPending();
                }
            }

            _sink.Flush();
        }

        base.Dispose(disposing);
    }

    private void EmitPending()
    {
        var text = _pending.ToString();
        _pending.Clear();
        _sink.WriteLine(Format(text));
    }

    private static void AppendField(StringBuilder line, string name, string? value)
    {
        if (value is null)
        {
            return;
        }

        line.Append(",\"").Append(name).Append("\":\"")
            .Append(JavaScriptEncoder.UnsafeRelaxedJsonEscaping.Encode(value))
            .Append('"');
    }
}
