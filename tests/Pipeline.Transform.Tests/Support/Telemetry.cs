using System.Text;
using System.Text.Json;
using Pipeline.Testing;

namespace Pipeline.Transform.Tests.Support;

/// <summary>Telemetry records for tests.</summary>
internal static class Telemetry
{
    /// <summary>"Now" for the tests: 2026-11-21T12:00:00Z, so event times up to 12:15:00Z are accepted.</summary>
    public static readonly DateTimeOffset Now = RealisticTelemetry.Now;

    public const string Valid =
        "{\"device_id\":\"press-07\",\"event_time\":\"2026-11-21T10:15:30.123Z\",\"site_id\":\"plant-a\"," +
        "\"product_quality\":\"M\",\"air_temperature_k\":298.1,\"process_temperature_k\":308.6," +
        "\"rotational_speed_rpm\":1551,\"torque_nm\":42.8,\"tool_wear_min\":108,\"vibration_mm_s\":2.5," +
        "\"machine_failure\":false}";

    /// <summary><see cref="Valid"/> normalised: only the event time changes.</summary>
    public static readonly string ValidNormalised = Valid.Replace("2026-11-21T10:15:30.123Z", "2026-11-21 10:15:30.123", StringComparison.Ordinal);

    public static string Base64(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json));

    /// <summary><see cref="Valid"/> with one field's raw JSON value replaced, or the field removed when the value is null.</summary>
    public static string With(string field, string? rawValue, string json = Valid)
    {
        using var document = JsonDocument.Parse(json);
        Assert.True(document.RootElement.TryGetProperty(field, out _), field);
        var parts = document.RootElement.EnumerateObject()
            .Where(p => p.Name != field || rawValue is not null)
            .Select(p => $"\"{p.Name}\":{(p.Name == field ? rawValue : p.Value.GetRawText())}");
        return "{" + string.Join(",", parts) + "}";
    }
}
