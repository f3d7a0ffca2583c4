using System.Buffers;
using System.Text;
using Pipeline.Ingestion;
using Pipeline.Testing;
using Pipeline.Transform.Tests.Support;

namespace Pipeline.Transform.Tests;

/// <summary>Sizes: the largest invocation and record, the response bound, the log cap, allocation.</summary>
public partial class FirehoseTransformerTests
{
    private const int FirehoseRecordLimit = 1_024_000;

    [Fact]
    public void Transform_Realistic6MbBatch_AnswersEveryRecordOkAsTheOracleExpects()
    {
        var (input, count) = RealisticTelemetry.FirehoseEvent();
        var data = TransformRun.RecordData(input);

        var run = TransformRun.Of(input);

        Assert.Equal(TransformRun.RecordIds(input), run.Records.Select(r => r.RecordId));
        Assert.Equal((count, count, 0), (run.Summary.Records, run.Summary.Ok, run.Summary.Failed));
        Assert.InRange(run.Output.Length, 1, input.Length * 3 / 4);
        for (var i = 0; i < count; i += 7)
        {
            var expected = Expectation.Of(Convert.FromBase64String(data[i].GetString()!), Telemetry.Now);
            Assert.Equal("{" + string.Join(",", expected.Normalised.Select(f => $"\"{f.Name}\":{f.Value}")) + "}", run.Records[i].Decoded);
        }
    }

    [Fact]
    public void Transform_WorstCaseValidBatch_ResponseStaysSmallerThanTheEvent()
    {
        // The only value that grows is the shortest event time (3 bytes); no optional fields, one-character id, and
        // the smallest envelope Firehose sends (short record id and partition key).
        const string Json =
            "{\"device_id\":\"a\",\"event_time\":\"2026-11-21T10:15:00Z\",\"air_temperature_k\":200,\"process_temperature_k\":200," +
            "\"rotational_speed_rpm\":0,\"torque_nm\":0,\"tool_wear_min\":0,\"machine_failure\":true}";
        var input = FillEvent(Telemetry.Base64(Json));

        var run = TransformRun.Of(input);

        Assert.All(run.Records, r => Assert.True(r.IsOk));
        Assert.Equal(Json.Length + RecordValidator.MaxGrowth, run.Records[0].DecodedBytes.Length);
        Assert.InRange(run.Output.Length, 1, input.Length - 1);
    }

    [Fact]
    public void Transform_WorstCaseFailedBatch_ResponseStaysSmallerThanTheEvent()
    {
        var input = FillEvent("e30=");

        var run = TransformRun.Of(input);

        Assert.All(run.Records, r => Assert.False(r.IsOk));
        Assert.InRange(run.Output.Length, 1, input.Length - 1);
    }

    [Fact]
    public void Transform_ResponseOverLimit_ThrowsWithSizesAndLogsNothing()
    {
        // Without Kinesis metadata (not what Firehose sends) a response can outgrow its event.
        var json = "{\"records\":[" + string.Join(",", Enumerable.Range(0, 100).Select(i => $"{{\"recordId\":\"{i}\",\"data\":\"{ValidData}\"}}")) + "]}";
        var input = Encoding.UTF8.GetBytes(json);
        var log = new StringWriter();
        var transformer = TransformRun.Transformer(log, new FirehoseTransformerOptions { MaxOutputBytes = input.Length });

        var ex = Assert.Throws<FirehoseOutputTooLargeException>(() => transformer.Transform(input, new ArrayBufferWriter<byte>()));

        Assert.Contains($"than the {input.Length}-byte limit", ex.Message, StringComparison.Ordinal);
        Assert.Equal(string.Empty, log.ToString());
    }

    [Fact]
    public void Transform_Single1000KiBRecord_IsValidatedAndNormalised()
    {
        var json = Telemetry.Valid[..^1] + new string(' ', FirehoseRecordLimit - Telemetry.Valid.Length) + "}";

        Assert.Equal(Telemetry.ValidNormalised, Assert.Single(OneRecord(json).Records).Decoded);
    }

