namespace Pipeline.Producer.Telemetry;

/// <summary>
/// Why a machine failed, after the five failure modes of the AI4I 2020 predictive maintenance dataset (Matzka, 2020,
/// UCI Machine Learning Repository) the record schema is modelled on. A reading may fail for several at once.
/// </summary>
[Flags]
public enum FailureModes
{
    /// <summary>No failure.</summary>
    None = 0,

    /// <summary>Tool wear failure: the tool fails when it reaches its life (200–240 minutes of wear).</summary>
    ToolWear = 1,

    /// <summary>Heat dissipation failure: process minus air temperature below 8.6 K at a speed below 1,380 rpm.</summary>
    HeatDissipation = 2,

    /// <summary>Power failure: mechanical power (torque × angular speed) below 3,500 W or above 9,000 W.</summary>
    Power = 4,

    /// <summary>Overstrain failure: tool wear × torque above 11,000 (L), 12,000 (M) or 13,000 (H) minute·N·m.</summary>
    Overstrain = 8,

    /// <summary>Random failure: a 0.1 % chance on any reading, whatever the process values.</summary>
    Random = 16,
}
