using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Pipeline.Ingestion;

namespace Pipeline.Transform;

/// <summary>
/// The Firehose data-transformation Lambda: reads the invocation event from the raw payload stream, transforms it
/// with <see cref="FirehoseTransformer"/> and returns the response stream. <see cref="Program"/> runs it under the
/// Runtime API loop (handler string <c>Pipeline.Transform</c>, an executable assembly).
/// </summary>
/// <remarks>
/// One instance serves one execution environment, one invocation at a time, and keeps its input and response buffers
/// between invocations; the returned stream reads the response buffer in place and is valid until the next
/// <see cref="Handle"/>. What the function cannot handle (a malformed event, a response over the limit) is logged and
/// rethrown: the invocation fails, Firehose retries it and then delivers the batch to its error prefix.
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
    private readonly ArrayBufferWriter<byte> _input = new();
    private readonly TextWriter _log;
    private ArrayBufferWriter<byte> _output = new();
    private int _busy;

    /// <summary>Creates the function with the system clock, <see cref="Console.Out"/> and default options.</summary>
    public Function()
        : this(TimeProvider.System, Console.Out)
    {
    }

    /// <summary>Creates the function with an injected clock, log sink and limits (for tests and tools).</summary>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="log">Where log lines go.</param>
    /// <param name="options">Transformer limits; null for the deployed ones.</param>
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
            var payload = Read(input);
            if (_output.Capacity < payload.Length)
            {
                // A response is never larger than its event (FirehoseTransformer), so it is written without regrowing.
                _output = new ArrayBufferWriter<byte>(payload.Length);
            }

            _output.ResetWrittenCount();
            _transformer.Transform(payload, _output);
            return MemoryMarshal.TryGetArray(_output.WrittenMemory, out var response)
                ? new ValueTask<Stream>(new MemoryStream(response.Array!, response.Offset, response.Count, writable: false))
                : throw new InvalidOperationException("ArrayBufferWriter is backed by an array.");
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

    /// <summary>Reads the rest of the stream into the kept input buffer, in one read when its length is known.</summary>
    private ReadOnlySpan<byte> Read(Stream input)
    {
        _input.ResetWrittenCount();
        if (input.CanSeek)
        {
            var length = checked((int)(input.Length - input.Position));
            input.ReadExactly(_input.GetSpan(length)[..length]);
            _input.Advance(length);
            return _input.WrittenSpan;
        }

        int read;
        while ((read = input.Read(_input.GetSpan(64 * 1024))) > 0)
        {
            _input.Advance(read);
        }

        return _input.WrittenSpan;
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
