using System.Buffers;
using System.Text;
using System.Text.Json;
using Pipeline.Ingestion;

namespace Pipeline.Transform.Tests.Support;

/// <summary>One run of a <see cref="FirehoseTransformer"/>: the response parsed record by record, and the log.</summary>
internal sealed class TransformRun
{
    private TransformRun(FirehoseTransformSummary summary, byte[] output, List<string> logLines)
    {
        Summary = summary;
        Output = output;
        LogLines = logLines;
        Records = ParseResponse(output);
        var parsed = logLines.Select(line => JsonDocument.Parse(line).RootElement).ToList();
        SummaryLine = parsed[^1];
        Assert.Equal("firehose_transform_summary", SummaryLine.GetProperty("event").GetString());
        Rejections = parsed[..^1];
        Assert.All(Rejections, r => Assert.Equal("firehose_record_rejected", r.GetProperty("event").GetString()));
    }

    public FirehoseTransformSummary Summary { get; }

    public byte[] Output { get; }

    public IReadOnlyList<OutputRecord> Records { get; }

    public IReadOnlyList<string> LogLines { get; }

    public IReadOnlyList<JsonElement> Rejections { get; }

    public JsonElement SummaryLine { get; }

    public static FirehoseTransformer Transformer(TextWriter log, FirehoseTransformerOptions? options = null) =>
        new(new FixedTimeProvider(Telemetry.Now), log, options);

    public static TransformRun Of(byte[] utf8Event, FirehoseTransformerOptions? options = null)
    {
        var log = new StringWriter { NewLine = "\n" };
        return Of(Transformer(log, options), log, utf8Event);
    }

    public static TransformRun Of(FirehoseTransformer transformer, StringWriter log, byte[] utf8Event)
    {
        log.GetStringBuilder().Clear();
        var output = new ArrayBufferWriter<byte>();
        var summary = transformer.Transform(utf8Event, output);
        var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        return new TransformRun(summary, output.WrittenSpan.ToArray(), lines);
    }

    /// <summary>The rejection line of the record at this index; fails when there is none.</summary>
    public JsonElement RejectionOf(int recordIndex) =>
        Assert.Single(Rejections, r => r.GetProperty("recordIndex").GetInt32() == recordIndex);

    /// <summary>The (field, code, message) triples of a rejection line.</summary>
    public static List<(string? Field, string Code, string Message)> Errors(JsonElement rejection) =>
        rejection.GetProperty("errors").EnumerateArray()
            .Select(e => (e.GetProperty("field").GetString(), e.GetProperty("code").GetString()!, e.GetProperty("message").GetString()!))
            .ToList();

    /// <summary>The (field, code) pairs of a rejection line.</summary>
    public static List<(string? Field, string Code)> Codes(JsonElement rejection) =>
        [.. Errors(rejection).Select(e => (e.Field, e.Code))];

    /// <summary>Parses the response, asserting its exact shape: only the properties Firehose expects.</summary>
    public static List<OutputRecord> ParseResponse(byte[] output)
    {
        using var document = JsonDocument.Parse(output);
        var root = document.RootElement;
        Assert.Equal(["records"], root.EnumerateObject().Select(p => p.Name));
        var records = new List<OutputRecord>();
        foreach (var record in root.GetProperty("records").EnumerateArray())
        {
            var result = record.GetProperty("result").GetString()!;
            string? partition = null;
            if (result == "Ok")
            {
                Assert.Equal(["recordId", "result", "data", "metadata"], record.EnumerateObject().Select(p => p.Name));
                var metadata = record.GetProperty("metadata");
                Assert.Equal(["partitionKeys"], metadata.EnumerateObject().Select(p => p.Name));
                partition = Assert.Single(metadata.GetProperty("partitionKeys").EnumerateObject()).Value.GetString();
            }
            else
            {
                Assert.Equal("ProcessingFailed", result);
                Assert.Equal(["recordId", "result", "data"], record.EnumerateObject().Select(p => p.Name));
            }

            records.Add(new OutputRecord(
                record.GetProperty("recordId").GetString()!,
                result,
                record.GetProperty("data").GetString()!,
                partition));
        }

        return records;
    }

    /// <summary>The record ids of an event, in order, as a JSON parser reads them.</summary>
    public static List<string> RecordIds(byte[] utf8Event)
    {
        using var document = JsonDocument.Parse(utf8Event);
        return document.RootElement.GetProperty("records").EnumerateArray()
            .Select(r => r.GetProperty("recordId").GetString()!)
            .ToList();
    }

    /// <summary>The data strings of an event, in order.</summary>
    public static List<JsonElement> RecordData(byte[] utf8Event)
    {
        using var document = JsonDocument.Parse(utf8Event);
        return document.RootElement.GetProperty("records").EnumerateArray()
            .Select(r => r.GetProperty("data").Clone())
            .ToList();
    }
}

/// <summary>One record of a response.</summary>
internal sealed record OutputRecord(string RecordId, string Result, string Data, string? PartitionKey)
{
    public bool IsOk => Result == "Ok";

    public byte[] DecodedBytes => Convert.FromBase64String(Data);

    public string Decoded => Encoding.UTF8.GetString(DecodedBytes);
}
