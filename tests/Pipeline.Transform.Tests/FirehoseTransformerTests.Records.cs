using System.Text;
using System.Text.Json;
using Pipeline.Ingestion;
using Pipeline.Schema;
using Pipeline.Transform.Tests.Support;

namespace Pipeline.Transform.Tests;

/// <summary>How single records are answered.</summary>
public partial class FirehoseTransformerTests
{
    private static TransformRun One(string base64Data, FirehoseTransformerOptions? options = null) =>
        TransformRun.Of(FirehoseEvents.Build([base64Data]), options);

    private static TransformRun OneRecord(string json, FirehoseTransformerOptions? options = null) =>
        One(Telemetry.Base64(json), options);

    private static (string? Field, string Code, string Message) SingleError(TransformRun run)
    {
        Assert.Equal("ProcessingFailed", Assert.Single(run.Records).Result);
        return Assert.Single(TransformRun.Errors(run.RejectionOf(0)));
    }

    private static string Normalised(TransformRun run)
    {
        var record = Assert.Single(run.Records);
        Assert.True(record.IsOk, string.Join(" | ", run.LogLines));
        return record.Decoded;
    }

    private static string ReplaceField(string json, string field, string? rawValue)
    {
        using var document = JsonDocument.Parse(json);
        var parts = document.RootElement.EnumerateObject()
            .Where(p => p.Name != field || rawValue is not null)
            .Select(p => $"\"{p.Name}\":{(p.Name == field ? rawValue : p.Value.GetRawText())}");
        return "{" + string.Join(",", parts) + "}";
    }

    // ---- base64 and data ----

    [Theory]
    [InlineData("e30= ", "data is not valid base64: byte 0x20 at offset 4 is not in the base64 alphabet (A-Z, a-z, 0-9, +, /); whitespace, line breaks and the URL-safe alphabet are not accepted.")]
    [InlineData(" e30=", "data is not valid base64: byte 0x20 at offset 0 is not in the base64 alphabet (A-Z, a-z, 0-9, +, /); whitespace, line breaks and the URL-safe alphabet are not accepted.")]
    [InlineData("e30=\u0000", "data is not valid base64: byte 0x00 at offset 4 is not in the base64 alphabet (A-Z, a-z, 0-9, +, /); whitespace, line breaks and the URL-safe alphabet are not accepted.")]
    [InlineData("e3*0", "data is not valid base64: character '*' at offset 2 is not in the base64 alphabet (A-Z, a-z, 0-9, +, /); whitespace, line breaks and the URL-safe alphabet are not accepted.")]
    [InlineData("====", "data is not valid base64: it ends in more than two '=' padding characters.")]
    [InlineData("e3\t0=", "data is not valid base64: byte 0x09 at offset 2 is not in the base64 alphabet (A-Z, a-z, 0-9, +, /); whitespace, line breaks and the URL-safe alphabet are not accepted.")]
    [InlineData("e30=\r\n", "data is not valid base64: byte 0x0D at offset 4 is not in the base64 alphabet (A-Z, a-z, 0-9, +, /); whitespace, line breaks and the URL-safe alphabet are not accepted.")]
    [InlineData("ab-_", "data is not valid base64: character '-' at offset 2 is not in the base64 alphabet (A-Z, a-z, 0-9, +, /); whitespace, line breaks and the URL-safe alphabet are not accepted.")]
    [InlineData("e30", "data is not valid base64: its length 3 is not a multiple of 4 (missing or extra '=' padding).")]
    [InlineData("e30==", "data is not valid base64: its length 5 is not a multiple of 4 (missing or extra '=' padding).")]
    [InlineData("e===", "data is not valid base64: it ends in more than two '=' padding characters.")]
    [InlineData("e3=0", "data is not valid base64: '=' padding at offset 2 is not at the end.")]
    [InlineData("e30=e30=", "data is not valid base64: '=' padding at offset 3 is not at the end.")]
    [InlineData("e31=", "data is not valid base64: the unused bits of its last character are not zero (non-canonical encoding).")]
    [InlineData("QR==", "data is not valid base64: the unused bits of its last character are not zero (non-canonical encoding).")]
    public void Transform_InvalidBase64_FailsWithReason(string data, string message)
    {
        var run = One(data);

        var error = SingleError(run);
        Assert.Equal((null, "InvalidBase64"), (error.Field, error.Code));
        Assert.Equal(message, error.Message);

        Assert.Equal(data, run.Records[0].Data);
    }

