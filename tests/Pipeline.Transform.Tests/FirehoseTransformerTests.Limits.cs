using System.Buffers;
using System.Text;
using System.Text.Json;
using Pipeline.Ingestion;
using Pipeline.Schema;
using Pipeline.Transform.Tests.Support;
using Pipeline.Testing;

namespace Pipeline.Transform.Tests;

/// <summary>Sizes: the largest invocation and record, the response bound, the log cap.</summary>
public partial class FirehoseTransformerTests
{
    private const int FirehoseRecordLimit = 1_024_000;

    [Fact]
    public void Transform_Realistic6MbBatch_AnswersEveryRecordOkOnceInOrderWithinLimit()
    {
        var (input, count) = RealisticTelemetry.FirehoseEvent();
        Assert.InRange(input.Length, FirehoseEvents.PayloadLimit - 1000, FirehoseEvents.PayloadLimit);

        var run = TransformRun.Of(input);

        Assert.Equal(count, run.Records.Count);
        Assert.Equal(TransformRun.RecordIds(input), run.Records.Select(r => r.RecordId));
        Assert.All(run.Records, r => Assert.True(r.IsOk));
        Assert.Equal((count, count, 0), (run.Summary.Records, run.Summary.Ok, run.Summary.Failed));
        Assert.InRange(run.Output.Length, 1, input.Length * 3 / 4);
        Assert.Single(run.LogLines);
    }

    [Fact]
    public void Transform_Realistic6MbBatch_NormalisesEveryRecordLikeTheValidatorReadsIt()
    {
        var (input, _) = RealisticTelemetry.FirehoseEvent();
        var data = TransformRun.RecordData(input);
        var validator = new RecordValidator(TelemetrySchema.Definition);

        var run = TransformRun.Of(input);

        for (var i = 0; i < run.Records.Count; i += 7)
        {
            var original = validator.Validate(Convert.FromBase64String(data[i].GetString()!), Telemetry.Now);
            Normalisation.AssertSameRecord(original, run.Records[i].Decoded);
            Assert.Equal(original.PartitionValue, run.Records[i].PartitionKey);
        }
    }

    [Fact]
    public void Transform_WorstCaseValidBatch_ResponseStaysSmallerThanTheEvent()
    {
        // Every trick that makes a normalised record longer than its input: the shortest timestamp form (+6 bytes),
        // exponents (3e4 -> 30000, 1e3 -> 1000, 1e5 -> 100000), no optional fields, one-character id; and the
        // smallest envelope Firehose sends (short record id and partition key).
        const string Json =
            "{\"device_id\":\"a\",\"event_time\":\"2026-11-21T10:15Z\",\"air_temperature_k\":2e2,\"process_temperature_k\":2e2," +
            "\"rotational_speed_rpm\":3e4,\"torque_nm\":1e3,\"tool_wear_min\":1e5,\"machine_failure\":true}";
        var input = FillEvent(Telemetry.Base64(Json), FirehoseEvents.PayloadLimit);

        var run = TransformRun.Of(input);

        Assert.All(run.Records, r => Assert.True(r.IsOk));
        Assert.Equal(
            "{\"device_id\":\"a\",\"event_time\":\"2026-11-21 10:15:00.000\",\"air_temperature_k\":200,\"process_temperature_k\":200," +
            "\"rotational_speed_rpm\":30000,\"torque_nm\":1000,\"tool_wear_min\":100000,\"machine_failure\":true}",
            run.Records[0].Decoded);
        Assert.True(run.Output.Length < input.Length, $"{run.Output.Length} >= {input.Length}");
        Assert.True(run.Output.Length <= FirehoseEvents.PayloadLimit);
    }

    [Fact]
    public void Transform_WorstCaseFailedBatch_ResponseStaysSmallerThanTheEvent()
    {
        var input = FillEvent("e30=", FirehoseEvents.PayloadLimit);

        var run = TransformRun.Of(input);

        Assert.All(run.Records, r => Assert.Equal("ProcessingFailed", r.Result));
        Assert.True(run.Output.Length < input.Length, $"{run.Output.Length} >= {input.Length}");
        Assert.Equal(200, run.Summary.RejectionLinesWritten);
    }

    [Fact]
    public void Transform_ResponseOverLimit_ThrowsWithSizes()
    {
        // Without Kinesis metadata (not what Firehose sends) a response can outgrow its event; the bound is checked.
        var record = Telemetry.Base64(
            "{\"device_id\":\"a\",\"event_time\":\"2026-11-21T10:15Z\",\"air_temperature_k\":2e2,\"process_temperature_k\":2e2," +
            "\"rotational_speed_rpm\":3e4,\"torque_nm\":1e3,\"tool_wear_min\":1e5,\"machine_failure\":true}");
        var json = "{\"records\":[" + string.Join(",", Enumerable.Range(0, 100).Select(i => $"{{\"recordId\":\"{i}\",\"data\":\"{record}\"}}")) + "]}";
        var input = Encoding.UTF8.GetBytes(json);
        var log = new StringWriter();
        var transformer = TransformRun.Transformer(log, new FirehoseTransformerOptions { MaxOutputBytes = input.Length });

        var ex = Assert.Throws<FirehoseOutputTooLargeException>(() => transformer.Transform(input, new SegmentedBufferWriter()));

        Assert.Matches(
            $"^The response for 100 records would be [0-9]+ bytes, more than the {input.Length}-byte limit \\(the event was {input.Length} bytes\\)\\. Lower the Firehose processing buffer size\\.$",
            ex.Message);
        Assert.Equal(string.Empty, log.ToString());
    }

