using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Pipeline.Ingestion;
using Pipeline.Transform.Tests.Support;

namespace Pipeline.Transform.Tests;

/// <summary>The transformer on the fixture events, in the exact shape AWS sends them.</summary>
public partial class FirehoseTransformerTests
{
    private const string StreamArn = FirehoseEvents.DeliveryStreamArn;

    [Fact]
    public void Transform_ValidBatchFixture_ReturnsEveryRecordOkWithNormalisedDataAndPartition()
    {
        var input = FirehoseEvents.Load("valid-batch.json");

        var run = TransformRun.Of(input);

        Assert.Equal(TransformRun.RecordIds(input), run.Records.Select(r => r.RecordId));
        Assert.All(run.Records, r => Assert.Equal(("Ok", "2026-11-21"), (r.Result, r.PartitionKey)));
        Assert.Equal(
            [
                Telemetry.ValidNormalised,
                "{\"device_id\":\"mill-12\",\"event_time\":\"2026-11-21 00:30:00.000\",\"air_temperature_k\":300," +
                "\"process_temperature_k\":310.25,\"rotational_speed_rpm\":2861,\"torque_nm\":4.6,\"tool_wear_min\":0," +
                "\"machine_failure\":true}",
                "{\"device_id\":\"lathe:03\",\"event_time\":\"2026-11-21 11:59:59.999\",\"site_id\":\"Z\\u00fcrich \\ud83c\\udfed\"," +
                "\"air_temperature_k\":2.981e2,\"process_temperature_k\":308.60,\"rotational_speed_rpm\":1.551e3,\"torque_nm\":40," +
                "\"tool_wear_min\":108,\"machine_failure\":false}",
            ],
            run.Records.Select(r => r.Decoded));
    }

    [Fact]
    public void Transform_ValidBatchFixture_LogsOnlyTheSummaryLine()
    {
        var input = FirehoseEvents.Load("valid-batch.json");

        var run = TransformRun.Of(input);

        Assert.Equal(
            "{\"level\":\"INFO\",\"message\":\"Firehose batch transformed.\",\"event\":\"firehose_transform_summary\",\"invocationId\":\"0b8a5c6e-3f1d-4e2a-9c7b-1d2e3f4a5b6c\"," +
            $"\"deliveryStreamArn\":\"{StreamArn}\",\"records\":3,\"ok\":3,\"failed\":0,\"bytesIn\":{input.Length}," +
            $"\"bytesOut\":{run.Output.Length},\"failuresByCode\":{{}},\"rejectionLinesWritten\":0," +
            "\"rejectionLinesOmitted\":0,\"elapsedMs\":0}",
            Assert.Single(run.LogLines));
        Assert.Equal(("0b8a5c6e-3f1d-4e2a-9c7b-1d2e3f4a5b6c", StreamArn), (run.Summary.InvocationId, run.Summary.DeliveryStreamArn));
        Assert.Equal((3, 3, 0, input.Length, run.Output.Length), (run.Summary.Records, run.Summary.Ok, run.Summary.Failed, run.Summary.BytesIn, run.Summary.BytesOut));
    }

    [Fact]
    public void Transform_MixedBatchFixture_AnswersEveryRecordOnceInOrderFailedOnesWithTheirOriginalData()
    {
        var input = FirehoseEvents.Load("mixed-batch.json");
        var data = TransformRun.RecordData(input);

        var run = TransformRun.Of(input);

        Assert.Equal(TransformRun.RecordIds(input), run.Records.Select(r => r.RecordId));
        Assert.Equal([0, 8], Enumerable.Range(0, run.Records.Count).Where(i => run.Records[i].IsOk));
        Assert.Equal(Telemetry.ValidNormalised, run.Records[0].Decoded);
        Assert.Equal(Telemetry.ValidNormalised.Replace("plant-a", "\u6771\u4eac-\u5de5\u5834 \U0001F3ED", StringComparison.Ordinal), run.Records[8].Decoded);

        // A string is echoed as it came; data that is not a string (record 12, a number) is answered with "".
        Assert.All(
            Enumerable.Range(0, run.Records.Count).Where(i => !run.Records[i].IsOk),
            i => Assert.Equal(data[i].ValueKind == JsonValueKind.String ? data[i].GetString() : string.Empty, run.Records[i].Data));
    }