    [Fact]
    public void Transform_CanonicalBase64WithPadding_IsDecoded()
    {
        // {} padded to each of the three lengths: "{}" (2 bytes, ==), "{} " (3, none), "{}  " (4, =): all JSON.
        foreach (var json in new[] { "{}", "{} ", "{}  " })
        {
            var error = Assert.Single(TransformRun.Errors(OneRecord(json).RejectionOf(0)), e => e.Field == "device_id");
            Assert.Equal("MissingField", error.Code);
        }
    }

    [Theory]
    [InlineData("null", "data is null; expected a base64 string.")]
    [InlineData("true", "data is a boolean; expected a base64 string.")]
    [InlineData("{\"b64\":\"e30=\"}", "data is an object; expected a base64 string.")]
    [InlineData("[\"e30=\"]", "data is an array; expected a base64 string.")]
    public void Transform_DataNotAString_FailsAndEchoesEmptyData(string rawData, string message)
    {
        var json = "{\"records\":[{\"recordId\":\"r\",\"data\":" + rawData + "}]}";

        var run = TransformRun.Of(Encoding.UTF8.GetBytes(json));

        Assert.Equal((null, "DataNotString", message), SingleError(run));
        Assert.Equal(string.Empty, run.Records[0].Data);
        Assert.Equal(("jsonValue", rawData.Length), (run.RejectionOf(0).GetProperty("rawSha256Of").GetString(), run.RejectionOf(0).GetProperty("rawBytes").GetInt32()));
    }

    [Fact]
    public void Transform_DuplicateData_FailsAndEchoesTheFirst()
    {
        var json = "{\"records\":[{\"recordId\":\"r\",\"data\":\"" + ValidData + "\",\"data\":\"e30=\"}]}";

        var run = TransformRun.Of(Encoding.UTF8.GetBytes(json));

        Assert.Equal((null, "DuplicateData", "the record has more than one \"data\" property."), SingleError(run));
        Assert.Equal(ValidData, run.Records[0].Data);
    }

    [Fact]
    public void Transform_DecodedRecordOverLimit_FailsAsTooLarge()
    {
        var run = OneRecord(Telemetry.Valid, new FirehoseTransformerOptions { MaxRecordBytes = Telemetry.Valid.Length - 1 });

        Assert.Equal(
            (null, "RecordTooLarge", $"data decodes to {Telemetry.Valid.Length} bytes, more than the record limit of {Telemetry.Valid.Length - 1} bytes."),
            SingleError(run));
        Assert.Equal("base64Text", run.RejectionOf(0).GetProperty("rawSha256Of").GetString());
    }

    [Fact]
    public void Transform_DecodedRecordAtLimit_IsValidated()
    {
        var run = OneRecord(Telemetry.Valid, new FirehoseTransformerOptions { MaxRecordBytes = Telemetry.Valid.Length });

        Assert.Equal(Telemetry.ValidNormalised, Normalised(run));
    }

    [Fact]
    public void Transform_InvalidBase64OverLimit_ReportsTheBase64Problem()
    {
        var run = One("e30=e30=  ", new FirehoseTransformerOptions { MaxRecordBytes = 1 });

        Assert.Equal("InvalidBase64", SingleError(run).Code);
    }

    // ---- the record ----

    [Fact]
    public void Transform_EmptyObject_ReportsEveryMissingRequiredField()
    {
        var run = OneRecord("{}");

        Assert.Equal(
            ["device_id", "event_time", "air_temperature_k", "process_temperature_k", "rotational_speed_rpm", "torque_nm", "tool_wear_min", "machine_failure"],
            TransformRun.Errors(run.RejectionOf(0)).Select(e => e.Field));
        Assert.All(TransformRun.Errors(run.RejectionOf(0)), e => Assert.Equal("MissingField", e.Code));
        Assert.Equal(1, run.Summary.FailuresByCode["MissingField"]);
    }

    [Theory]
    [InlineData("[]", "NotAnObject", "record must be a JSON object; found an array at line 1, byte 1.")]
    [InlineData("{\"device_id\":", "InvalidJson", "record is not valid JSON at line 1, byte 14: Expected depth to be zero at the end of the JSON payload. There is an open JSON object or array that should be closed.")]
    [InlineData("   ", "InvalidJson", "record is not valid JSON: the input is empty.")]
    public void Transform_NotAJsonObject_FailsWithTheValidatorsReason(string json, string code, string message)
    {
        Assert.Equal((null, code, message), SingleError(OneRecord(json)));
    }

