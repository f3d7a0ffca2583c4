namespace Pipeline.Producer.Telemetry;

/// <summary>Options of <see cref="TelemetryGenerator"/>.</summary>
public sealed record TelemetryGeneratorOptions
{
    /// <summary>The seed: the same seed and options give the same records.</summary>
    public required int Seed { get; init; }

    /// <summary>How many machines report, in turn.</summary>
    /// <value>Default: 20.</value>
    public int Devices { get; init; } = 20;

    /// <summary>The first reading's time.</summary>
    public required DateTimeOffset Start { get; init; }

    /// <summary>Time between two consecutive readings (of any machines).</summary>
    public required TimeSpan Interval { get; init; }
}
