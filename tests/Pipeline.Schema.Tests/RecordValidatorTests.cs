using System.Text;
using Pipeline.Schema;
using static Pipeline.Schema.Tests.TelemetryRecords;

namespace Pipeline.Schema.Tests;

public partial class RecordValidatorTests
{
    private const string FieldList =
        "device_id, event_time, site_id, product_quality, air_temperature_k, process_temperature_k, " +
        "rotational_speed_rpm, torque_nm, tool_wear_min, vibration_mm_s, machine_failure";

    private const string TimestampHint =
        "expected the form yyyy-MM-ddTHH:mm:ss[.fffffffff] with Z or +hh:mm/-hh:mm, e.g. \"2026-11-21T10:15:30.123Z\".";

    // ---- valid records ----

    [Fact]
    public void Validate_ValidRecord_IsValidWithTypedValues()
    {
        var result = Validate(Valid);

        Assert.True(result.IsValid);
        Assert.Empty(result.Errors);
        Assert.Same(TelemetrySchema.Definition, result.Schema);
        Assert.Equal("press-07", result.GetValue("device_id").AsString());
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 10, 15, 30, 123, TimeSpan.Zero), result.GetValue("event_time").AsTimestamp());
        Assert.Equal("plant-a", result.GetValue("site_id").AsString());
        Assert.Equal("M", result.GetValue("product_quality").AsString());
        Assert.Equal(298.1, result.GetValue("air_temperature_k").AsDouble());
        Assert.Equal(308.6, result.GetValue("process_temperature_k").AsDouble());
        Assert.Equal(1551.0, result.GetValue("rotational_speed_rpm").AsDouble());
        Assert.Equal(42.8, result.GetValue("torque_nm").AsDouble());
        Assert.Equal(108L, result.GetValue("tool_wear_min").AsInt64());
        Assert.Equal(2.5, result.GetValue("vibration_mm_s").AsDouble());
        Assert.False(result.GetValue("machine_failure").AsBoolean());
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 10, 15, 30, 123, TimeSpan.Zero), result.EventTime);
        Assert.Equal("2026-11-21", result.PartitionValue);
        Assert.Equal(11, result.Values.Length);
    }

    [Fact]
    public void Validate_OnlyRequiredFields_IsValidWithoutValuesForOptionalFields()
    {
        var json = TelemetryRecords.Build(
            ValidFields.Where(f => f.Key is not ("site_id" or "product_quality" or "vibration_mm_s")));

        var result = Validate(json);

        Assert.True(result.IsValid);
        Assert.False(result.GetValue("site_id").HasValue);
        Assert.False(result.GetValue("product_quality").HasValue);
        Assert.False(result.GetValue("vibration_mm_s").HasValue);
        Assert.Equal(FieldValue.None, result.GetValue("vibration_mm_s"));
    }

    [Fact]
    public void Validate_FieldsInAnyOrderWithWhitespaceAndTrailingNewline_IsValid()
    {
        var json = "\r\n {\n  \"machine_failure\" : true,\t" + Valid[1..^1] + "\n}\n";
        json = json.Replace(",\"machine_failure\":false", string.Empty, StringComparison.Ordinal);

        var result = Validate(json);

        Assert.True(result.IsValid, string.Join(" | ", result.Errors));
        Assert.True(result.GetValue("machine_failure").AsBoolean());
    }

    [Fact]
    public void Validate_EscapedPropertyName_MatchesField()
    {
        var json = Without("device_id")[..^1] + ",\"devic\\u0065_id\":\"press-07\"}";

        var result = Validate(json);

        Assert.True(result.IsValid, string.Join(" | ", result.Errors));
        Assert.Equal("press-07", result.GetValue("device_id").AsString());
    }

    // ---- JSON types ----

    [Theory]
    [InlineData("device_id", "42", "device_id: 42 is a number; expected a string.")]
    [InlineData("device_id", "true", "device_id: true is a boolean; expected a string.")]
    [InlineData("event_time", "1732184130", "event_time: 1732184130 is a number; expected an ISO-8601 timestamp string with an offset, e.g. \"2026-11-21T10:15:30.123Z\".")]
    [InlineData("event_time", "{\"s\":1}", "event_time: {...} is an object; expected an ISO-8601 timestamp string with an offset, e.g. \"2026-11-21T10:15:30.123Z\".")]
    [InlineData("site_id", "{\"name\":\"a\"}", "site_id: {...} is an object; expected a string.")]
    [InlineData("site_id", "1", "site_id: 1 is a number; expected a string.")]
    [InlineData("product_quality", "[\"M\"]", "product_quality: [...] is an array; expected a string.")]
    [InlineData("air_temperature_k", "\"298.1\"", "air_temperature_k: \"298.1\" is a string; expected a number.")]
    [InlineData("process_temperature_k", "false", "process_temperature_k: false is a boolean; expected a number.")]
    [InlineData("rotational_speed_rpm", "[1551]", "rotational_speed_rpm: [...] is an array; expected a number.")]
    [InlineData("torque_nm", "\"42.8\"", "torque_nm: \"42.8\" is a string; expected a number.")]
    [InlineData("torque_nm", "1e400", "torque_nm: 1e400 is too large for a 64-bit floating-point number; expected a finite number.")]
    [InlineData("tool_wear_min", "\"108\"", "tool_wear_min: \"108\" is a string; expected an integer.")]
    [InlineData("tool_wear_min", "12.5", "tool_wear_min: 12.5 is not a whole number; expected an integer.")]
    [InlineData("tool_wear_min", "1.08e1", "tool_wear_min: 1.08e1 is not a whole number; expected an integer.")]
    [InlineData("tool_wear_min", "1e30", "tool_wear_min: 1e30 is outside the 64-bit integer range; expected an integer.")]
    [InlineData("tool_wear_min", "9223372036854775808", "tool_wear_min: 9223372036854775808 is outside the 64-bit integer range; expected an integer.")]
    [InlineData("vibration_mm_s", "\"2.5\"", "vibration_mm_s: \"2.5\" is a string; expected a number.")]
    [InlineData("machine_failure", "\"false\"", "machine_failure: \"false\" is a string; expected true or false.")]
    [InlineData("machine_failure", "0", "machine_failure: 0 is a number; expected true or false.")]
    [InlineData("machine_failure", "[[[true]]]", "machine_failure: [...] is an array; expected true or false.")]
    public void Validate_WrongJsonType_ReportsWrongType(string field, string rawValue, string message)
    {
        var result = Validate(With(field, rawValue));

        SingleError(result, field, RecordErrorCode.WrongType, message);
        Assert.False(result.GetValue(field).HasValue);
    }

    [Theory]
    [InlineData("1e3", 1000)]
    [InlineData("1E+3", 1000)]
    [InlineData("108.0", 108)]
    [InlineData("1.08e2", 108)]
    [InlineData("10800e-2", 108)]
    [InlineData("0.0000000000000000000000001e25", 0.0000000000000000000000001e25)]
    [InlineData("-0", 0)]
    [InlineData("0e999999999999", 0)]
    public void Validate_WholeNumberInExponentOrFractionForm_AcceptsLong(string raw, double expected)
    {
        var result = Validate(With("tool_wear_min", raw));

        Assert.True(result.IsValid, string.Join(" | ", result.Errors));
        Assert.Equal((long)expected, result.GetValue("tool_wear_min").AsInt64());
    }

    [Theory]
    [InlineData("42", 42.0)]
    [InlineData("4.28e1", 42.8)]
    [InlineData("-0.0", 0.0)]
    [InlineData("1e-400", 0.0)]
    public void Validate_NumberForms_AcceptsDouble(string raw, double expected)
    {
        var result = Validate(With("torque_nm", raw));

        Assert.True(result.IsValid, string.Join(" | ", result.Errors));
        Assert.Equal(expected, result.GetValue("torque_nm").AsDouble());
    }

    // ---- presence ----

    [Theory]
    [InlineData("device_id")]
    [InlineData("event_time")]
    [InlineData("air_temperature_k")]
    [InlineData("process_temperature_k")]
    [InlineData("rotational_speed_rpm")]
    [InlineData("torque_nm")]
    [InlineData("tool_wear_min")]
    [InlineData("machine_failure")]
    public void Validate_RequiredFieldMissing_ReportsMissingField(string field)
    {
        var result = Validate(Without(field));

        SingleError(result, field, RecordErrorCode.MissingField, $"{field}: required field is missing.");
    }

    [Theory]
    [InlineData("device_id")]
    [InlineData("event_time")]
    [InlineData("tool_wear_min")]
    [InlineData("machine_failure")]
    public void Validate_RequiredFieldNull_ReportsMissingFieldIsNull(string field)
    {
        var result = Validate(With(field, "null"));

        SingleError(result, field, RecordErrorCode.MissingField, $"{field}: required field is null.");
    }

    [Theory]
    [InlineData("site_id")]
    [InlineData("product_quality")]
    [InlineData("vibration_mm_s")]
    public void Validate_OptionalFieldNull_IsValidWithoutValue(string field)
    {
        var result = Validate(With(field, "null"));

        Assert.True(result.IsValid);
        Assert.False(result.GetValue(field).HasValue);
    }

    [Fact]
    public void Validate_EmptyObject_ReportsEveryRequiredFieldMissingInSchemaOrder()
    {
        var result = Validate("{}");

        Assert.Equal(
            ["device_id", "event_time", "air_temperature_k", "process_temperature_k", "rotational_speed_rpm", "torque_nm", "tool_wear_min", "machine_failure"],
            result.Errors.Select(e => e.Field));
        Assert.All(result.Errors, e => Assert.Equal(RecordErrorCode.MissingField, e.Code));
        Assert.Null(result.EventTime);
        Assert.Null(result.PartitionValue);
    }

    [Fact]
    public void Validate_UnknownField_ReportsUnknownFieldWithAllowedFields()
    {
        var result = Validate(WithExtra("\"temperature_c\":25"));

        SingleError(
            result,
            "temperature_c",
            RecordErrorCode.UnknownField,
            $"temperature_c: unknown field; the fields of telemetry are {FieldList}.");
    }

    [Fact]
    public void Validate_FieldNameWithDifferentCase_ReportsUnknownAndMissing()
    {
        var result = Validate(Without("device_id")[..^1] + ",\"Device_Id\":\"press-07\"}");

        Assert.Equal(
            [(RecordErrorCode.UnknownField, "Device_Id"), (RecordErrorCode.MissingField, "device_id")],
            result.Errors.Select(e => (e.Code, e.Field)));
    }

    [Fact]
    public void Validate_UnknownFieldWithHostileName_EscapesNameToPrintableAscii()
    {
        var result = Validate(WithExtra("\"a\\nb\u202Ec\u00e9\\u0000\":{\"x\":[1,\"\u00ff\"]}"));

        var error = Assert.Single(result.Errors);
        Assert.Equal(RecordErrorCode.UnknownField, error.Code);
        Assert.Equal("a\\nb\\u202ec\\u00e9\\u0000", error.Field);
        Assert.StartsWith("a\\nb\\u202ec\\u00e9\\u0000: unknown field;", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DuplicateField_ReportsDuplicateFieldAndKeepsFirstValue()
    {
        var result = Validate(WithExtra("\"tool_wear_min\":5"));

        SingleError(
            result,
            "tool_wear_min",
            RecordErrorCode.DuplicateField,
            "tool_wear_min: field appears more than once; each field is allowed once.");
        Assert.Equal(108L, result.GetValue("tool_wear_min").AsInt64());
    }

    [Fact]
    public void Validate_DuplicateOfNullOptionalField_ReportsDuplicateField()
    {
        var result = Validate(With("site_id", "null")[..^1] + ",\"site_id\":\"plant-b\"}");

        SingleError(
            result,
            "site_id",
            RecordErrorCode.DuplicateField,
            "site_id: field appears more than once; each field is allowed once.");
    }

    // ---- numeric ranges ----

    [Theory]
    [InlineData("air_temperature_k", "150", true)]
    [InlineData("air_temperature_k", "149.99", false)]
    [InlineData("air_temperature_k", "450", true)]
    [InlineData("air_temperature_k", "450.01", false)]
    [InlineData("process_temperature_k", "150", true)]
    [InlineData("process_temperature_k", "149.9", false)]
    [InlineData("process_temperature_k", "600", true)]
    [InlineData("process_temperature_k", "600.1", false)]
    [InlineData("rotational_speed_rpm", "0", true)]
    [InlineData("rotational_speed_rpm", "-0.001", false)]
    [InlineData("rotational_speed_rpm", "30000", true)]
    [InlineData("rotational_speed_rpm", "30000.5", false)]
    [InlineData("torque_nm", "0", true)]
    [InlineData("torque_nm", "-1e-9", false)]
    [InlineData("torque_nm", "1000", true)]
    [InlineData("torque_nm", "1000.001", false)]
    [InlineData("tool_wear_min", "0", true)]
    [InlineData("tool_wear_min", "-1", false)]
    [InlineData("tool_wear_min", "100000", true)]
    [InlineData("tool_wear_min", "100001", false)]
    [InlineData("tool_wear_min", "1.00001e5", false)]
    [InlineData("vibration_mm_s", "0", true)]
    [InlineData("vibration_mm_s", "-0.1", false)]
    [InlineData("vibration_mm_s", "500", true)]
    [InlineData("vibration_mm_s", "500.1", false)]
    public void Validate_NumberAtOrBeyondBound_AcceptsInsideRejectsOutside(string field, string raw, bool valid)
    {
        var result = Validate(With(field, raw));

        Assert.Equal(valid, result.IsValid);
        if (!valid)
        {
            var error = Assert.Single(result.Errors);
            Assert.Equal(RecordErrorCode.OutOfRange, error.Code);
            Assert.Equal(field, error.Field);
            Assert.StartsWith($"{field}: {raw} is out of range; allowed ", error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("air_temperature_k", "812.5", "air_temperature_k: 812.5 is out of range; allowed 150 to 450 K.")]
    [InlineData("process_temperature_k", "-3", "process_temperature_k: -3 is out of range; allowed 150 to 600 K.")]
    [InlineData("rotational_speed_rpm", "3.1e4", "rotational_speed_rpm: 3.1e4 is out of range; allowed 0 to 30000 rpm.")]
    [InlineData("torque_nm", "1001", "torque_nm: 1001 is out of range; allowed 0 to 1000 N·m.")]
    [InlineData("tool_wear_min", "-1", "tool_wear_min: -1 is out of range; allowed 0 to 100000 minutes.")]
    [InlineData("vibration_mm_s", "500.5", "vibration_mm_s: 500.5 is out of range; allowed 0 to 500 mm/s.")]
    public void Validate_NumberOutOfRange_ReportsValueRangeAndUnit(string field, string raw, string message)
    {
        SingleError(Validate(With(field, raw)), field, RecordErrorCode.OutOfRange, message);
    }

    // ---- strings ----

    [Fact]
    public void Validate_DeviceIdAtMaxLength_IsValid()
    {
        var id = new string('a', 64);

        var result = Validate(With("device_id", $"\"{id}\""));

        Assert.True(result.IsValid);
        Assert.Equal(id, result.GetValue("device_id").AsString());
    }

    [Fact]
    public void Validate_DeviceIdOneOverMaxLength_ReportsTooLongWithShortenedValue()
    {
        var result = Validate(With("device_id", $"\"{new string('a', 65)}\""));

        SingleError(
            result,
            "device_id",
            RecordErrorCode.TooLong,
            $"device_id: \"{new string('a', 64)}...\" is 65 characters long; allowed 1 to 64 characters.");
    }

    [Fact]
    public void Validate_SiteIdOverMaxLength_ReportsTooLongWithUpperLimitOnly()
    {
        var result = Validate(With("site_id", $"\"{new string('s', 300)}\""));

        SingleError(
            result,
            "site_id",
            RecordErrorCode.TooLong,
            $"site_id: \"{new string('s', 64)}...\" is 300 characters long; allowed at most 64 characters.");
    }

    [Fact]
    public void Validate_EmptyDeviceId_ReportsTooShortAndPatternMismatch()
    {
        var result = Validate(With("device_id", "\"\""));

        Assert.Equal(
            [
                new RecordError("device_id", RecordErrorCode.TooShort, "device_id: \"\" is 0 characters long; allowed 1 to 64 characters."),
                new RecordError("device_id", RecordErrorCode.PatternMismatch, "device_id: \"\" does not match the pattern ^[A-Za-z0-9._:-]+$."),
            ],
            result.Errors);
    }

    [Theory]
    [InlineData("\"press 07\"", "device_id: \"press 07\" does not match the pattern ^[A-Za-z0-9._:-]+$.")]
    [InlineData("\"press-07\\n\"", "device_id: \"press-07\\n\" does not match the pattern ^[A-Za-z0-9._:-]+$.")]
    [InlineData("\"pr\u00e9ss\"", "device_id: \"pr\\u00e9ss\" does not match the pattern ^[A-Za-z0-9._:-]+$.")]
    [InlineData("\"a/b\"", "device_id: \"a/b\" does not match the pattern ^[A-Za-z0-9._:-]+$.")]
    public void Validate_DeviceIdNotMatchingPattern_ReportsPatternMismatch(string raw, string message)
    {
        SingleError(Validate(With("device_id", raw)), "device_id", RecordErrorCode.PatternMismatch, message);
    }

    [Theory]
    [InlineData("\"press-07.a:b_c\"", "press-07.a:b_c")]
    [InlineData("\"\\u0070ress\"", "press")]
    public void Validate_DeviceIdMatchingPattern_IsValid(string raw, string expected)
    {
        var result = Validate(With("device_id", raw));

        Assert.True(result.IsValid, string.Join(" | ", result.Errors));
        Assert.Equal(expected, result.GetValue("device_id").AsString());
    }

    [Theory]
    [InlineData("\"L\"", 0)]
    [InlineData("\"M\"", 1)]
    [InlineData("\"H\"", 2)]
    [InlineData("\"\\u0048\"", 2)]
    public void Validate_AllowedProductQuality_IsValidAndReusesSchemaString(string raw, int index)
    {
        var result = Validate(With("product_quality", raw));

        Assert.True(result.IsValid);
        Assert.Same(TelemetrySchema.ProductQualities[index], result.GetValue("product_quality").AsString());
    }

    [Theory]
    [InlineData("\"X\"")]
    [InlineData("\"m\"")]
    [InlineData("\"\"")]
    [InlineData("\"MM\"")]
    [InlineData("\"M \"")]
    public void Validate_ProductQualityNotAllowed_ReportsValueNotAllowed(string raw)
    {
        SingleError(
            Validate(With("product_quality", raw)),
            "product_quality",
            RecordErrorCode.ValueNotAllowed,
            $"product_quality: {raw} is not an allowed value; allowed \"L\", \"M\", \"H\".");
    }

    // ---- unicode ----

    [Theory]
    [InlineData("\"Z\u00fcrich \U0001F3ED\"", "Z\u00fcrich \U0001F3ED")]
    [InlineData("\"Z\\u00fcrich \\ud83c\\udfed\"", "Z\u00fcrich \U0001F3ED")]
    [InlineData("\"caf\\u00e9 \\\"quoted\\\" \\\\ \\/ \\t\"", "caf\u00e9 \"quoted\" \\ / \t")]
    [InlineData("\"\\u0000\"", "\0")]
    [InlineData("\"\u0645\u0635\u0646\u0639\"", "\u0645\u0635\u0646\u0639")]
    public void Validate_UnicodeSiteId_IsValidAndDecoded(string raw, string expected)
    {
        var result = Validate(With("site_id", raw));

        Assert.True(result.IsValid, string.Join(" | ", result.Errors));
        Assert.Equal(expected, result.GetValue("site_id").AsString());
    }

    [Fact]
    public void Validate_SiteIdOf64Emoji_CountsRunesNotUtf16Units()
    {
        var emoji64 = string.Concat(Enumerable.Repeat("\U0001F3ED", 64)); // 128 UTF-16 units, 256 UTF-8 bytes

        var result = Validate(With("site_id", $"\"{emoji64}\""));

        Assert.True(result.IsValid, string.Join(" | ", result.Errors));
        Assert.Equal(emoji64, result.GetValue("site_id").AsString());
    }

    [Fact]
    public void Validate_SiteIdOf65EscapedEmoji_ReportsTooLongWithEscapedValue()
    {
        var escaped = string.Concat(Enumerable.Repeat("\\ud83c\\udfed", 65)); // 780 bytes: the pooled-buffer path

        var result = Validate(With("site_id", $"\"{escaped}\""));

        SingleError(
            result,
            "site_id",
            RecordErrorCode.TooLong,
            $"site_id: \"{string.Concat(Enumerable.Repeat("\\ud83c\\udfed", 5))}...\" is 65 characters long; allowed at most 64 characters.");
    }

    [Theory]
    [InlineData("\"\\ud800\"", "site_id: \"\\ud800\" is not valid Unicode (unpaired surrogate escape); expected a string of Unicode characters.")]
    [InlineData("\"a\\udc00b\"", "site_id: \"a\\udc00b\" is not valid Unicode (unpaired surrogate escape); expected a string of Unicode characters.")]
    [InlineData("\"\\ud83c\\u0041\"", "site_id: \"\\ud83c\\u0041\" is not valid Unicode (unpaired surrogate escape); expected a string of Unicode characters.")]
    public void Validate_UnpairedSurrogateEscape_ReportsInvalidUnicode(string raw, string message)
    {
        SingleError(Validate(With("site_id", raw)), "site_id", RecordErrorCode.InvalidUnicode, message);
    }

    [Fact]
    public void Validate_UnpairedSurrogateInTimestamp_ReportsInvalidTimestamp()
    {
        SingleError(
            Validate(With("event_time", "\"2026-11-21T10:15:30Z\\ud800\"")),
            "event_time",
            RecordErrorCode.InvalidTimestamp,
            $"event_time: \"2026-11-21T10:15:30Z\\ud800\" is not an ISO-8601 date-time; {TimestampHint}");
    }

    [Fact]
    public void Validate_UnpairedSurrogateInPropertyName_ReportsUnknownField()
    {
        var result = Validate(WithExtra("\"x\\ud800\":1"));

        var error = Assert.Single(result.Errors);
        Assert.Equal(RecordErrorCode.UnknownField, error.Code);
        Assert.Equal("x\\ud800", error.Field);
    }

    // ---- timestamps ----

    [Theory]
    [InlineData("\"2026-11-21T10:15:30Z\"", "2026-11-21T10:15:30.0000000+00:00")]
    [InlineData("\"2026-11-21T10:15:30.123Z\"", "2026-11-21T10:15:30.1230000+00:00")]
    [InlineData("\"2026-11-21T12:15:30.5+02:00\"", "2026-11-21T10:15:30.5000000+00:00")]
    [InlineData("\"2026-11-21T05:45:30-04:30\"", "2026-11-21T10:15:30.0000000+00:00")]
    [InlineData("\"2026-11-21T10:15:30-00:00\"", "2026-11-21T10:15:30.0000000+00:00")]
    [InlineData("\"2026-11-21T10:15:30.123456789Z\"", "2026-11-21T10:15:30.1234567+00:00")]
    [InlineData("\"2026-11-21T10:15Z\"", "2026-11-21T10:15:00.0000000+00:00")]
    [InlineData("\"2026-11-21T11:15:30\\u002B01:00\"", "2026-11-21T10:15:30.0000000+00:00")]
    public void Validate_TimestampWithOffset_IsNormalisedToUtc(string raw, string expectedRoundTrip)
    {
        var result = Validate(With("event_time", raw));

        Assert.True(result.IsValid, string.Join(" | ", result.Errors));
        var eventTime = result.GetValue("event_time").AsTimestamp();
        Assert.Equal(expectedRoundTrip, eventTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(TimeSpan.Zero, eventTime.Offset);
        Assert.Equal(eventTime, result.EventTime);
        Assert.Equal(TimeSpan.Zero, result.EventTime!.Value.Offset);
    }

    [Theory]
    [InlineData("\"2026-11-21T10:15:30\"", "has no UTC offset (ambiguous)")]
    [InlineData("\"2026-11-21T10:15:30.123\"", "has no UTC offset (ambiguous)")]
    [InlineData("\"2026-11-21T10:15\"", "has no UTC offset (ambiguous)")]
    [InlineData("\"2026-11-21\"", "is not an ISO-8601 date-time")]
    [InlineData("\"2026-11-21 10:15:30Z\"", "is not an ISO-8601 date-time")]
    [InlineData("\"2026-11-21t10:15:30z\"", "is not an ISO-8601 date-time")]
    [InlineData("\"20261121T101530Z\"", "is not an ISO-8601 date-time")]
    [InlineData("\"2026-11-21T10:15:30+0200\"", "is not an ISO-8601 date-time")]
    [InlineData("\"2026-11-21T10:15:30+02\"", "is not an ISO-8601 date-time")]
    [InlineData("\"2026-11-21T10:15:30.Z\"", "is not an ISO-8601 date-time")]
    [InlineData("\"2026-11-21T10:15:30.1234567891Z\"", "is not an ISO-8601 date-time")]
    [InlineData("\"2026-11-21T10:15:30Z \"", "is not an ISO-8601 date-time")]
    [InlineData("\"yesterday\"", "is not an ISO-8601 date-time")]
    [InlineData("\"\"", "is not an ISO-8601 date-time")]
    [InlineData("\"2026-02-29T10:15:30Z\"", "is not a valid date, time and offset")]
    [InlineData("\"2026-13-01T10:15:30Z\"", "is not a valid date, time and offset")]
    [InlineData("\"2026-11-21T24:00:00Z\"", "is not a valid date, time and offset")]
    [InlineData("\"2026-11-21T10:60:00Z\"", "is not a valid date, time and offset")]
    [InlineData("\"2026-11-21T10:15:60Z\"", "is not a valid date, time and offset")]
    [InlineData("\"2026-11-21T10:15:30+14:01\"", "is not a valid date, time and offset")]
    [InlineData("\"0000-01-01T00:00:00Z\"", "is not a valid date, time and offset")]
    [InlineData("\"0001-01-01T00:00:00+01:00\"", "is not a valid date, time and offset")]
    public void Validate_MalformedTimestamp_ReportsInvalidTimestamp(string raw, string problem)
    {
        SingleError(
            Validate(With("event_time", raw)),
            "event_time",
            RecordErrorCode.InvalidTimestamp,
            $"event_time: {raw} {problem}; {TimestampHint}");
    }

    [Fact]
    public void Validate_LongTimestampString_ReportsInvalidTimestampWithShortenedValue()
    {
        var raw = "\"" + string.Concat(Enumerable.Repeat("\\u0032", 100)) + "\"";

        var result = Validate(With("event_time", raw));

        var error = SingleError(
            result,
            "event_time",
            RecordErrorCode.InvalidTimestamp,
            $"event_time: \"{string.Concat(Enumerable.Repeat("\\u0032", 10))}...\" is not an ISO-8601 date-time; {TimestampHint}");
        Assert.NotNull(error);
    }

    // ---- event-time window ----

    [Theory]
    [InlineData("\"2020-01-01T00:00:00Z\"")] // EarliestEventTime, inclusive
    [InlineData("\"2020-01-01T01:00:00+01:00\"")] // the same instant with an offset
    [InlineData("\"2026-11-21T12:15:00Z\"")] // now + 15 minutes, inclusive
    [InlineData("\"2026-11-21T12:15:00.00000009Z\"")] // digits below 100 ns are truncated: still the boundary
    [InlineData("\"2026-11-21T12:14:59.9999999Z\"")]
    public void Validate_EventTimeAtWindowBoundary_IsValid(string raw)
    {
        Assert.True(Validate(With("event_time", raw)).IsValid);
    }

    [Theory]
    [InlineData("\"2019-12-31T23:59:59.999Z\"", "2019-12-31T23:59:59.999Z")]
    [InlineData("\"2020-01-01T00:59:59+01:00\"", "2019-12-31T23:59:59Z")]
    [InlineData("\"2026-11-21T12:15:00.001Z\"", "2026-11-21T12:15:00.001Z")]
    [InlineData("\"2026-11-21T13:15:01+01:00\"", "2026-11-21T12:15:01Z")]
    [InlineData("\"9999-12-31T23:59:59.9999999Z\"", "9999-12-31T23:59:59.9999999Z")]
    public void Validate_EventTimeOutsideWindow_ReportsWindowInMessage(string raw, string utc)
    {
        var result = Validate(With("event_time", raw));

        SingleError(
            result,
            "event_time",
            RecordErrorCode.EventTimeOutOfWindow,
            $"event_time: {raw} is {utc}, outside the accepted window; allowed 2020-01-01T00:00:00Z to 2026-11-21T12:15:00Z (now + 00:15:00).");
        Assert.Null(result.EventTime);
        Assert.Null(result.PartitionValue);
    }

    [Fact]
    public void Validate_NowNearMaxValue_DoesNotOverflow()
    {
        var result = new RecordValidator(TelemetrySchema.Definition)
            .Validate(Encoding.UTF8.GetBytes(Valid), DateTimeOffset.MaxValue);

        Assert.True(result.IsValid);
    }

    [Theory]
    [InlineData("2026-11-21T23:30:00-02:00", "2026-11-22")]
    [InlineData("2026-11-22T00:30:00+01:00", "2026-11-21")]
    [InlineData("2026-11-21T23:59:59.9999999Z", "2026-11-21")]
    [InlineData("2026-11-22T00:00:00Z", "2026-11-22")]
    [InlineData("2026-11-21T10:00:00+14:00", "2026-11-20")]
    [InlineData("2026-12-31T23:00:00-01:00", "2027-01-01")]
    public void Validate_EventTimeNearMidnight_PartitionsByUtcDate(string eventTime, string partition)
    {
        var json = With("event_time", $"\"{eventTime}\"");

        var result = new RecordValidator(TelemetrySchema.Definition)
            .Validate(Encoding.UTF8.GetBytes(json), new DateTimeOffset(2027, 1, 2, 0, 0, 0, TimeSpan.Zero));

        Assert.True(result.IsValid);
        Assert.Equal(partition, result.PartitionValue);
    }

    // ---- not JSON, not an object ----

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("\r\n\t ")]
    public void Validate_EmptyInput_ReportsInvalidJsonEmpty(string json)
    {
        SingleError(Validate(json), null, RecordErrorCode.InvalidJson, "record is not valid JSON: the input is empty.");
    }

    [Theory]
    [InlineData("[1,2]", "an array at line 1, byte 1")]
    [InlineData("  [\"device_id\"]", "an array at line 1, byte 3")]
    [InlineData("42", "a number at line 1, byte 1")]
    [InlineData("\"a record\"", "a string at line 1, byte 1")]
    [InlineData("true", "a boolean at line 1, byte 1")]
    [InlineData("\n\nnull", "null at line 3, byte 1")]
    public void Validate_TopLevelNotAnObject_ReportsNotAnObject(string json, string found)
    {
        SingleError(Validate(json), null, RecordErrorCode.NotAnObject, $"record must be a JSON object; found {found}.");
    }

    [Theory]
    [InlineData("{\"device_id\":", "line 1, byte 14")]
    [InlineData("{\"device_id\":\"press", "line 1, byte 20")]
    [InlineData("{\"device_id\"", "line 1, byte 13")]
    [InlineData("{", "line 1, byte 2")]
    [InlineData("{\"a\":1,}", "line 1, byte 8")]
    [InlineData("{'device_id':1}", "line 1, byte 2")]
    [InlineData("{\"a\":tru}", "line 1, byte 9")]
    [InlineData("{\"a\":01}", "line 1, byte 7")]
    [InlineData("{\"a\":NaN}", "line 1, byte 6")]
    [InlineData("{\"a\":1 /* c */}", "line 1, byte 8")]
    [InlineData("{\"a\":\"x\ny\"}", "line 1, byte 8")]
    [InlineData("{\n\"a\":1\n\"b\":2}", "line 3, byte 1")]
    public void Validate_MalformedOrTruncatedJson_ReportsInvalidJsonWithPosition(string json, string position)
    {
        var result = Validate(json);

        var error = Assert.Single(result.Errors, e => e.Code == RecordErrorCode.InvalidJson);
        Assert.Same(error, result.Errors[^1]);
        Assert.Null(error.Field);
        Assert.StartsWith($"record is not valid JSON at {position}: ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith(".", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TruncatedValidRecord_ReportsInvalidJsonAndNoMissingFields()
    {
        var json = Valid[..(Valid.IndexOf("torque_nm", StringComparison.Ordinal) + 3)];

        var result = Validate(json);

        SingleError(
            result,
            null,
            RecordErrorCode.InvalidJson,
            $"record is not valid JSON at line 1, byte {json.Length + 1}: Expected end of string, but instead reached end of data.");
    }

    [Theory]
    [InlineData(" x", "'x' is invalid after a single JSON value. Expected end of data")]
    [InlineData("{", "'{' is invalid after a single JSON value. Expected end of data")]
    [InlineData("\n,", "',' is invalid after a single JSON value. Expected end of data")]
    public void Validate_ContentAfterTheObject_ReportsInvalidJson(string trailing, string reason)
    {
        var json = Valid + trailing;
        var lines = json.Split('\n');

        var result = Validate(json);

        SingleError(
            result,
            null,
            RecordErrorCode.InvalidJson,
            $"record is not valid JSON at line {lines.Length}, byte {lines[^1].Length}: {reason}.");
    }

    [Fact]
    public void Validate_ErrorsBeforeMalformedJson_AreKeptBeforeTheJsonError()
    {
        var result = Validate("{\"tool_wear_min\":\"x\",\"site_id\":");

        Assert.Equal(
            [RecordErrorCode.WrongType, RecordErrorCode.InvalidJson],
            result.Errors.Select(e => e.Code));
    }

    [Fact]
    public void Validate_ByteOrderMark_ReportsInvalidJson()
    {
        var result = Validate([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Valid)]);

        SingleError(
            result,
            null,
            RecordErrorCode.InvalidJson,
            "record is not valid JSON at line 1, byte 1: '0xEF' is an invalid start of a value.");
    }

    [Theory]
    [InlineData(new byte[] { 0xFF }, "0xFF")]
    [InlineData(new byte[] { 0xC3 }, "0xC3")]
    [InlineData(new byte[] { 0xC0, 0xAF }, "0xC0")]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 }, "0xED")]
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 }, "0xF4")]
    public void Validate_InvalidUtf8InStringValue_ReportsInvalidJsonAtTheByte(byte[] bad, string shown)
    {
        byte[] json = [.. "{\"site_id\":\"ab"u8, .. bad, .. "\"}"u8];

        SingleError(
            Validate(json),
            null,
            RecordErrorCode.InvalidJson,
            $"record is not valid JSON at line 1, byte 15: invalid UTF-8 byte {shown}.");
    }

    [Theory]
    [InlineData("{\"a\u0001\":1}")]
    [InlineData("{\"x\":\"a\u0001\"}")]
    [InlineData("{\"x\":[\"a\u0001\"]}")]
    [InlineData("{\"x\":{\"a\u0001\":1}}")]
    [InlineData("{\"tool_wear_min\":\"a\u0001\"}")]
    [InlineData("{\"event_time\":\"a\u0001\"}")]
    public void Validate_InvalidUtf8AnywhereInStrings_ReportsInvalidJson(string template)
    {
        // \u0001 marks where the invalid byte 0xFE goes: in names and values of known and unknown fields.
        var bytes = Encoding.UTF8.GetBytes(template);
        bytes[Array.IndexOf(bytes, (byte)1)] = 0xFE;

        var result = Validate(bytes);

        var error = Assert.Single(result.Errors, e => e.Code == RecordErrorCode.InvalidJson);
        Assert.Same(error, result.Errors[^1]);
        Assert.EndsWith("invalid UTF-8 byte 0xFE.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_InvalidUtf8OnSecondLine_ReportsLineAndByte()
    {
        byte[] json = [.. "{\n  \"site_id\": \"\u00e9"u8, 0xFF, .. "\"}"u8];

        SingleError(
            Validate(json),
            null,
            RecordErrorCode.InvalidJson,
            "record is not valid JSON at line 2, byte 17: invalid UTF-8 byte 0xFF.");
    }

    [Fact]
    public void Validate_NestedValueWithinDepthLimit_ReportsWrongType()
    {
        var nested = new string('[', RecordValidator.MaxDepth - 1) + new string(']', RecordValidator.MaxDepth - 1);

        var result = Validate(With("torque_nm", nested));

        SingleError(result, "torque_nm", RecordErrorCode.WrongType, "torque_nm: [...] is an array; expected a number.");
    }

    [Fact]
    public void Validate_NestingBeyondDepthLimit_ReportsInvalidJson()
    {
        var nested = new string('[', 100_000);

        var result = Validate(With("torque_nm", nested));

        Assert.Equal(
            [RecordErrorCode.WrongType, RecordErrorCode.InvalidJson],
            result.Errors.Select(e => e.Code));
        Assert.StartsWith(
            "record is not valid JSON at line 1, byte ",
            result.Errors[1].Message,
            StringComparison.Ordinal);
        Assert.Contains("maximum configured depth of 16", result.Errors[1].Message, StringComparison.Ordinal);
    }

    // ---- all errors ----

    [Fact]
    public void Validate_RecordWithManyProblems_ReportsAllInInputOrderThenMissing()
    {
        var json = "{\"device_id\":\"bad id\",\"event_time\":\"2026-11-21T10:15:30\",\"air_temperature_k\":812.5," +
                   "\"process_temperature_k\":\"hot\",\"rotational_speed_rpm\":1551,\"torque_nm\":42.8," +
                   "\"tool_wear_min\":12.5,\"color\":\"red\",\"machine_failure\":null,\"torque_nm\":1}";

        var result = Validate(json);

        Assert.Equal(
            [
                new RecordError("device_id", RecordErrorCode.PatternMismatch, "device_id: \"bad id\" does not match the pattern ^[A-Za-z0-9._:-]+$."),
                new RecordError("event_time", RecordErrorCode.InvalidTimestamp, $"event_time: \"2026-11-21T10:15:30\" has no UTC offset (ambiguous); {TimestampHint}"),
                new RecordError("air_temperature_k", RecordErrorCode.OutOfRange, "air_temperature_k: 812.5 is out of range; allowed 150 to 450 K."),
                new RecordError("process_temperature_k", RecordErrorCode.WrongType, "process_temperature_k: \"hot\" is a string; expected a number."),
                new RecordError("tool_wear_min", RecordErrorCode.WrongType, "tool_wear_min: 12.5 is not a whole number; expected an integer."),
                new RecordError("color", RecordErrorCode.UnknownField, $"color: unknown field; the fields of telemetry are {FieldList}."),
                new RecordError("machine_failure", RecordErrorCode.MissingField, "machine_failure: required field is null."),
                new RecordError("torque_nm", RecordErrorCode.DuplicateField, "torque_nm: field appears more than once; each field is allowed once."),
            ],
            result.Errors);
        Assert.Null(result.EventTime);
        Assert.Equal(1551.0, result.GetValue("rotational_speed_rpm").AsDouble());
        Assert.False(result.GetValue("device_id").HasValue);
    }

    [Fact]
    public void Validate_InvalidRecordWithValidEventTime_StillExposesEventTimeAndPartition()
    {
        var result = Validate(With("torque_nm", "-5"));

        Assert.False(result.IsValid);
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 10, 15, 30, 123, TimeSpan.Zero), result.EventTime);
        Assert.Equal("2026-11-21", result.PartitionValue);
    }

    [Fact]
    public void Validate_MoreErrorsThanTheLimit_ReportsLimitThenTooManyErrors()
    {
        var extra = string.Join(",", Enumerable.Range(0, 60).Select(i => $"\"x{i}\":{i}"));

        var result = Validate("{" + extra + "}");

        Assert.Equal(RecordValidator.MaxErrorsPerRecord + 1, result.Errors.Count);
        Assert.All(result.Errors.Take(RecordValidator.MaxErrorsPerRecord), e => Assert.Equal(RecordErrorCode.UnknownField, e.Code));
        Assert.Equal(
            new RecordError(null, RecordErrorCode.TooManyErrors, "record has more than 50 errors; 18 more were left out."),
            result.Errors[^1]);
    }

    [Fact]
    public void Validate_MoreErrorsThanTheLimitThenMalformedJson_StillReportsInvalidJson()
    {
        var extra = string.Join(",", Enumerable.Range(0, 60).Select(i => $"\"x{i}\":{i}"));

        var result = Validate("{" + extra + ",");

        Assert.Equal(
            [RecordErrorCode.InvalidJson, RecordErrorCode.TooManyErrors],
            result.Errors.Skip(RecordValidator.MaxErrorsPerRecord).Select(e => e.Code));
    }

    [Fact]
    public void Validate_SameValidatorConcurrently_GivesIndependentResults()
    {
        var validator = new RecordValidator(TelemetrySchema.Definition);
        var valid = Encoding.UTF8.GetBytes(Valid);
        var invalid = Encoding.UTF8.GetBytes(With("torque_nm", "-1"));

        Parallel.For(0, 2000, i =>
        {
            var result = validator.Validate(i % 2 == 0 ? valid : invalid, Now);
            Assert.Equal(i % 2 == 0, result.IsValid);
        });
    }

    [Fact]
    public void Validate_ValidRecord_AllocatesOnlyResultValuesAndStrings()
    {
        // The hot path allocates the result (about 56 bytes), the values array (11 × 24 bytes + header, about
        // 290 bytes) and the strings of device_id and site_id (about 40 bytes each); product_quality reuses the
        // schema's string. Anything more (LINQ, a DOM, boxing, per-field strings) would break this bound.
        var validator = new RecordValidator(TelemetrySchema.Definition);
        var utf8 = Encoding.UTF8.GetBytes(Valid);
        for (var i = 0; i < 100; i++)
        {
            Assert.True(validator.Validate(utf8, Now).IsValid);
        }

        const int Runs = 1000;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Runs; i++)
        {
            validator.Validate(utf8, Now);
        }

        var perRecord = (GC.GetAllocatedBytesForCurrentThread() - before) / Runs;
        Assert.InRange(perRecord, 300, 512);
    }

    [Fact]
    public void Constructor_NullSchema_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new RecordValidator(null!));
    }
}