    [Fact]
    public void Transform_OnlyRequiredFields_IsOkWithoutTheOptionalOnes()
    {
        var json = ReplaceField(ReplaceField(ReplaceField(Telemetry.Valid, "site_id", null), "product_quality", "null"), "vibration_mm_s", null);

        var normalised = Normalised(OneRecord(json));

        Assert.Equal(
            "{\"device_id\":\"press-07\",\"event_time\":\"2026-11-21 10:15:30.123\",\"air_temperature_k\":298.1," +
            "\"process_temperature_k\":308.6,\"rotational_speed_rpm\":1551,\"torque_nm\":42.8,\"tool_wear_min\":108," +
            "\"machine_failure\":false}",
            normalised);
    }

    [Fact]
    public void Transform_FieldsInAnyOrderWithWhitespace_AreWrittenInSchemaOrderWithout()
    {
        var json = "\n{ \"machine_failure\" : false ,\t\"vibration_mm_s\":2.5, \"tool_wear_min\":108, \"torque_nm\":42.8,\r\n" +
                   "\"rotational_speed_rpm\":1551, \"process_temperature_k\":308.6, \"air_temperature_k\":298.1,\n" +
                   "\"product_quality\":\"M\", \"site_id\":\"plant-a\", \"event_time\":\"2026-11-21T10:15:30.123Z\", \"device_id\":\"press-07\" }\n";

        Assert.Equal(Telemetry.ValidNormalised, Normalised(OneRecord(json)));
    }

    [Fact]
    public void Transform_ExtraFields_AreEachRejected()
    {
        var run = OneRecord(Telemetry.Valid[..^1] + ",\"operator\":\"kim\",\"shift\":{\"n\":2}}");

        Assert.Equal(
            [("operator", "UnknownField"), ("shift", "UnknownField")],
            TransformRun.Errors(run.RejectionOf(0)).Select(e => (e.Field, e.Code)));
    }

    [Fact]
    public void Transform_DuplicateField_IsRejected()
    {
        var run = OneRecord(Telemetry.Valid[..^1] + ",\"torque_nm\":42.8}");

        Assert.Equal(("torque_nm", "DuplicateField", "torque_nm: field appears more than once; each field is allowed once."), SingleError(run));
    }

    [Theory]
    [InlineData("device_id", "42", "device_id: 42 is a number; expected a string.")]
    [InlineData("event_time", "1795262130123", "event_time: 1795262130123 is a number; expected an ISO-8601 timestamp string with an offset, e.g. \"2026-11-21T10:15:30.123Z\".")]
    [InlineData("air_temperature_k", "\"298.1\"", "air_temperature_k: \"298.1\" is a string; expected a number.")]
    [InlineData("tool_wear_min", "108.5", "tool_wear_min: 108.5 is not a whole number; expected an integer.")]
    [InlineData("machine_failure", "\"false\"", "machine_failure: \"false\" is a string; expected true or false.")]
    [InlineData("torque_nm", "[42.8]", "torque_nm: [...] is an array; expected a number.")]
    [InlineData("site_id", "{\"name\":\"a\"}", "site_id: {...} is an object; expected a string.")]
    [InlineData("rotational_speed_rpm", "1e400", "rotational_speed_rpm: 1e400 is too large for a 64-bit floating-point number; expected a finite number.")]
    public void Transform_WrongType_FailsWithWrongType(string field, string rawValue, string message)
    {
        Assert.Equal((field, "WrongType", message), SingleError(OneRecord(ReplaceField(Telemetry.Valid, field, rawValue))));
    }

    [Theory]
    [InlineData("air_temperature_k", "812.5", "OutOfRange", "air_temperature_k: 812.5 is out of range; allowed 150 to 450 K.")]
    [InlineData("device_id", "\"press 07\"", "PatternMismatch", "device_id: \"press 07\" does not match the pattern ^[A-Za-z0-9._:-]+$.")]
    [InlineData("product_quality", "\"X\"", "ValueNotAllowed", "product_quality: \"X\" is not an allowed value; allowed \"L\", \"M\", \"H\".")]
    [InlineData("machine_failure", "null", "MissingField", "machine_failure: required field is null.")]
    public void Transform_ConstraintViolated_FailsWithTheValidatorsError(string field, string rawValue, string code, string message)
    {
        Assert.Equal((field, code, message), SingleError(OneRecord(ReplaceField(Telemetry.Valid, field, rawValue))));
    }