    [Fact]
    public void Transform_1000KiBEscapedStringValue_FailsAsTooLongCountingCharacters()
    {
        var site = string.Concat(Enumerable.Repeat("\\u00e9", 170_000));

        var (field, code, message) = SingleError(OneRecord(Telemetry.With("site_id", $"\"{site}\"")));

        Assert.Equal(("site_id", "TooLong"), (field, code));
        Assert.Contains("170000 characters", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Transform_RecordOneByteOverTheFirehoseLimit_FailsAsTooLarge()
    {
        var json = Telemetry.Valid[..^1] + new string(' ', FirehoseRecordLimit + 1 - Telemetry.Valid.Length) + "}";

        Assert.Equal((null, "RecordTooLarge"), SingleCode(OneRecord(json)));
    }

    [Fact]
    public void Transform_MoreRejectionsThanTheCap_LogsTheFirstAndCountsTheRest()
    {
        var run = TransformRun.Of(FirehoseEvents.Build(Enumerable.Repeat("%%%%", 250)));

        Assert.Equal(Enumerable.Range(0, 200), run.Rejections.Select(r => r.GetProperty("recordIndex").GetInt32()));
        Assert.Equal((200, 50), (run.Summary.RejectionLinesWritten, run.Summary.RejectionLinesOmitted));
        Assert.Equal(50, run.SummaryLine.GetProperty("rejectionLinesOmitted").GetInt32());
        Assert.Equal(250, run.SummaryLine.GetProperty("failuresByCode").GetProperty("InvalidBase64").GetInt32());
    }

    [Fact]
    public void Transform_Realistic6MbBatchOnNewTransformer_AllocatesOnlySmallScratchBuffers()
    {
        var (input, _) = RealisticTelemetry.FirehoseEvent();
        TransformRun.Transformer(TextWriter.Null).Transform(FirehoseEvents.Load("mixed-batch.json"), new ArrayBufferWriter<byte>()); // JIT
        var transformer = TransformRun.Transformer(TextWriter.Null);
        var output = new ArrayBufferWriter<byte>(input.Length);

        var before = GC.GetAllocatedBytesForCurrentThread();
        transformer.Transform(input, output);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.InRange(allocated, 0, 64 * 1024);
    }

    [Fact]
    public void Transform_Realistic6MbBatchOnWarmTransformer_AllocatesAlmostNothing()
    {
        var (input, _) = RealisticTelemetry.FirehoseEvent();
        var transformer = TransformRun.Transformer(TextWriter.Null);
        var output = new ArrayBufferWriter<byte>();
        transformer.Transform(input, output);
        output.ResetWrittenCount();

        var before = GC.GetAllocatedBytesForCurrentThread();
        transformer.Transform(input, output);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.InRange(allocated, 0, 16 * 1024);
    }

    /// <summary>An event as full as Lambda's payload limit allows of one data string, with the smallest Firehose envelope.</summary>
    private static byte[] FillEvent(string data)
    {
        var size = FirehoseEvents.Build(Array.Empty<EventRecord>()).Length;
        var one = FirehoseEvents.Build([new EventRecord(string.Empty, data, PartitionKey: "k")]).Length - size;
        var records = new List<EventRecord>();
        for (var id = "0"; size + one + (2 * id.Length) + 1 <= FirehoseEvents.PayloadLimit; id = records.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            records.Add(new EventRecord(id, data, PartitionKey: "k")); // the id is also the sequence number
            size += one + (2 * id.Length) + (records.Count > 1 ? 1 : 0);
        }

        var input = FirehoseEvents.Build(records);
        Assert.InRange(input.Length, FirehoseEvents.PayloadLimit - (2 * one), FirehoseEvents.PayloadLimit);
        return input;
    }
}
