using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Pipeline.Ingestion;

namespace Pipeline.Transform;

/// <summary>
/// The Firehose data-transformation Lambda: reads the invocation event from the raw payload stream, transforms it
/// with <see cref="FirehoseTransformer"/> and returns the response stream. <see cref="Program"/> runs it under the
/// Runtime API loop (handler string <c>Pipeline.Transform</c>, an executable assembly). Log lines are JSON objects
/// with <c>level</c> and <c>message</c>; the runtime's log writer adds <c>timestamp</c> and <c>requestId</c>.
/// </summary>
/// <remarks>
/// One instance serves the invocations of one execution environment, one at a time, and keeps its buffers between
/// them: the input array, the output segments and the transformer's scratch buffers, so a warm invocation allocates
/// almost nothing. The returned stream reads those output segments in place and is valid until the next call of
/// <see cref="Handle"/>, which is when the runtime has long finished sending it. Anything the function cannot handle
/// (a malformed event, a response over the limit) is logged and rethrown: the invocation fails and Firehose retries
/// it, then delivers the batch to its error prefix.
/// </remarks>
[SuppressMessage(
    "Naming",
    "CA1716:Identifiers should not match keywords",
    Justification = "Function is the Lambda convention for the handler class; no VB consumer exists.")]
public sealed class Function
{
    private static readonly JsonWriterOptions LogOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly FirehoseTransformer _transformer;
    private readonly PayloadBuffer _input = new();
    private readonly SegmentedBufferWriter _output = new();
    private readonly TextWriter _log;
    private int _busy;

    /// <summary>Creates the function with the system clock, <see cref="Console.Out"/> and default options.</summary>
    public Function()
        : this(TimeProvider.System, Console.Out)
    {
    }

    /// <summary>Creates the function with an injected clock, log sink and options (for tests and tools).</summary>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="log">Where log lines go.</param>
    /// <param name="options">Transformer settings; null for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="timeProvider"/> or <paramref name="log"/> is null.</exception>
    public Function(TimeProvider timeProvider, TextWriter log, FirehoseTransformerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        _transformer = new FirehoseTransformer(timeProvider, log, options);
        _log = log;
    }

    /// <summary>Handles one invocation.</summary>
    /// <param name="input">The raw event payload (UTF-8 JSON).</param>
    /// <returns>
    /// The response payload, already completed: the transform is CPU-bound and never waits. Valid until the next call.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is null.</exception>
    /// <exception cref="FirehoseEventException">The event is malformed (rethrown).</exception>
    /// <exception cref="FirehoseOutputTooLargeException">The response would exceed Lambda's limit (rethrown).</exception>
    /// <exception cref="InvalidOperationException">The function is already handling an invocation on another thread.</exception>
    public ValueTask<Stream> Handle(Stream input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (Interlocked.Exchange(ref _busy, 1) != 0)
        {
            throw new InvalidOperationException(
                "Function.Handle is already running: an instance handles one invocation at a time.");
        }

        try
        {
            var payload = _input.ReadFrom(input);
            _output.Reset();
            _transformer.Transform(payload.Span, _output);
            return new ValueTask<Stream>(_output.AsStream());
        }
        catch (Exception ex)
        {
            LogFailure(ex);
            throw;
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    private void LogFailure(Exception exception)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, LogOptions))
        {
            // level and message first: the fields Lambda's log-level filtering and Logs Insights read.
            writer.WriteStartObject();
            writer.WriteString("level"u8, "ERROR"u8);
            writer.WriteString("message"u8, exception.Message);
            writer.WriteString("event"u8, "firehose_transform_failed"u8);
            writer.WriteString("errorType"u8, exception.GetType().FullName);
            writer.WriteEndObject();
        }

        _log.WriteLine(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }
}