    [Fact]
    public void Transform_StringLongerThanMaxLength_FailsAsTooLong()
    {
        var site = new string('\u00e9', 65);

        var error = SingleError(OneRecord(ReplaceField(Telemetry.Valid, "site_id", $"\"{site}\"")));

        Assert.Equal(("site_id", "TooLong"), (error.Field, error.Code));
        Assert.EndsWith("\" is 65 characters long; allowed at most 64 characters.", error.Message, StringComparison.Ordinal);
    }

    // ---- timestamps ----

    [Theory]
    [InlineData("2020-01-01T00:00:00Z", "2020-01-01 00:00:00.000", "2020-01-01")]
    [InlineData("2026-11-21T12:15:00Z", "2026-11-21 12:15:00.000", "2026-11-21")]
    [InlineData("2026-11-21T13:14:59.9999999+01:00", "2026-11-21 12:14:59.999", "2026-11-21")]
    [InlineData("2026-11-21T00:30:00+01:00", "2026-11-20 23:30:00.000", "2026-11-20")]
    [InlineData("2026-11-20T22:30:00.5-02:00", "2026-11-21 00:30:00.500", "2026-11-21")]
    [InlineData("2026-11-21T10:15Z", "2026-11-21 10:15:00.000", "2026-11-21")]
    [InlineData("2024-02-29T23:59:59.123456789Z", "2024-02-29 23:59:59.123", "2024-02-29")]
    public void Transform_EventTimeInWindow_IsUtcMillisecondsAndPartitionedByUtcDate(string eventTime, string normalised, string partition)
    {
        var run = OneRecord(ReplaceField(Telemetry.Valid, "event_time", $"\"{eventTime}\""));

        Assert.Contains($"\"event_time\":\"{normalised}\"", Normalised(run), StringComparison.Ordinal);
        Assert.Equal(partition, run.Records[0].PartitionKey);
    }

    [Theory]
    [InlineData("2019-12-31T23:59:59.9999999Z", "EventTimeOutOfWindow")]
    [InlineData("2026-11-21T12:15:00.0000001Z", "EventTimeOutOfWindow")]
    [InlineData("2026-11-21T13:15:01+01:00", "EventTimeOutOfWindow")]
    [InlineData("9999-12-31T23:59:59Z", "EventTimeOutOfWindow")]
    [InlineData("2026-11-21T10:15:30", "InvalidTimestamp")]
    [InlineData("2026-11-21 10:15:30Z", "InvalidTimestamp")]
    [InlineData("2026-02-30T10:15:30Z", "InvalidTimestamp")]
    [InlineData("0001-01-01T00:00:00+00:01", "InvalidTimestamp")]
    public void Transform_EventTimeOutsideWindowOrMalformed_Fails(string eventTime, string code)
    {
        var error = SingleError(OneRecord(ReplaceField(Telemetry.Valid, "event_time", $"\"{eventTime}\"")));

        Assert.Equal(("event_time", code), (error.Field, error.Code));
    }

    [Fact]
    public void Transform_NowComesFromTheTimeProvider()
    {
        var record = FirehoseEvents.Build([Telemetry.Base64(ReplaceField(Telemetry.Valid, "event_time", "\"2026-11-21T12:20:00Z\""))]);
        var early = new FirehoseTransformer(new FixedTimeProvider(Telemetry.Now), TextWriter.Null);
        var later = new FirehoseTransformer(new FixedTimeProvider(Telemetry.Now.AddMinutes(5)), TextWriter.Null);

        Assert.Equal(1, early.Transform(record, new SegmentedBufferWriter()).Failed);
        Assert.Equal(1, later.Transform(record, new SegmentedBufferWriter()).Ok);
    }

    // ---- strings and numbers ----

