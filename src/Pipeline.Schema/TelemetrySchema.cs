namespace Pipeline.Schema;

/// <summary>
/// The pipeline's default record: equipment telemetry for predictive maintenance, modelled on the public AI4I 2020
/// Predictive Maintenance dataset (UCI) so that a model has a real signal to learn.
/// </summary>
/// <remarks>
/// This is the only domain-specific file: to change the domain, change this definition; validation, the Glue table,
/// partitioning and the training query are generic over <see cref="RecordSchema"/>. Roles: the device, site and event
/// time identify a reading and are not model inputs (a model should generalise across machines and sites); the readings
/// are numeric features, the product quality a categorical one, the failure flag the label. The name constants are for code that produces or
/// reads telemetry (e.g. a data generator), not for generic code.
/// </remarks>
public static class TelemetrySchema
{
    /// <summary>The schema (and Glue table) name.</summary>
    public const string Name = "telemetry";

    /// <summary>Field <c>device_id</c>: the machine that sent the reading.</summary>
    public const string DeviceId = "device_id";

    /// <summary>Field <c>event_time</c>: when the reading was taken (the event-time field).</summary>
    public const string EventTime = "event_time";

    /// <summary>Field <c>site_id</c>: the plant or site of the machine.</summary>
    public const string SiteId = "site_id";

    /// <summary>Field <c>product_quality</c>: the AI4I product variant, L, M or H.</summary>
    public const string ProductQuality = "product_quality";

    /// <summary>Field <c>air_temperature_k</c>: ambient air temperature in kelvin.</summary>
    public const string AirTemperatureK = "air_temperature_k";

    /// <summary>Field <c>process_temperature_k</c>: process temperature in kelvin.</summary>
    public const string ProcessTemperatureK = "process_temperature_k";

    /// <summary>Field <c>rotational_speed_rpm</c>: spindle speed in revolutions per minute.</summary>
    public const string RotationalSpeedRpm = "rotational_speed_rpm";

    /// <summary>Field <c>torque_nm</c>: torque in newton-metres.</summary>
    public const string TorqueNm = "torque_nm";

    /// <summary>Field <c>tool_wear_min</c>: minutes of use of the current tool.</summary>
    public const string ToolWearMin = "tool_wear_min";

    /// <summary>Field <c>vibration_mm_s</c>: vibration velocity in mm/s (not in AI4I; optional).</summary>
    public const string VibrationMmS = "vibration_mm_s";

    /// <summary>Field <c>machine_failure</c>: whether the machine failed (the label field).</summary>
    public const string MachineFailure = "machine_failure";

    /// <summary>The AI4I product variants, low, medium and high quality.</summary>
    public static IReadOnlyList<string> ProductQualities { get; } = Array.AsReadOnly(["L", "M", "H"]);

    /// <summary>
    /// The earliest accepted event time, 2020-01-01T00:00:00Z; also the start of the Glue partition projection.
    /// </summary>
    public static DateTimeOffset EarliestEventTime { get; } = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>How far ahead of "now" an event time may be (producer clock skew): 15 minutes.</summary>
    public static TimeSpan MaxFutureSkew { get; } = TimeSpan.FromMinutes(15);

    /// <summary>The telemetry record schema.</summary>
    public static RecordSchema Definition { get; } = new(
        Name,
        [
            new FieldDefinition
            {
                Name = DeviceId,
                Role = FieldRole.Identifier,
                Type = FieldType.String,
                Required = true,
                Description = "Identifier of the machine that sent the reading.",
                MinLength = 1,
                MaxLength = 64,
                Pattern = "^[A-Za-z0-9._:-]+$",
            },
            new FieldDefinition
            {
                Name = EventTime,
                Role = FieldRole.Identifier,
                Type = FieldType.Timestamp,
                Required = true,
                Description = "When the reading was taken (ISO-8601 with offset, stored in UTC); decides the partition.",
            },
            new FieldDefinition
            {
                Name = SiteId,
                Role = FieldRole.Identifier,
                Type = FieldType.String,
                Description = "Plant or site of the machine.",
                MaxLength = 64,
            },
            new FieldDefinition
            {
                Name = ProductQuality,
                Role = FieldRole.CategoricalFeature,
                Type = FieldType.String,
                Description = "Product quality variant being machined: L (low), M (medium) or H (high), as in AI4I 2020.",
                AllowedValues = ProductQualities,
            },
            new FieldDefinition
            {
                Name = AirTemperatureK,
                Role = FieldRole.NumericFeature,
                Type = FieldType.Double,
                Required = true,
                Description = "Ambient air temperature.",
                Unit = "K",
                Minimum = 150,
                Maximum = 450,
            },
            new FieldDefinition
            {
                Name = ProcessTemperatureK,
                Role = FieldRole.NumericFeature,
                Type = FieldType.Double,
                Required = true,
                Description = "Process temperature.",
                Unit = "K",
                Minimum = 150,
                Maximum = 600,
            },
            new FieldDefinition
            {
                Name = RotationalSpeedRpm,
                Role = FieldRole.NumericFeature,
                Type = FieldType.Double,
                Required = true,
                Description = "Rotational speed of the spindle.",
                Unit = "rpm",
                Minimum = 0,
                Maximum = 30000,
            },
            new FieldDefinition
            {
                Name = TorqueNm,
                Role = FieldRole.NumericFeature,
                Type = FieldType.Double,
                Required = true,
                Description = "Torque on the spindle.",
                Unit = "N·m",
                Minimum = 0,
                Maximum = 1000,
            },
            new FieldDefinition
            {
                Name = ToolWearMin,
                Role = FieldRole.NumericFeature,
                Type = FieldType.Long,
                Required = true,
                Description = "Minutes the current tool has been in use.",
                Unit = "minutes",
                Minimum = 0,
                Maximum = 100000,
            },
            new FieldDefinition
            {
                Name = VibrationMmS,
                Role = FieldRole.NumericFeature,
                Type = FieldType.Double,
                Description = "Vibration velocity (RMS), when the machine has a vibration sensor.",
                Unit = "mm/s",
                Minimum = 0,
                Maximum = 500,
            },
            new FieldDefinition
            {
                Name = MachineFailure,
                Role = FieldRole.Label,
                Type = FieldType.Boolean,
                Required = true,
                Description = "Whether the machine failed (the label a model predicts).",
            },
        ],
        eventTimeFieldName: EventTime,
        labelFieldName: MachineFailure,
        EarliestEventTime,
        MaxFutureSkew);
}
