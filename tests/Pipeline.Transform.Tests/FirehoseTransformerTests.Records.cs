using System.Buffers;
using System.Text;
using Pipeline.Ingestion;
using Pipeline.Transform.Tests.Support;

namespace Pipeline.Transform.Tests;

/// <summary>How a record's data is decoded and answered.</summary>
public partial class FirehoseTransformerTests
{
    private static TransformRun One(string base64Data, FirehoseTransformerOptions? options = null) =>
        TransformRun.Of(FirehoseEvents.Build([base64Data]), options);

    private static TransformRun OneRecord(string json, FirehoseTransformerOptions? options = null) => One(Telemetry.Base64(json), options);

    private static (string? Field, string Code, string Message) SingleError(TransformRun run)
    {
        Assert.Equal("ProcessingFailed", Assert.Single(run.Records).Result);
        return Assert.Single(TransformRun.Errors(run.RejectionOf(0)));
    }

    private static (string? Field, string Code) SingleCode(TransformRun run)
    {
        var (field, code, _) = SingleError(run);
        return (field, code);
    }

    [Theory]
    [InlineData("e30= ", "byte 0x20 at offset 4")]
    [InlineData("e3\t0=", "byte 0x09 at offset 2")]
    [InlineData("e30=\r\n", "byte 0x0D at offset 4")]
    [InlineData("e3*0", "byte 0x2A at offset 2")]
    [InlineData("ab-_", "byte 0x2D at offset 2")]
    [InlineData("e30", "length 3 is not a multiple of 4")]
    [InlineData("e30==", "length 5 is not a multiple of 4")]
    [InlineData("====", "'=' padding before the end")]
    [InlineData("e3=0", "'=' padding before the end")]
    [InlineData("e30=e30=", "'=' padding before the end")]
    [InlineData("e31=", "unused bits of the last character")]
    [InlineData("QR==", "unused bits of the last character")]
    public void Transform_NotStrictBase64_FailsNamingTheProblemAndEchoesTheData(string data, string problem)
    {
        var run = One(data);

        var (field, code, message) = SingleError(run);
        Assert.Equal((null, "InvalidBase64"), (field, code));
        Assert.Contains(problem, message, StringComparison.Ordinal);
        Assert.Equal(data, run.Records[0].Data);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{} ")]
    [InlineData("{}  ")]
    public void Transform_CanonicalBase64WithAnyPadding_IsDecoded(string json)
    {
        Assert.Contains(("device_id", "MissingField"), TransformRun.Codes(OneRecord(json).RejectionOf(0)));
    }

    [Theory]
    [InlineData("null", "null")]
    [InlineData("true", "a boolean")]
    [InlineData("{\"b64\":\"e30=\"}", "an object")]
    [InlineData("[\"e30=\"]", "an array")]
    public void Transform_DataNotAString_FailsEchoesEmptyDataAndHashesTheJsonValue(string rawData, string kind)
    {
        var run = TransformRun.Of(Encoding.UTF8.GetBytes("{\"records\":[{\"recordId\":\"r\",\"data\":" + rawData + "}]}"));

        var (field, code, message) = SingleError(run);
        Assert.Equal((null, "DataNotString"), (field, code));
        Assert.Contains(kind, message, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Records[0].Data);
        Assert.Equal(("jsonValue", rawData.Length), (run.RejectionOf(0).GetProperty("rawSha256Of").GetString(), run.RejectionOf(0).GetProperty("rawBytes").GetInt32()));
    }

    [Fact]
    public void Transform_EmptyData_FailsAsEmptyData()
    {
        Assert.Equal((null, "EmptyData"), SingleCode(One(string.Empty)));
    }

    [Fact]
    public void Transform_DuplicateData_FailsAndEchoesTheFirst()
    {
        var run = TransformRun.Of(Encoding.UTF8.GetBytes("{\"records\":[{\"recordId\":\"r\",\"data\":\"" + ValidData + "\",\"data\":\"e30=\"}]}"));

        Assert.Equal((null, "DuplicateData"), SingleCode(run));
        Assert.Equal(ValidData, run.Records[0].Data);
    }

    [Fact]
    public void Transform_DecodedRecordOverLimit_FailsAsTooLargeNamingBothSizes()
    {
        var run = OneRecord(Telemetry.Valid, new FirehoseTransformerOptions { MaxRecordBytes = Telemetry.Valid.Length - 1 });

        var (field, code, message) = SingleError(run);
        Assert.Equal((null, "RecordTooLarge"), (field, code));
        Assert.Contains($"{Telemetry.Valid.Length} bytes", message, StringComparison.Ordinal);
        Assert.Contains($"{Telemetry.Valid.Length - 1} bytes", message, StringComparison.Ordinal);
        Assert.Equal("base64Text", run.RejectionOf(0).GetProperty("rawSha256Of").GetString());
    }

    [Fact]
    public void Transform_DecodedRecordAtLimit_IsValidated()
    {
        var run = OneRecord(Telemetry.Valid, new FirehoseTransformerOptions { MaxRecordBytes = Telemetry.Valid.Length });

        Assert.Equal(Telemetry.ValidNormalised, Assert.Single(run.Records).Decoded);
    }

    [Fact]
    public void Transform_InvalidRecord_LogsEachOfTheValidatorsErrorsAndCountsEachCodeOnce()
    {
        var json = Telemetry.With("torque_nm", "-1", Telemetry.With("air_temperature_k", "1000", Telemetry.With("device_id", null)));

        var run = OneRecord(json);

        Assert.Equal(
            [("air_temperature_k", "OutOfRange"), ("torque_nm", "OutOfRange"), ("device_id", "MissingField")],
            TransformRun.Codes(run.RejectionOf(0)));
        Assert.Equal(new Dictionary<string, int> { ["MissingField"] = 1, ["OutOfRange"] = 1 }, run.Summary.FailuresByCode);
    }

    [Theory]
    [InlineData("2026-11-21T10:15:30Z", "2026-11-21")]
    [InlineData("2026-11-21T00:30:00+01:00", "2026-11-20")]
    [InlineData("2026-11-20T22:30:00.5-02:00", "2026-11-21")]
    public void Transform_ValidRecord_IsPartitionedByTheUtcDateOfItsEventTime(string eventTime, string partition)
    {
        var run = OneRecord(Telemetry.With("event_time", $"\"{eventTime}\""));

        Assert.Equal(("Ok", partition), (run.Records[0].Result, run.Records[0].PartitionKey));
        Assert.Equal(partition, Pipeline.Schema.TelemetrySchema.Definition.PartitionValue(DateTimeOffset.Parse(eventTime, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Transform_Response_UsesTheSchemasPartitionKey()
    {
        Assert.Contains(
            $"\"partitionKeys\":{{\"{Pipeline.Schema.TelemetrySchema.Definition.PartitionKey}\":\"2026-11-21\"}}",
            Encoding.UTF8.GetString(OneRecord(Telemetry.Valid).Output),
            StringComparison.Ordinal);
    }

    [Fact]
    public void Transform_NowComesFromTheTimeProvider()
    {
        var record = FirehoseEvents.Build([Telemetry.Base64(Telemetry.With("event_time", "\"2026-11-21T12:20:00Z\""))]);
        var early = new FirehoseTransformer(new FixedTimeProvider(Telemetry.Now), TextWriter.Null);
        var later = new FirehoseTransformer(new FixedTimeProvider(Telemetry.Now.AddMinutes(5)), TextWriter.Null);

        Assert.Equal((0, 1), (early.Transform(record, new ArrayBufferWriter<byte>()).Ok, later.Transform(record, new ArrayBufferWriter<byte>()).Ok));
    }
}