    [Theory]
    [InlineData("\"Z\\u00fcrich \\ud83c\\udfed\"", "\"Z\u00fcrich \U0001F3ED\"")]
    [InlineData("\"Z\u00fcrich \U0001F3ED\"", "\"Z\u00fcrich \U0001F3ED\"")]
    [InlineData("\"\u6771\u4eac\u2028\u00a0\u007f\u0085\"", "\"\u6771\u4eac\u2028\u00a0\u007f\u0085\"")]
    [InlineData("\"a\\\"b\\\\c\\/d\"", "\"a\\\"b\\\\c/d\"")]
    [InlineData("\"\\b\\f\\n\\r\\t\\u0000\\u001f\\u0041\"", "\"\\b\\f\\n\\r\\t\\u0000\\u001FA\"")]
    [InlineData("\"<script>&'+`\"", "\"<script>&'+`\"")]
    public void Transform_UnicodeAndEscapes_AreWrittenAsUtf8WithMinimalEscaping(string rawSite, string normalisedSite)
    {
        var normalised = Normalised(OneRecord(ReplaceField(Telemetry.Valid, "site_id", rawSite)));

        Assert.Contains($"\"site_id\":{normalisedSite},", normalised, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(normalised);
        using var expected = JsonDocument.Parse("{\"s\":" + rawSite + "}");
        Assert.Equal(expected.RootElement.GetProperty("s").GetString(), document.RootElement.GetProperty("site_id").GetString());
    }

    [Theory]
    [InlineData("\"a\\ud800b\"", "InvalidUnicode")]
    [InlineData("\"\\udfed\"", "InvalidUnicode")]
    public void Transform_UnpairedSurrogate_Fails(string rawSite, string code)
    {
        var error = SingleError(OneRecord(ReplaceField(Telemetry.Valid, "site_id", rawSite)));

        Assert.Equal(("site_id", code), (error.Field, error.Code));
    }

    [Fact]
    public void Transform_InvalidUtf8InRecord_FailsAsInvalidJson()
    {
        var bytes = Encoding.UTF8.GetBytes(ReplaceField(Telemetry.Valid, "site_id", "\"plant?\""));
        bytes[Array.IndexOf(bytes, (byte)'?')] = 0xC0;

        var error = SingleError(One(Convert.ToBase64String(bytes)));

        Assert.Equal((null, "InvalidJson"), (error.Field, error.Code));
        Assert.EndsWith("invalid UTF-8 byte 0xC0.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("air_temperature_k", "2.981e2", "298.1")]
    [InlineData("air_temperature_k", "298.10000000000002", "298.1")]
    [InlineData("air_temperature_k", "298.100", "298.1")]
    [InlineData("air_temperature_k", "0.0003e6", "300")]
    [InlineData("rotational_speed_rpm", "3e4", "30000")]
    [InlineData("rotational_speed_rpm", "1551.0", "1551")]
    [InlineData("torque_nm", "1E3", "1000")]
    [InlineData("torque_nm", "0.00001", "1E-05")]
    [InlineData("torque_nm", "0.0001", "0.0001")]
    [InlineData("torque_nm", "-0", "-0")]
    [InlineData("torque_nm", "-0.0", "-0")]
    [InlineData("tool_wear_min", "1e5", "100000")]
    [InlineData("tool_wear_min", "108.0", "108")]
    [InlineData("tool_wear_min", "-0", "0")]
    [InlineData("machine_failure", "true", "true")]
    public void Transform_Numbers_AreWrittenInShortestInvariantForm(string field, string rawValue, string normalisedValue)
    {
        var normalised = Normalised(OneRecord(ReplaceField(Telemetry.Valid, field, rawValue)));

        Assert.Contains($"\"{field}\":{normalisedValue}", normalised, StringComparison.Ordinal);
    }

    // ---- other schemas ----

    [Fact]
    public void Transform_CustomSchema_WritesItsFieldsTimestampsAndPartitionKey()
    {
        var schema = new RecordSchema(
            "reading",
            [
                new FieldDefinition { Name = "id", Type = FieldType.String, Required = true, Description = "Id." },
                new FieldDefinition { Name = "at", Type = FieldType.Timestamp, Required = true, Description = "Event time." },
                new FieldDefinition { Name = "seen", Type = FieldType.Timestamp, Description = "Another timestamp." },
                new FieldDefinition { Name = "count", Type = FieldType.Long, Required = true, Description = "Label." },
                new FieldDefinition { Name = "big", Type = FieldType.Double, Description = "Unbounded." },
            ],
            eventTimeFieldName: "at",
            labelFieldName: "count",
            earliestEventTime: new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero),
            maxFutureSkew: TimeSpan.Zero,
            partitionKey: "dt");
        var json = "{\"big\":1e300,\"count\":-9223372036854775808,\"seen\":\"2001-02-03T04:05:06.007-00:30\",\"at\":\"2010-10-10T10:10:10Z\",\"id\":\"x\"}";

        var run = OneRecord(json, new FirehoseTransformerOptions { Schema = schema });

        Assert.Equal(
            "{\"id\":\"x\",\"at\":\"2010-10-10 10:10:10.000\",\"seen\":\"2001-02-03 04:35:06.007\",\"count\":-9223372036854775808,\"big\":1E+300}",
            Normalised(run));
        using var document = JsonDocument.Parse(run.Output);
        Assert.Equal(
            "{\"dt\":\"2010-10-10\"}",
            document.RootElement.GetProperty("records")[0].GetProperty("metadata").GetProperty("partitionKeys").GetRawText());
    }
}