    [Fact]
    public void Transform_Single1000KiBRecord_IsValidatedAndNormalised()
    {
        // The telemetry schema bounds every string, so the largest valid record is mostly insignificant whitespace.
        var json = Telemetry.Valid[..^1] + new string(' ', FirehoseRecordLimit - Telemetry.Valid.Length) + "}";
        Assert.Equal(FirehoseRecordLimit, Encoding.UTF8.GetByteCount(json));

        var run = OneRecord(json);

        Assert.Equal(Telemetry.ValidNormalised, Normalised(run));
    }

    [Fact]
    public void Transform_Single1000KiBStringValue_IsWrittenWhole()
    {
        var schema = new RecordSchema(
            "note",
            [
                new FieldDefinition { Name = "text", Type = FieldType.String, Required = true, Description = "Free text." },
                new FieldDefinition { Name = "at", Type = FieldType.Timestamp, Required = true, Description = "Event time." },
                new FieldDefinition { Name = "flag", Type = FieldType.Boolean, Required = true, Description = "Label." },
            ],
            "at",
            "flag",
            TelemetrySchema.EarliestEventTime,
            TimeSpan.Zero);
        const string Prefix = "{\"at\":\"2026-11-21T10:00:00Z\",\"flag\":false,\"text\":\"";
        const string Piece = "caf\u00e9 \U0001F3ED \\\"q\\\" \u6771\u4eac ";
        var pieces = (FirehoseRecordLimit - Encoding.UTF8.GetByteCount(Prefix) - 2) / Encoding.UTF8.GetByteCount(Piece);
        var text = string.Concat(Enumerable.Repeat(Piece, pieces));
        var json = Prefix + text;
        json += new string('x', FirehoseRecordLimit - Encoding.UTF8.GetByteCount(json) - 2) + "\"}";
        Assert.Equal(FirehoseRecordLimit, Encoding.UTF8.GetByteCount(json));

        var run = OneRecord(json, new FirehoseTransformerOptions { Schema = schema });

        using var expected = JsonDocument.Parse(json);
        using var normalised = JsonDocument.Parse(Normalised(run));
        Assert.Equal(expected.RootElement.GetProperty("text").GetString(), normalised.RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public void Transform_RecordOneByteOverTheFirehoseLimit_FailsAsTooLarge()
    {
        var json = Telemetry.Valid[..^1] + new string(' ', FirehoseRecordLimit + 1 - Telemetry.Valid.Length) + "}";

        Assert.Equal(
            (null, "RecordTooLarge", "data decodes to 1024001 bytes, more than the record limit of 1024000 bytes."),
            SingleError(OneRecord(json)));
    }

    [Fact]
    public void Transform_MoreRejectionsThanTheCap_LogsTheFirstAndCountsTheRest()
    {
        var run = TransformRun.Of(FirehoseEvents.Build(Enumerable.Repeat("%%%%", 250)));

        Assert.Equal(200, run.Rejections.Count);
        Assert.Equal(Enumerable.Range(0, 200), run.Rejections.Select(r => r.GetProperty("recordIndex").GetInt32()));
        Assert.Equal((200, 50), (run.Summary.RejectionLinesWritten, run.Summary.RejectionLinesOmitted));
        Assert.Equal(50, run.SummaryLine.GetProperty("rejectionLinesOmitted").GetInt32());
        Assert.Equal(250, run.SummaryLine.GetProperty("failuresByCode").GetProperty("InvalidBase64").GetInt32());
    }

    [Fact]
    public void Transform_RejectionCapZero_LogsOnlyTheSummary()
    {
        var run = TransformRun.Of(FirehoseEvents.Build(["%%%%", "e30="]), new FirehoseTransformerOptions { MaxRejectionLogLines = 0 });

        Assert.Single(run.LogLines);
        Assert.Equal(2, run.Summary.RejectionLinesOmitted);
    }

    /// <summary>An event as full as the limit allows of one data string, with the smallest Firehose envelope.</summary>
    private static byte[] FillEvent(string data, int limit)
    {
        var records = new List<EventRecord>();
        var size = FirehoseEvents.Build(Array.Empty<EventRecord>()).Length;
        var one = FirehoseEvents.Build([new EventRecord(string.Empty, data, PartitionKey: "k")]).Length - size;
        while (true)
        {
            var id = records.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var needed = one + (2 * id.Length) + (records.Count > 0 ? 1 : 0); // the id is also the sequence number
            if (size + needed > limit)
            {
                break;
            }

            records.Add(new EventRecord(id, data, PartitionKey: "k"));
            size += needed;
        }

        var input = FirehoseEvents.Build(records);
        Assert.Equal(size, input.Length);
        Assert.InRange(input.Length, limit - (2 * one), limit);
        return input;
    }
}