    [Fact]
    public void Transform_MixedBatchFixture_LogsOneLinePerRejectionWithItsCodes()
    {
        var run = TransformRun.Of(FirehoseEvents.Load("mixed-batch.json"));

        var expected = new Dictionary<int, (string? Field, string Code)[]>
        {
            [1] = [(null, "InvalidBase64")],
            [2] = [(null, "InvalidJson")],
            [3] = [("torque_nm", "MissingField")],
            [4] = [("operator", "UnknownField")],
            [5] = [("air_temperature_k", "WrongType"), ("machine_failure", "WrongType")],
            [6] = [("event_time", "EventTimeOutOfWindow")],
            [7] = [("event_time", "EventTimeOutOfWindow")],
            [9] = [(null, "EmptyData")],
            [10] = [(null, "InvalidBase64")],
            [11] = [(null, "InvalidJson")],
            [12] = [(null, "DataNotString")],
        };
        Assert.Equal(expected.Keys, run.Rejections.Select(r => r.GetProperty("recordIndex").GetInt32()));
        Assert.All(expected, e => Assert.Equal(e.Value, TransformRun.Codes(run.RejectionOf(e.Key))));
    }

    [Fact]
    public void Transform_MixedBatchFixture_RejectionLineCarriesRecordIdentifiersAndHash()
    {
        var input = FirehoseEvents.Load("mixed-batch.json");
        var decoded = Convert.FromBase64String(TransformRun.RecordData(input)[3].GetString()!);

        var run = TransformRun.Of(input);

        var line = run.LogLines[2];
        Assert.StartsWith(
            "{\"level\":\"WARN\",\"message\":\"Firehose record rejected.\",\"event\":\"firehose_record_rejected\",\"recordIndex\":3," +
            "\"recordId\":\"49546986683135544286507457936321625675700192471156785157\",\"shardId\":\"shardId-000000000001\"," +
            "\"sequenceNumber\":\"49546986683135544286507457936321625675700192471156785157\"," +
            $"\"approximateArrivalTimestamp\":1795262130126,\"rawSha256\":\"{Convert.ToHexStringLower(SHA256.HashData(decoded))}\"," +
            $"\"rawSha256Of\":\"decodedData\",\"rawBytes\":{decoded.Length},\"errors\":[{{\"field\":\"torque_nm\",\"code\":\"MissingField\",\"message\":\"torque_nm: ",
            line,
            StringComparison.Ordinal);
        Assert.EndsWith("\"}]}", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Transform_MixedBatchFixture_HashesDecodedBytesOrBase64TextOrJsonValue()
    {
        var input = FirehoseEvents.Load("mixed-batch.json");
        var data = TransformRun.RecordData(input);

        var run = TransformRun.Of(input);

        Assert.All(run.Rejections, rejection =>
        {
            var index = rejection.GetProperty("recordIndex").GetInt32();
            var (kind, bytes) = index switch
            {
                1 or 9 or 10 => ("base64Text", Encoding.UTF8.GetBytes(data[index].GetString()!)),
                12 => ("jsonValue", Encoding.UTF8.GetBytes(data[index].GetRawText())),
                _ => ("decodedData", Convert.FromBase64String(data[index].GetString()!)),
            };
            Assert.Equal(
                (kind, Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.Length),
                (rejection.GetProperty("rawSha256Of").GetString(), rejection.GetProperty("rawSha256").GetString(), rejection.GetProperty("rawBytes").GetInt32()));
        });
    }

    [Fact]
    public void Transform_MixedBatchFixture_WritesSummaryLineWithFailuresByCode()
    {
        var input = FirehoseEvents.Load("mixed-batch.json");

        var run = TransformRun.Of(input);

        Assert.Equal(
            "{\"level\":\"INFO\",\"message\":\"Firehose batch transformed.\",\"event\":\"firehose_transform_summary\",\"invocationId\":\"5f0e9d8c-7b6a-4c3d-8e2f-1a0b9c8d7e6f\"," +
            $"\"deliveryStreamArn\":\"{StreamArn}\",\"records\":13,\"ok\":2,\"failed\":11,\"bytesIn\":{input.Length}," +
            $"\"bytesOut\":{run.Output.Length},\"failuresByCode\":{{\"InvalidJson\":2,\"MissingField\":1,\"UnknownField\":1," +
            "\"WrongType\":1,\"EventTimeOutOfWindow\":2,\"DataNotString\":1,\"EmptyData\":1,\"InvalidBase64\":2}," +
            "\"rejectionLinesWritten\":11,\"rejectionLinesOmitted\":0,\"elapsedMs\":0}",
            run.LogLines[^1]);
        Assert.Equal(12, run.LogLines.Count);
    }

    [Fact]
    public void Transform_EmptyBatchFixture_ReturnsEmptyRecordsAndSummary()
    {
        var run = TransformRun.Of(FirehoseEvents.Load("empty-batch.json"));

        Assert.Equal("{\"records\":[]}", Encoding.UTF8.GetString(run.Output));
        Assert.Equal((0, 0, 0), (run.Summary.Records, run.Summary.Ok, run.Summary.Failed));
        Assert.Single(run.LogLines);
    }

    [Theory]
    [InlineData("envelope-not-json.json", "not valid JSON at line 5, byte 1")]
    [InlineData("envelope-no-records.json", "the event has no \"records\" array.")]
    [InlineData("envelope-records-not-array.json", "\"records\" must be an array; found an object.")]
    [InlineData("envelope-record-without-recordid.json", "records[1] has no \"recordId\"")]
    [InlineData("envelope-record-without-data.json", "records[1] (recordId 49546986683135544286507457936321625675700192471156785155) has no \"data\".")]
    public void Transform_MalformedEnvelopeFixture_ThrowsNamingTheProblemAndLogsNothing(string fixture, string problem)
    {
        var log = new StringWriter();

        var ex = Assert.Throws<FirehoseEventException>(
            () => TransformRun.Transformer(log).Transform(FirehoseEvents.Load(fixture), new ArrayBufferWriter<byte>()));

        Assert.StartsWith("Malformed Firehose event: " + problem, ex.Message, StringComparison.Ordinal);
        Assert.Equal(string.Empty, log.ToString());
    }

    [Fact]
    public void Transform_SameTransformerAgainAfterAMalformedEvent_GivesTheSameResponseAndLog()
    {
        var log = new StringWriter { NewLine = "\n" };
        var transformer = TransformRun.Transformer(log);
        var mixed = FirehoseEvents.Load("mixed-batch.json");
        var first = TransformRun.Of(transformer, log, mixed);
        Assert.Throws<FirehoseEventException>(
            () => transformer.Transform(FirehoseEvents.Load("envelope-record-without-data.json"), new ArrayBufferWriter<byte>()));
        TransformRun.Of(transformer, log, FirehoseEvents.Load("valid-batch.json"));

        var again = TransformRun.Of(transformer, log, mixed);

        Assert.Equal(first.Output, again.Output);
        Assert.Equal(first.LogLines, again.LogLines);
    }

    [Fact]
    public void Constructor_NullArgumentsOrLimitsBelowOne_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => new FirehoseTransformer(null!, TextWriter.Null));
        Assert.Throws<ArgumentNullException>(() => new FirehoseTransformer(TimeProvider.System, null!));
        Assert.Equal("MaxRecordBytes", Assert.Throws<ArgumentOutOfRangeException>(
            () => new FirehoseTransformer(TimeProvider.System, TextWriter.Null, new FirehoseTransformerOptions { MaxRecordBytes = 0 })).ParamName);
        Assert.Equal("MaxOutputBytes", Assert.Throws<ArgumentOutOfRangeException>(
            () => new FirehoseTransformer(TimeProvider.System, TextWriter.Null, new FirehoseTransformerOptions { MaxOutputBytes = 0 })).ParamName);
    }

    [Fact]
    public void Options_Defaults_AreTheDeployedLimits()
    {
        var options = new FirehoseTransformerOptions();

        Assert.Equal((1_024_000, 6_291_456, 200), (options.MaxRecordBytes, options.MaxOutputBytes, FirehoseTransformer.MaxRejectionLogLines));
    }
}
