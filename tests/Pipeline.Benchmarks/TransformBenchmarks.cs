using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Pipeline.Ingestion;
using Pipeline.Testing;

namespace Pipeline.Benchmarks;

/// <summary>
/// The Firehose transformation of a realistic 6 MB invocation against a floor measured in the same run: the least
/// work any transformation of the event must do.
/// </summary>
/// <remarks>
/// Floor: one <see cref="Utf8JsonReader"/> pass over the event to find each record's data, and per record a base64
/// decode, one full <see cref="Utf8JsonReader"/> pass over the decoded JSON and a base64 encode of it into the
/// response buffer (via <see cref="Utf8JsonWriter.WriteBase64StringValue"/>). Transform: the real thing, warm, with
/// a log sink that discards (a realistic batch logs only the summary line).
/// </remarks>
[MemoryDiagnoser]
[SuppressMessage(
    "Design",
    "CA1001:Types that own disposable fields should be disposable",
    Justification = "BenchmarkDotNet owns the instance; the writer is disposed in [GlobalCleanup].")]
public class TransformBenchmarks
{
    private byte[] _event = [];
    private int _records;
    private FirehoseTransformer _transformer = null!;
    private ArrayBufferWriter<byte> _output = null!;
    private Utf8JsonWriter _floorWriter = null!;
    private readonly byte[] _decoded = new byte[1024 * 1024];

    /// <summary>The size of the benchmarked event, for the throughput column.</summary>
    public static long PayloadBytes { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        (_event, _records) = RealisticTelemetry.FirehoseEvent();
        PayloadBytes = _event.Length;
        _transformer = new FirehoseTransformer(new FixedClock(RealisticTelemetry.Now), TextWriter.Null);
        _output = new ArrayBufferWriter<byte>(_event.Length);
        _floorWriter = new Utf8JsonWriter(_output);
        var summary = _transformer.Transform(_event, _output);
        if (summary.Ok != _records || summary.Failed != 0)
        {
            throw new InvalidOperationException($"Expected {_records} Ok records; got {summary.Ok} Ok, {summary.Failed} failed.");
        }

        Console.WriteLine($"// Event: {_event.Length} bytes, {_records} records; response {summary.BytesOut} bytes.");
    }

    [GlobalCleanup]
    public void Cleanup() => _floorWriter.Dispose();

    [Benchmark(Baseline = true)]
    public long Floor()
    {
        _output.ResetWrittenCount();
        _floorWriter.Reset(_output);
        _floorWriter.WriteStartArray();
        var reader = new Utf8JsonReader(_event);
        long tokens = 0;
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName || !reader.ValueTextEquals("data"u8))
            {
                continue;
            }

            reader.Read();
            var text = reader.ValueSpan;
            if (Base64.DecodeFromUtf8(text, _decoded, out _, out var length) != OperationStatus.Done)
            {
                throw new InvalidOperationException("Invalid base64 in the benchmark event.");
            }

            var record = new Utf8JsonReader(_decoded.AsSpan(0, length));
            while (record.Read())
            {
                tokens++;
            }

            _floorWriter.WriteBase64StringValue(_decoded.AsSpan(0, length));
        }

        _floorWriter.WriteEndArray();
        _floorWriter.Flush();
        return tokens + _output.WrittenCount;
    }

    [Benchmark]
    public long Transform()
    {
        _output.ResetWrittenCount();
        return _transformer.Transform(_event, _output).BytesOut;
    }
}
