using System.Globalization;
using System.Text;

namespace Pipeline.Transform.Tests.Support;

/// <summary>Telemetry records for tests.</summary>
internal static class Telemetry
{
    /// <summary>"Now" for the tests: 2026-11-21T12:00:00Z, so event times up to 12:15:00Z are accepted.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    public const string Valid =
        "{\"device_id\":\"press-07\",\"event_time\":\"2026-11-21T10:15:30.123Z\",\"site_id\":\"plant-a\"," +
        "\"product_quality\":\"M\",\"air_temperature_k\":298.1,\"process_temperature_k\":308.6," +
        "\"rotational_speed_rpm\":1551,\"torque_nm\":42.8,\"tool_wear_min\":108,\"vibration_mm_s\":2.5," +
        "\"machine_failure\":false}";

    /// <summary><see cref="Valid"/> normalised.</summary>
    public const string ValidNormalised =
        "{\"device_id\":\"press-07\",\"event_time\":\"2026-11-21 10:15:30.123\",\"site_id\":\"plant-a\"," +
        "\"product_quality\":\"M\",\"air_temperature_k\":298.1,\"process_temperature_k\":308.6," +
        "\"rotational_speed_rpm\":1551,\"torque_nm\":42.8,\"tool_wear_min\":108,\"vibration_mm_s\":2.5," +
        "\"machine_failure\":false}";

    public static string Base64(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json));

    /// <summary>A plausible reading: a random machine of a random site, in the two hours before <see cref="Now"/>.</summary>
    public static string Realistic(Random random)
    {
        var eventTime = Now.AddMilliseconds(-random.Next(0, 2 * 3600 * 1000));
        var builder = new StringBuilder(320);
        builder.Append(CultureInfo.InvariantCulture, $"{{\"device_id\":\"press-{random.Next(1, 5000):D4}\"");
        builder.Append(CultureInfo.InvariantCulture, $",\"event_time\":\"{eventTime.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}\"");
        builder.Append(CultureInfo.InvariantCulture, $",\"site_id\":\"plant-{(char)('a' + random.Next(0, 8))}\"");
        builder.Append(CultureInfo.InvariantCulture, $",\"product_quality\":\"{"LMH"[random.Next(0, 3)]}\"");
        builder.Append(CultureInfo.InvariantCulture, $",\"air_temperature_k\":{Math.Round(295 + (random.NextDouble() * 10), 1)}");
        builder.Append(CultureInfo.InvariantCulture, $",\"process_temperature_k\":{Math.Round(305 + (random.NextDouble() * 10), 1)}");
        builder.Append(CultureInfo.InvariantCulture, $",\"rotational_speed_rpm\":{random.Next(1168, 2887)}");
        builder.Append(CultureInfo.InvariantCulture, $",\"torque_nm\":{Math.Round(3.8 + (random.NextDouble() * 72), 1)}");
        builder.Append(CultureInfo.InvariantCulture, $",\"tool_wear_min\":{random.Next(0, 254)}");
        if (random.Next(0, 4) != 0)
        {
            builder.Append(CultureInfo.InvariantCulture, $",\"vibration_mm_s\":{Math.Round(random.NextDouble() * 12, 2)}");
        }

        builder.Append(CultureInfo.InvariantCulture, $",\"machine_failure\":{(random.Next(0, 30) == 0 ? "true" : "false")}}}");
        return builder.ToString();
    }
}
