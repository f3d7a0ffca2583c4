using System.Globalization;

namespace Pipeline.Producer.Telemetry;

/// <summary>
/// Generates telemetry readings the way the AI4I 2020 predictive maintenance dataset was synthesized (Matzka, 2020):
/// air temperature a random walk around 300 K (σ 2 K), process temperature 10 K above it (σ 1 K), torque around 40 N·m
/// (σ 10 N·m, never negative), speed falling as torque rises (around 1,540 rpm), tool wear growing by 2, 3 or 5 minutes
/// per L, M or H product until the tool reaches its life of 200–240 minutes and is replaced; a reading fails by the
/// rules of <see cref="FailureModes"/>. Vibration, which AI4I lacks, rises with wear and load. Machines report in turn;
/// everything follows from the seed.
/// </summary>
public sealed class TelemetryGenerator
{
    private const double AirMeanK = 300;
    private const double AirSigmaK = 2;
    private const double ProcessOffsetK = 10;
    private const double ProcessSigmaK = 1;
    private const double Persistence = 0.99;

    private readonly Random _random;
    private readonly TelemetryGeneratorOptions _options;
    private readonly Machine[] _machines;
    private long _index;

    /// <summary>Creates a generator.</summary>
    /// <exception cref="ArgumentException">Fewer than one device, or an interval that is not positive.</exception>
    public TelemetryGenerator(TelemetryGeneratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Devices < 1)
        {
            throw new ArgumentException($"Devices is {options.Devices}; at least one machine must report.", nameof(options));
        }

        if (options.Interval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Interval is {options.Interval}; readings need a positive time between them.", nameof(options));
        }

        _options = options;
        _random = new Random(options.Seed);
        _machines = [.. Enumerable.Range(1, options.Devices).Select(i => new Machine(
            string.Create(CultureInfo.InvariantCulture, $"machine-{i:D3}"),
            string.Create(CultureInfo.InvariantCulture, $"plant-{(i - 1) % 3 + 1}"),
            ToolLife()))];
    }

    /// <summary>The next reading.</summary>
    public TelemetryReading Next()
    {
        var machine = _machines[_index % _machines.Length];
        var time = _options.Start + _options.Interval * _index;
        _index++;

        // Slow drifts: stationary AR(1) walks with the dataset's spread.
        machine.AirWalk = Persistence * machine.AirWalk + Math.Sqrt(1 - Persistence * Persistence) * Gaussian();
        machine.ProcessWalk = Persistence * machine.ProcessWalk + Math.Sqrt(1 - Persistence * Persistence) * Gaussian();
        var air = AirMeanK + AirSigmaK * machine.AirWalk;
        var process = air + ProcessOffsetK + ProcessSigmaK * machine.ProcessWalk;

        var quality = _random.NextDouble() switch { < 0.5 => "L", < 0.8 => "M", _ => "H" };
        machine.ToolWear += quality switch { "L" => 2, "M" => 3, _ => 5 };
        var torque = Math.Max(0, 40 + 10 * Gaussian());
        var speed = Math.Max(0, 1540 - 16 * (torque - 40) + 80 * Gaussian());
        var power = torque * speed * 2 * Math.PI / 60;

        var failures = FailureModes.None;
        if (machine.ToolWear >= machine.ToolLife)
        {
            // AI4I: at the end of its life a tool fails in 51 of 120 cases and is replaced in the others.
            if (_random.NextDouble() < 51.0 / 120)
            {
                failures |= FailureModes.ToolWear;
            }
        }

        if (process - air < 8.6 && speed < 1380)
        {
            failures |= FailureModes.HeatDissipation;
        }

        if (power is < 3500 or > 9000)
        {
            failures |= FailureModes.Power;
        }

        var strainLimit = quality switch { "L" => 11_000, "M" => 12_000, _ => 13_000 };
        if (machine.ToolWear * torque > strainLimit)
        {
            failures |= FailureModes.Overstrain;
        }

        if (_random.NextDouble() < 0.001)
        {
            failures |= FailureModes.Random;
        }

        var vibration = Math.Max(0, 1.8 + 0.006 * machine.ToolWear + 0.02 * Math.Max(0, torque - 40) + 0.25 * Gaussian());
        var reading = new TelemetryReading(
            machine.Id, time, machine.Site, quality,
            Math.Round(air, 1), Math.Round(process, 1), Math.Round(speed), Math.Round(torque, 1), machine.ToolWear, Math.Round(vibration, 2),
            failures);

        // A tool at the end of its life, or one that broke the machine, is replaced before the next product.
        if (machine.ToolWear >= machine.ToolLife || (failures & (FailureModes.ToolWear | FailureModes.Overstrain)) != 0)
        {
            machine.ToolWear = 0;
            machine.ToolLife = ToolLife();
        }

        return reading;
    }

    private int ToolLife() => _random.Next(200, 241);

    // Box–Muller: one standard normal draw.
    private double Gaussian() =>
        Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());

    private sealed class Machine(string id, string site, int toolLife)
    {
        public string Id { get; } = id;

        public string Site { get; } = site;

        public int ToolLife { get; set; } = toolLife;

        public long ToolWear { get; set; }

        public double AirWalk { get; set; }

        public double ProcessWalk { get; set; }
    }
}
