using System.Text;
using Pipeline.Schema;

namespace Pipeline.Schema.Tests;

/// <summary>Builds telemetry records for tests: a valid record whose fields can be replaced, removed or added.</summary>
internal static class TelemetryRecords
{
    /// <summary>"Now" for the tests: 2026-11-21T12:00:00Z, so the window ends at 12:15:00Z.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The fields of the valid record as raw JSON values, in schema order.</summary>
    public static readonly IReadOnlyList<KeyValuePair<string, string>> ValidFields =
    [
        new("device_id", "\"press-07\""),
        new("event_time", "\"2026-11-21T10:15:30.123Z\""),
        new("site_id", "\"plant-a\""),
        new("product_quality", "\"M\""),
        new("air_temperature_k", "298.1"),
        new("process_temperature_k", "308.6"),
        new("rotational_speed_rpm", "1551"),
        new("torque_nm", "42.8"),
        new("tool_wear_min", "108"),
        new("vibration_mm_s", "2.5"),
        new("machine_failure", "false"),
    ];

    public static string Valid => Build(ValidFields);

    /// <summary>The valid record with one field's raw JSON value replaced (or removed when null).</summary>
    public static string With(string field, string? rawValue)
    {
        Assert.Contains(ValidFields, f => f.Key == field);
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var f in ValidFields)
        {
            if (f.Key != field)
            {
                fields.Add(f);
            }
            else if (rawValue is not null)
            {
                fields.Add(new(field, rawValue));
            }
        }

        return Build(fields);
    }

    public static string Without(string field) => With(field, null);

    /// <summary>The valid record with extra raw members ("name": value) appended before the closing brace.</summary>
    public static string WithExtra(string rawMembers) => Valid[..^1] + "," + rawMembers + "}";

    public static string Build(IEnumerable<KeyValuePair<string, string>> fields)
    {
        var builder = new StringBuilder("{");
        foreach (var (name, value) in fields)
        {
            builder.Append(builder.Length > 1 ? "," : string.Empty).Append('"').Append(name).Append("\":").Append(value);
        }

        return builder.Append('}').ToString();
    }

    public static RecordValidationResult Validate(string json) => Validate(Encoding.UTF8.GetBytes(json));

    public static RecordValidationResult Validate(byte[] utf8) =>
        new RecordValidator(TelemetrySchema.Definition).Validate(utf8, Now);

    /// <summary>Asserts that the record has exactly one error, with this field, code and message.</summary>
    public static RecordError SingleError(RecordValidationResult result, string? field, RecordErrorCode code, string message)
    {
        Assert.False(result.IsValid);
        var error = Assert.Single(result.Errors);
        Assert.Equal(new RecordError(field, code, message), error);
        return error;
    }
}
