using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Pipeline.Ingestion;
using Pipeline.Schema;
using Pipeline.Transform.Tests.Support;
using static Pipeline.Transform.Tests.Support.Telemetry;

namespace Pipeline.Transform.Tests;

public class RecordValidatorTests
{
    private readonly RecordValidator _validator = new();

    private List<(string? Field, RecordErrorCode Code)> Codes(string json) => Codes(Encoding.UTF8.GetBytes(json));

    private List<(string? Field, RecordErrorCode Code)> Codes(byte[] utf8)
    {
        var valid = _validator.Validate(utf8, Now);
        Assert.Equal(valid, _validator.Errors.Count == 0);
        return [.. _validator.Errors.Select(e => (e.Field, e.Code))];
    }

    private RecordError Single(string json, string? field, RecordErrorCode code)
    {
        Assert.Equal([(field, code)], Codes(json));
        return _validator.Errors[0];
    }

    private string Normalised(string json)
    {
        Assert.Empty(Codes(json));
        return Encoding.UTF8.GetString(_validator.Normalised);
    }

    // ---- valid records ----

    [Fact]
    public void Validate_ValidRecord_WritesTheEventTimeInUtcMillisecondsAndEveryOtherValueAsWritten()
    {
        Assert.Equal(ValidNormalised, Normalised(Valid));
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 10, 15, 30, 123, TimeSpan.Zero), _validator.EventTime);
    }

    [Fact]
    public void Validate_FieldsInAnyOrderWithWhitespaceAndNullOptionals_AreWrittenInSchemaOrderWithout()
    {
        var json = "\r\n { \"machine_failure\" : false,\t\"vibration_mm_s\": null, \"site_id\":null,\n\"device_id\":\"press-07\"," +
            " \"event_time\":\"2026-11-21T10:15:30.123Z\", \"product_quality\":\"M\", \"air_temperature_k\":298.1," +
            " \"process_temperature_k\":308.6, \"rotational_speed_rpm\":1551, \"torque_nm\":42.8, \"tool_wear_min\":108 }\n";

        Assert.Equal(With("vibration_mm_s", null, With("site_id", null, ValidNormalised)), Normalised(json));
    }

    [Theory]
    [InlineData("air_temperature_k", "2.981e2")]
    [InlineData("air_temperature_k", "298.10000000000002")]
    [InlineData("torque_nm", "-0.0")]
    [InlineData("tool_wear_min", "-0")]
    [InlineData("site_id", "\"Z\\u00fcrich \\ud83c\\udfed \\\"q\\\" \\/\"")]
    [InlineData("site_id", "\"\u6771\u4eac\u2028\u00a0\u007f\"")]
    public void Validate_ValidValue_IsCopiedAsWritten(string field, string rawValue)
    {
        Assert.Equal(With(field, rawValue, ValidNormalised), Normalised(With(field, rawValue)));
    }

    [Theory]
    [InlineData("2026-11-21T10:15:30Z", "2026-11-21 10:15:30.000")]
    [InlineData("2026-11-21T10:15:30.5Z", "2026-11-21 10:15:30.500")]
    [InlineData("2026-11-21T11:15:30.9999999+01:00", "2026-11-21 10:15:30.999")]
    [InlineData("2026-11-21T10:15:30.123456789Z", "2026-11-21 10:15:30.123")]
    [InlineData("2026-11-21T00:30:00+01:00", "2026-11-20 23:30:00.000")]
    [InlineData("2026-11-21T10:15:30-00:00", "2026-11-21 10:15:30.000")]
    [InlineData("2020-01-01T00:00:00Z", "2020-01-01 00:00:00.000")]
    [InlineData("2026-11-21T12:15:00Z", "2026-11-21 12:15:00.000")]
    public void Validate_EventTimeWithOffset_IsWrittenInUtcMilliseconds(string eventTime, string normalised)
    {
        Assert.Equal(With("event_time", $"\"{normalised}\"", ValidNormalised), Normalised(With("event_time", $"\"{eventTime}\"")));
    }

    // ---- invalid records ----

    [Theory]
    [InlineData("2026-11-21T10:15Z")]
    [InlineData("2026-11-21T10:15:30")]
    [InlineData("2026-11-21 10:15:30Z")]
    [InlineData("2026-11-21t10:15:30z")]
    [InlineData("2026-11-21T10:15:30+0100")]
    [InlineData("2026-11-21T10:15:30+01")]
    [InlineData("2026-11-21T10:15:30.Z")]
    [InlineData("2026-11-21T10:15:30.1234567890Z")]
    [InlineData(" 2026-11-21T10:15:30Z")]
    [InlineData("20261121T101530Z")]
    [InlineData("2026-02-30T10:15:30Z")]
    [InlineData("2026-11-21T24:00:00Z")]
    [InlineData("2026-11-21T10:15:60Z")]
    [InlineData("2026-11-21T10:15:30+14:01")]
    [InlineData("2026-11-21T10:15:30+01:60")]
    [InlineData("0001-01-01T00:00:00+00:01")]
    [InlineData("9999-12-31T23:59:59-14:00")]
    public void Validate_EventTimeNotRfc3339WithSecondsAndOffset_IsInvalidTimestamp(string eventTime)
    {
        var error = Single(With("event_time", $"\"{eventTime}\""), "event_time", RecordErrorCode.InvalidTimestamp);

        Assert.Contains("yyyy-MM-ddTHH:mm:ss[.fffffffff] with Z or ±hh:mm", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2019-12-31T23:59:59.9999999Z")]
    [InlineData("2026-11-21T12:15:00.0000001Z")]
    [InlineData("2026-11-21T13:15:01+01:00")]
    [InlineData("9999-12-31T23:59:59Z")]
    public void Validate_EventTimeOutsideTheWindow_IsEventTimeOutOfWindowNamingIt(string eventTime)
    {
        var error = Single(With("event_time", $"\"{eventTime}\""), "event_time", RecordErrorCode.EventTimeOutOfWindow);

        Assert.Contains("2020-01-01T00:00:00Z to 2026-11-21T12:15:00Z", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tool_wear_min", "1e5")]
    [InlineData("tool_wear_min", "108.0")]
    [InlineData("tool_wear_min", "1.08e2")]
    [InlineData("tool_wear_min", "108.5")]
    [InlineData("tool_wear_min", "9223372036854775808")]
    [InlineData("rotational_speed_rpm", "1e400")]
    [InlineData("device_id", "42")]
    [InlineData("event_time", "1795262130123")]
    [InlineData("air_temperature_k", "\"298.1\"")]
    [InlineData("machine_failure", "0")]
    [InlineData("torque_nm", "[42.8]")]
    [InlineData("site_id", "{\"name\":\"a\"}")]
    public void Validate_ValueOfAnotherType_IsWrongTypeNamingTheExpectedType(string field, string rawValue)
    {
        Assert.Contains("; expected ", Single(With(field, rawValue), field, RecordErrorCode.WrongType).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("air_temperature_k", "812.5", RecordErrorCode.OutOfRange, "allowed 150 to 450")]
    [InlineData("device_id", "\"press 07\"", RecordErrorCode.PatternMismatch, "^[A-Za-z0-9._:-]+$")]
    [InlineData("device_id", "\"\"", RecordErrorCode.TooShort, "allowed 1 to 64 characters")]
    [InlineData("product_quality", "\"X\"", RecordErrorCode.ValueNotAllowed, "allowed L, M, H")]
    [InlineData("site_id", "\"a\\ud800b\"", RecordErrorCode.InvalidUnicode, "unpaired surrogate")]
    [InlineData("event_time", "\"\\udfed\"", RecordErrorCode.InvalidUnicode, "unpaired surrogate")]
    [InlineData("machine_failure", "null", RecordErrorCode.MissingField, "required field is null")]
    public void Validate_ValueBreakingARule_IsReportedNamingWhatIsAllowed(string field, string rawValue, RecordErrorCode code, string allowed)
    {
        Assert.Contains(allowed, Single(With(field, rawValue), field, code).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_StringOfEmojis_CountsCharactersNotUtf16Units()
    {
        Assert.Empty(Codes(With("site_id", $"\"{string.Concat(Enumerable.Repeat("\U0001F3ED", 64))}\"")));
        Assert.Contains("65 characters", Single(With("site_id", $"\"{string.Concat(Enumerable.Repeat("\\ud83c\\udfed", 65))}\""), "site_id", RecordErrorCode.TooLong).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnknownDuplicateAndMissingFields_AreEachReportedInInputOrderMissingLast()
    {
        var json = With("torque_nm", null)[..^1] + ",\"operator\":\"kim\",\"shift\":{\"n\":2},\"tool_wear_min\":1,\"\\u0064evice_id\":\"x\"}";

        Assert.Equal(
            [
                ("operator", RecordErrorCode.UnknownField), ("shift", RecordErrorCode.UnknownField),
                ("tool_wear_min", RecordErrorCode.DuplicateField), ("device_id", RecordErrorCode.DuplicateField),
                ("torque_nm", RecordErrorCode.MissingField),
            ],
            Codes(json));
    }

    [Fact]
    public void Validate_UnknownFieldWithControlCharacters_IsEchoedSafely()
    {
        Single(Valid[..^1] + ",\"a\u202eb\":1}", "a\\u202eb", RecordErrorCode.UnknownField);
    }

    [Fact]
    public void Validate_MoreThanFiftyErrors_ReportsFiftyThenCountsTheRest()
    {
        var json = Valid[..^1] + string.Concat(Enumerable.Range(0, 60).Select(i => $",\"x{i}\":1")) + "}";

        var codes = Codes(json);

        Assert.Equal(51, codes.Count);
        Assert.Equal((null, RecordErrorCode.TooManyErrors), codes[^1]);
        Assert.Contains("10 more", _validator.Errors[^1].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "line 1, byte 1")]
    [InlineData("  \n ", "line 2, byte 2")]
    [InlineData("{\"device_id\":", "line 1, byte 14")]
    [InlineData("{} {}", "line 1, byte 4")]
    [InlineData("{\"device_id\":\"a\",}", "line 1, byte 18")]
    [InlineData("{/* c */}", "line 1, byte 2")]
    [InlineData("[] x", "line 1, byte 4")]
    public void Validate_NotOneJsonText_IsOnlyInvalidJsonNamingThePosition(string json, string position)
    {
        Assert.Contains(position, Single(json, null, RecordErrorCode.InvalidJson).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NestedDeeperThanTheLimit_IsInvalidJson()
    {
        Assert.Equal([("torque_nm", RecordErrorCode.WrongType)], Codes(With("torque_nm", new string('[', 15) + new string(']', 15))));
        Single(With("torque_nm", new string('[', 16) + new string(']', 16)), null, RecordErrorCode.InvalidJson);
    }

    [Fact]
    public void Validate_InvalidUtf8_IsInvalidJsonNamingTheByteAndOffset()
    {
        var bytes = Encoding.UTF8.GetBytes(Valid.Replace("plant-a", "plant?", StringComparison.Ordinal));
        var offset = Array.IndexOf(bytes, (byte)'?');
        bytes[offset] = 0xC0;

        Assert.Equal([(null, RecordErrorCode.InvalidJson)], Codes(bytes));
        Assert.Contains($"0xC0 at offset {offset}", _validator.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ByteOrderMark_IsInvalidJson()
    {
        Assert.Equal([(null, RecordErrorCode.InvalidJson)], Codes([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Valid)]));
    }

    [Theory]
    [InlineData("[]", "an array")]
    [InlineData("\"text\"", "a string")]
    [InlineData("42", "a number")]
    [InlineData("null", "null")]
    public void Validate_JsonThatIsNotAnObject_IsNotAnObject(string json, string kind)
    {
        Assert.Contains(kind, Single(json, null, RecordErrorCode.NotAnObject).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AfterAnInvalidRecord_JudgesTheNextAlone()
    {
        Codes("{}");

        Assert.Equal(ValidNormalised, Normalised(Valid));
    }

    [Fact]
    public void TryParseDouble_AnyJsonNumber_GivesDotNetsDouble()
    {
        var random = new Random(7);
        string Digits(int max) => string.Concat(Enumerable.Range(0, random.Next(1, max)).Select(_ => (char)('0' + random.Next(10))));
        for (var i = 0; i < 100_000; i++)
        {
            var text = $"{(random.Next(4) == 0 ? "-" : string.Empty)}{Digits(12).TrimStart('0').PadLeft(1, '0')}" +
                $"{(random.Next(3) == 0 ? string.Empty : "." + Digits(12))}{(random.Next(10) == 0 ? "e" + random.Next(-400, 400) : string.Empty)}";

            Assert.True(RecordValidator.TryParseDouble(Encoding.ASCII.GetBytes(text), out var value), text);
            Assert.Equal(BitConverter.DoubleToInt64Bits(double.Parse(text, CultureInfo.InvariantCulture)), BitConverter.DoubleToInt64Bits(value));
        }
    }

    // ---- the rules are TelemetrySchema's ----

    [Fact]
    public void Fields_AgreeWithTelemetrySchema()
    {
        Assert.Equal(
            TelemetrySchema.Definition.Fields.Select(f => (f.Name, f.Type, f.Required, f.Minimum, f.Maximum, f.MinLength, f.MaxLength, f.Pattern, string.Join("|", f.AllowedValues ?? []))),
            RecordValidator.Fields.Select(f => (f.Name, f.Type, f.Required, f.Minimum, f.Maximum, f.MinLength, f.MaxLength, f.Pattern, string.Join("|", f.AllowedValues ?? []))));
        Assert.Equal(FieldType.Timestamp, Assert.Single(RecordValidator.Fields, f => f.Name == TelemetrySchema.Definition.EventTimeField.Name).Type);
        Assert.Equal((TelemetrySchema.EarliestEventTime, TelemetrySchema.MaxFutureSkew), (RecordValidator.EarliestEventTime, RecordValidator.MaxFutureSkew));
    }

    [Fact]
    public void Fields_PatternCharacters_AgreeWithThePatternsRegex()
    {
        Assert.All(RecordValidator.Fields.Where(f => f.Pattern is not null), field =>
        {
            var regex = new Regex(field.Pattern!.TrimEnd('$') + @"\z", RegexOptions.CultureInvariant);
            foreach (var text in Enumerable.Range(0, 128).Select(c => ((char)c).ToString()).Append("\u00e9").Append(string.Empty))
            {
                var bytes = Encoding.UTF8.GetBytes(text);
                Assert.True(regex.IsMatch(text) == (bytes.Length > 0 && bytes.AsSpan().IndexOfAnyExcept(field.Characters!) < 0), $"{field.Name}: U+{(text.Length > 0 ? text[0] : 0):X4}");
            }
        });
    }

    public static TheoryData<string, string?, RecordErrorCode?> BoundaryValues()
    {
        var data = new TheoryData<string, string?, RecordErrorCode?>();
        foreach (var f in TelemetrySchema.Definition.Fields)
        {
            data.Add(f.Name, null, f.Required ? RecordErrorCode.MissingField : null);
            var step = f.Type == FieldType.Long ? 1 : 0.001;
            foreach (var (value, code) in new[] { (f.Minimum, (RecordErrorCode?)null), (f.Minimum - step, RecordErrorCode.OutOfRange), (f.Maximum, null), (f.Maximum + step, RecordErrorCode.OutOfRange) })
            {
                if (value is { } v)
                {
                    data.Add(f.Name, v.ToString(CultureInfo.InvariantCulture), code);
                }
            }

            foreach (var (length, code) in new[] { (f.MinLength - 1, (RecordErrorCode?)RecordErrorCode.TooShort), (f.MinLength, null), (f.MaxLength, null), (f.MaxLength + 1, RecordErrorCode.TooLong) })
            {
                if (length is { } n && n >= 0)
                {
                    data.Add(f.Name, $"\"{new string('a', n)}\"", code);
                }
            }

            foreach (var allowed in f.AllowedValues ?? [])
            {
                data.Add(f.Name, $"\"{allowed}\"", null);
                data.Add(f.Name, $"\"{allowed}{allowed}\"", RecordErrorCode.ValueNotAllowed);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BoundaryValues))]
    public void Validate_TelemetrySchemaBoundaryValue_IsJudgedAsTheSchemaSays(string field, string? rawValue, RecordErrorCode? code)
    {
        Assert.Equal(code is { } c ? [(field, c)] : [], Codes(With(field, rawValue)));
    }
}
