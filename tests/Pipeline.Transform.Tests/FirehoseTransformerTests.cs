using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Pipeline.Ingestion;
using Pipeline.Schema;
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
        Assert.All(run.Records, r => Assert.Equal("Ok", r.Result));
        Assert.All(run.Records, r => Assert.Equal("2026-11-21", r.PartitionKey));
        Assert.Equal(
            [
                Telemetry.ValidNormalised,
                "{\"device_id\":\"mill-12\",\"event_time\":\"2026-11-21 00:30:00.000\",\"air_temperature_k\":300," +
                "\"process_temperature_k\":310.25,\"rotational_speed_rpm\":2861,\"torque_nm\":4.6,\"tool_wear_min\":0," +
                "\"machine_failure\":true}",
                "{\"device_id\":\"lathe:03\",\"event_time\":\"2026-11-21 11:59:59.999\",\"site_id\":\"Z\u00fcrich \U0001F3ED\"," +
                "\"air_temperature_k\":298.1,\"process_temperature_k\":308.6,\"rotational_speed_rpm\":1551,\"torque_nm\":40," +
                "\"tool_wear_min\":108,\"machine_failure\":false}",
            ],
            run.Records.Select(r => r.Decoded));
    }

    [Fact]
    public void Transform_ValidBatchFixture_LogsOnlyTheSummaryLine()
    {
        var input = FirehoseEvents.Load("valid-batch.json");

        var run = TransformRun.Of(input);

        var line = Assert.Single(run.LogLines);
        Assert.Equal(
            "{\"level\":\"INFO\",\"message\":\"Firehose batch transformed.\",\"event\":\"firehose_transform_summary\",\"invocationId\":\"0b8a5c6e-3f1d-4e2a-9c7b-1d2e3f4a5b6c\"," +
            $"\"deliveryStreamArn\":\"{StreamArn}\",\"records\":3,\"ok\":3,\"failed\":0,\"bytesIn\":{input.Length}," +
            $"\"bytesOut\":{run.Output.Length},\"failuresByCode\":{{}},\"rejectionLinesWritten\":0," +
            "\"rejectionLinesOmitted\":0,\"elapsedMs\":0}",
            line);
    }

    [Fact]
    public void Transform_ValidBatchFixture_ReturnsSummary()
    {
        var input = FirehoseEvents.Load("valid-batch.json");

        var run = TransformRun.Of(input);

        var summary = run.Summary;
        Assert.Equal("0b8a5c6e-3f1d-4e2a-9c7b-1d2e3f4a5b6c", summary.InvocationId);
        Assert.Equal(StreamArn, summary.DeliveryStreamArn);
        Assert.Equal((3, 3, 0), (summary.Records, summary.Ok, summary.Failed));
        Assert.Equal(input.Length, summary.BytesIn);
        Assert.Equal(run.Output.Length, summary.BytesOut);
        Assert.Empty(summary.FailuresByCode);
        Assert.Equal((0, 0), (summary.RejectionLinesWritten, summary.RejectionLinesOmitted));
        Assert.Equal(TimeSpan.Zero, summary.Elapsed);
    }

    [Fact]
    public void Transform_MixedBatchFixture_AnswersEveryRecordOnceInInputOrder()
    {
        var input = FirehoseEvents.Load("mixed-batch.json");

        var run = TransformRun.Of(input);

        Assert.Equal(TransformRun.RecordIds(input), run.Records.Select(r => r.RecordId));
        Assert.Equal(
            ["Ok", "ProcessingFailed", "ProcessingFailed", "ProcessingFailed", "ProcessingFailed", "ProcessingFailed",
             "ProcessingFailed", "ProcessingFailed", "Ok", "ProcessingFailed", "ProcessingFailed", "ProcessingFailed",
             "ProcessingFailed"],
            run.Records.Select(r => r.Result));
        Assert.Equal(Telemetry.ValidNormalised, run.Records[0].Decoded);
        Assert.Equal(Telemetry.ValidNormalised.Replace("\"plant-a\"", "\"\u6771\u4eac-\u5de5\u5834 \U0001F3ED\"", StringComparison.Ordinal), run.Records[8].Decoded);
    }

    [Fact]
    public void Transform_MixedBatchFixture_FailedRecordsCarryTheOriginalData()
    {
        var input = FirehoseEvents.Load("mixed-batch.json");
        var data = TransformRun.RecordData(input);

        var run = TransformRun.Of(input);

        for (var i = 0; i < run.Records.Count; i++)
        {
            if (run.Records[i].IsOk)
            {
                continue;
            }

            // A string is echoed as it came; data that is not a string (record 12, a number) cannot be, so it is "".
            var expected = data[i].ValueKind == JsonValueKind.String ? data[i].GetString() : string.Empty;
            Assert.Equal(expected, run.Records[i].Data);
        }
    }

    [Fact]
    public void Transform_MixedBatchFixture_LogsOneLinePerRejectionWithItsReasons()
    {
        var input = FirehoseEvents.Load("mixed-batch.json");

        var run = TransformRun.Of(input);

        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12], run.Rejections.Select(r => r.GetProperty("recordIndex").GetInt32()));
        const string NotBase64 = "data is not valid base64: ";
        const string Window = "outside the accepted window; allowed 2020-01-01T00:00:00Z to 2026-11-21T12:15:00Z (now + 00:15:00).";
        var expected = new Dictionary<int, (string? Field, string Code, string Message)[]>
        {
            [1] = [(null, "InvalidBase64", NotBase64 + "byte 0x0A at offset 20 is not in the base64 alphabet (A-Z, a-z, 0-9, +, /); whitespace, line breaks and the URL-safe alphabet are not accepted.")],
            [2] = [(null, "InvalidJson", "record is not valid JSON at line 1, byte 253: Expected end of string, but instead reached end of data.")],
            [3] = [("torque_nm", "MissingField", "torque_nm: required field is missing.")],
            [4] = [("operator", "UnknownField", "operator: unknown field; the fields of telemetry are device_id, event_time, site_id, product_quality, air_temperature_k, process_temperature_k, rotational_speed_rpm, torque_nm, tool_wear_min, vibration_mm_s, machine_failure.")],
            [5] =
            [
                ("air_temperature_k", "WrongType", "air_temperature_k: \"298.1\" is a string; expected a number."),
                ("machine_failure", "WrongType", "machine_failure: 0 is a number; expected true or false."),
            ],
            [6] = [("event_time", "EventTimeOutOfWindow", "event_time: \"2019-12-31T23:59:59Z\" is 2019-12-31T23:59:59Z, " + Window)],
            [7] = [("event_time", "EventTimeOutOfWindow", "event_time: \"2026-11-21T12:15:01Z\" is 2026-11-21T12:15:01Z, " + Window)],
            [9] = [(null, "EmptyData", "data is empty; expected the base64 of one JSON record.")],
            [10] = [(null, "InvalidBase64", NotBase64 + "its length 3 is not a multiple of 4 (missing or extra '=' padding).")],
            [11] = [(null, "InvalidJson", "record starts with a UTF-8 byte-order mark (EF BB BF); expected JSON without one.")],
            [12] = [(null, "DataNotString", "data is a number; expected a base64 string.")],
        };
        foreach (var (index, errors) in expected)
        {
            Assert.Equal(errors, TransformRun.Errors(run.RejectionOf(index)));
        }
    }

    [Fact]
    public void Transform_MixedBatchFixture_RejectionLineCarriesRecordIdentifiersAndHash()
    {
        var input = FirehoseEvents.Load("mixed-batch.json");
        var data = TransformRun.RecordData(input)[3].GetString()!;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Convert.FromBase64String(data)));

        var run = TransformRun.Of(input);

        Assert.Equal(
            "{\"level\":\"WARN\",\"message\":\"Firehose record rejected.\",\"event\":\"firehose_record_rejected\",\"recordIndex\":3," +
            "\"recordId\":\"49546986683135544286507457936321625675700192471156785157\",\"shardId\":\"shardId-000000000001\"," +
            "\"sequenceNumber\":\"49546986683135544286507457936321625675700192471156785157\"," +
            $"\"approximateArrivalTimestamp\":1795262130126,\"rawSha256\":\"{hash}\",\"rawSha256Of\":\"decodedData\"," +
            $"\"rawBytes\":{Convert.FromBase64String(data).Length}," +
            "\"errors\":[{\"field\":\"torque_nm\",\"code\":\"MissingField\",\"message\":\"torque_nm: required field is missing.\"}]}",
            run.LogLines[2]);
    }

    [Fact]
    public void Transform_MixedBatchFixture_HashesDecodedBytesOrBase64TextOrJsonValue()
    {
        var input = FirehoseEvents.Load("mixed-batch.json");
        var data = TransformRun.RecordData(input);
        static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

        var run = TransformRun.Of(input);

        foreach (var rejection in run.Rejections)
        {
            var index = rejection.GetProperty("recordIndex").GetInt32();
            var (kind, bytes) = index switch
            {
                1 or 9 or 10 => ("base64Text", Encoding.UTF8.GetBytes(data[index].GetString()!)),
                12 => ("jsonValue", Encoding.UTF8.GetBytes(data[index].GetRawText())),
                _ => ("decodedData", Convert.FromBase64String(data[index].GetString()!)),
            };
            Assert.Equal(kind, rejection.GetProperty("rawSha256Of").GetString());
            Assert.Equal(Sha(bytes), rejection.GetProperty("rawSha256").GetString());
            Assert.Equal(bytes.Length, rejection.GetProperty("rawBytes").GetInt32());
        }
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
        var input = FirehoseEvents.Load("empty-batch.json");

        var run = TransformRun.Of(input);

        Assert.Equal("{\"records\":[]}", Encoding.UTF8.GetString(run.Output));
        Assert.Equal((0, 0, 0), (run.Summary.Records, run.Summary.Ok, run.Summary.Failed));
        Assert.Equal(0, Assert.Single(run.LogLines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("records").GetInt32())));
    }

    [Theory]
    [InlineData("envelope-not-json.json", "Malformed Firehose event: not valid JSON at line 5, byte 1: Expected depth to be zero at the end of the JSON payload. There is an open JSON object or array that should be closed.")]
    [InlineData("envelope-no-records.json", "Malformed Firehose event: the event has no \"records\" array.")]
    [InlineData("envelope-records-not-array.json", "Malformed Firehose event: \"records\" must be an array; found an object.")]
    [InlineData("envelope-record-without-recordid.json", "Malformed Firehose event: records[1] has no \"recordId\"; a record cannot be answered without it.")]
    [InlineData("envelope-record-without-data.json", "Malformed Firehose event: records[1] (recordId 49546986683135544286507457936321625675700192471156785155) has no \"data\".")]
    public void Transform_MalformedEnvelopeFixture_ThrowsWithMessageAndLogsNothing(string fixture, string message)
    {
        var log = new StringWriter();
        var transformer = TransformRun.Transformer(log);

        var ex = Assert.Throws<FirehoseEventException>(
            () => transformer.Transform(FirehoseEvents.Load(fixture), new SegmentedBufferWriter()));

        Assert.Equal(message, ex.Message);
        Assert.Equal(string.Empty, log.ToString());
    }

    [Fact]
    public void Transform_SameTransformerTwice_GivesTheSameResponseAndLog()
    {
        var log = new StringWriter { NewLine = "\n" };
        var transformer = TransformRun.Transformer(log);
        var mixed = FirehoseEvents.Load("mixed-batch.json");

        var first = TransformRun.Of(transformer, log, mixed);
        TransformRun.Of(transformer, log, FirehoseEvents.Load("valid-batch.json"));
        var again = TransformRun.Of(transformer, log, mixed);

        Assert.Equal(first.Output, again.Output);
        Assert.Equal(first.LogLines, again.LogLines);
    }

    [Fact]
    public void Transform_AfterMalformedEvent_NextEventIsAnsweredNormally()
    {
        var log = new StringWriter { NewLine = "\n" };
        var transformer = TransformRun.Transformer(log);
        Assert.Throws<FirehoseEventException>(
            () => transformer.Transform(FirehoseEvents.Load("envelope-record-without-data.json"), new SegmentedBufferWriter()));

        var run = TransformRun.Of(transformer, log, FirehoseEvents.Load("mixed-batch.json"));

        Assert.Equal(TransformRun.Of(FirehoseEvents.Load("mixed-batch.json")).Output, run.Output);
        Assert.Equal(12, run.LogLines.Count);
    }

    [Fact]
    public void Constructor_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => new FirehoseTransformer(null!, TextWriter.Null));
        Assert.Throws<ArgumentNullException>(() => new FirehoseTransformer(TimeProvider.System, null!));
    }

    [Theory]
    [InlineData(-1, 1, 1, "MaxRejectionLogLines")]
    [InlineData(0, 0, 1, "MaxRecordBytes")]
    [InlineData(0, 1, 0, "MaxOutputBytes")]
    public void Constructor_OptionOutOfRange_ThrowsNamingIt(int lines, int recordBytes, int outputBytes, string name)
    {
        var options = new FirehoseTransformerOptions
        {
            MaxRejectionLogLines = lines,
            MaxRecordBytes = recordBytes,
            MaxOutputBytes = outputBytes,
        };

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new FirehoseTransformer(TimeProvider.System, TextWriter.Null, options));

        Assert.Equal(name, ex.ParamName);
    }

    [Fact]
    public void Constructor_DefaultOptions_AreTheDeployedOnes()
    {
        var transformer = new FirehoseTransformer(TimeProvider.System, TextWriter.Null);

        Assert.Same(TelemetrySchema.Definition, transformer.Schema);
        Assert.Equal(200, transformer.Options.MaxRejectionLogLines);
        Assert.Equal(1_024_000, transformer.Options.MaxRecordBytes);
        Assert.Equal(6_291_456, transformer.Options.MaxOutputBytes);
    }
}
