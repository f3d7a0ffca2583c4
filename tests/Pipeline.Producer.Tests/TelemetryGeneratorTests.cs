using System.Text;
using System.Text.Json;
using Pipeline.Ingestion;
using Pipeline.Producer.Telemetry;

namespace Pipeline.Producer.Tests;

public sealed class TelemetryGeneratorTests
{
    private static readonly int[] SampledPositions = [0, 1, 19, 20, 44];

    private static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private static TelemetryGenerator Generator(int seed = 7, int devices = 20) =>
        new(new TelemetryGeneratorOptions { Seed = seed, Devices = devices, Start = Start, Interval = TimeSpan.FromSeconds(1) });

    private static List<TelemetryReading> Readings(int count, int seed = 7)
    {
        var generator = Generator(seed);
        return [.. Enumerable.Range(0, count).Select(_ => generator.Next())];
    }

    [Fact]
    public void Records_Every_ValidAgainstTheRecordSchema()
    {
        var validator = new RecordValidator();

        var invalid = Readings(20_000)
            .Where(r => !validator.Validate(r.ToJsonLine(), Start.AddDays(1)))
            .Select(r => $"{Encoding.UTF8.GetString(r.ToJsonLine()).TrimEnd()}: {string.Join("; ", validator.Errors)}")
            .Take(5)
            .ToList();

        Assert.Empty(invalid);
    }

    [Fact]
    public void Records_Every_OneJsonObjectEndingWithANewline()
    {
        var line = Encoding.UTF8.GetString(Readings(1)[0].ToJsonLine());

        Assert.EndsWith("}\n", line, StringComparison.Ordinal);
        Assert.Single(line.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var document = JsonDocument.Parse(line);
        Assert.Equal(
            [
                "device_id", "event_time", "site_id", "product_quality", "air_temperature_k", "process_temperature_k",
                "rotational_speed_rpm", "torque_nm", "tool_wear_min", "vibration_mm_s", "machine_failure",
            ],
            document.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("machine-001", document.RootElement.GetProperty("device_id").GetString());
        Assert.Equal("2026-11-01T00:00:00.000Z", document.RootElement.GetProperty("event_time").GetString());
    }

    [Fact]
    public void Records_SameSeed_Identical()
    {
        Assert.Equal(Readings(2_000, seed: 42).Select(r => r.ToJsonLine()), Readings(2_000, seed: 42).Select(r => r.ToJsonLine()));
        Assert.NotEqual(Readings(50, seed: 42).Select(r => Convert.ToHexString(r.ToJsonLine())), Readings(50, seed: 43).Select(r => Convert.ToHexString(r.ToJsonLine())));
    }

    [Fact]
    public void Machines_ReportInTurnAtTheInterval()
    {
        var readings = Readings(45);

        Assert.Equal(["machine-001", "machine-002", "machine-020", "machine-001", "machine-005"],
            SampledPositions.Select(i => readings[i].DeviceId));
        Assert.Equal(Start.AddSeconds(44), readings[44].EventTime);
        Assert.Equal(["plant-1", "plant-2", "plant-3", "plant-1"], readings.Take(4).Select(r => r.SiteId));
    }

    [Fact]
    public void Failures_Rate_LikeTheAi4iDataset()
    {
        var readings = Readings(50_000);
        double Share(FailureModes mode) => readings.Count(r => r.Failures.HasFlag(mode)) / (double)readings.Count;

        // AI4I 2020: 3.39 % of its 10,000 processes failed.
        Assert.InRange(readings.Count(r => r.MachineFailure) / (double)readings.Count, 0.02, 0.06);
        Assert.All([FailureModes.ToolWear, FailureModes.HeatDissipation, FailureModes.Power, FailureModes.Overstrain, FailureModes.Random],
            mode => Assert.InRange(Share(mode), 0.0002, 0.03));
    }

    [Fact]
    public void Failures_Every_FollowsItsRule()
    {
        var readings = Readings(50_000);

        // The values are rounded for the record, so the rules are checked with the rounding's margin.
        Assert.All(readings.Where(r => r.Failures.HasFlag(FailureModes.HeatDissipation)),
            r => Assert.True(r.ProcessTemperatureK - r.AirTemperatureK < 8.7 && r.RotationalSpeedRpm < 1381, r.ToString()));
        Assert.All(readings.Where(r => r.Failures.HasFlag(FailureModes.Power)),
            r => Assert.True(Power(r) is < 3520 or > 8980, r.ToString()));
        Assert.All(readings.Where(r => r.Failures.HasFlag(FailureModes.Overstrain)),
            r => Assert.True(r.ToolWearMin * r.TorqueNm > StrainLimit(r) - 130, r.ToString()));
        Assert.All(readings.Where(r => r.Failures.HasFlag(FailureModes.ToolWear)), r => Assert.InRange(r.ToolWearMin, 200, 245));
        Assert.All(readings.Where(r => !r.MachineFailure), r =>
        {
            Assert.False(r.ProcessTemperatureK - r.AirTemperatureK < 8.5 && r.RotationalSpeedRpm < 1379, r.ToString());
            Assert.False(Power(r) is < 3480 or > 9020, r.ToString());
        });
    }

    [Fact]
    public void ToolWear_GrowsPerProductUntilTheToolIsReplaced()
    {
        var machine = Readings(20_000).Where(r => r.DeviceId == "machine-003").ToList();

        Assert.All(machine.Zip(machine.Skip(1)), pair =>
        {
            var growth = pair.Second.ToolWearMin - pair.First.ToolWearMin;
            var expected = pair.Second.ProductQuality switch { "L" => 2, "M" => 3, _ => 5 };
            Assert.True(growth == expected || pair.Second.ToolWearMin == expected, $"{pair.First} → {pair.Second}");
        });
        Assert.InRange(machine.Max(r => r.ToolWearMin), 200, 245);
    }

    [Fact]
    public void Generator_NoDevices_FailsSayingWhatToChange()
    {
        var error = Assert.Throws<ArgumentException>(() => Generator(devices: 0));

        Assert.StartsWith("Devices is 0; at least one machine must report.", error.Message, StringComparison.Ordinal);
    }

    private static double Power(TelemetryReading r) => r.TorqueNm * r.RotationalSpeedRpm * 2 * Math.PI / 60;

    private static int StrainLimit(TelemetryReading r) => r.ProductQuality switch { "L" => 11_000, "M" => 12_000, _ => 13_000 };
}
