using Pipeline.Schema;

namespace Pipeline.Schema.Tests;

public class TelemetrySchemaTests
{
    private static RecordSchema Schema => TelemetrySchema.Definition;

    [Fact]
    public void Definition_Fields_AreTheTelemetryColumnsInOrder()
    {
        Assert.Equal("telemetry", Schema.Name);
        Assert.Equal(
            [
                ("device_id", FieldType.String, true, "string"),
                ("event_time", FieldType.Timestamp, true, "timestamp"),
                ("site_id", FieldType.String, false, "string"),
                ("product_quality", FieldType.String, false, "string"),
                ("air_temperature_k", FieldType.Double, true, "double"),
                ("process_temperature_k", FieldType.Double, true, "double"),
                ("rotational_speed_rpm", FieldType.Double, true, "double"),
                ("torque_nm", FieldType.Double, true, "double"),
                ("tool_wear_min", FieldType.Long, true, "bigint"),
                ("vibration_mm_s", FieldType.Double, false, "double"),
                ("machine_failure", FieldType.Boolean, true, "boolean"),
            ],
            Schema.Fields.Select(f => (f.Name, f.Type, f.Required, f.GlueType)));
    }

    [Theory]
    [InlineData("air_temperature_k", "K", 150, 450)]
    [InlineData("process_temperature_k", "K", 150, 600)]
    [InlineData("rotational_speed_rpm", "rpm", 0, 30000)]
    [InlineData("torque_nm", "N·m", 0, 1000)]
    [InlineData("tool_wear_min", "minutes", 0, 100000)]
    [InlineData("vibration_mm_s", "mm/s", 0, 500)]
    public void Definition_NumericFields_HaveUnitAndBounds(string name, string unit, double minimum, double maximum)
    {
        var field = Schema.FindField(name)!;

        Assert.Equal(unit, field.Unit);
        Assert.Equal(minimum, field.Minimum);
        Assert.Equal(maximum, field.Maximum);
    }

    [Fact]
    public void Definition_StringFields_HaveLengthPatternAndAllowedValues()
    {
        var device = Schema.FindField("device_id")!;
        var site = Schema.FindField("site_id")!;
        var quality = Schema.FindField("product_quality")!;

        Assert.Equal((1, 64, "^[A-Za-z0-9._:-]+$"), (device.MinLength, device.MaxLength, device.Pattern));
        Assert.Equal((null, 64, null), (site.MinLength, site.MaxLength, site.Pattern));
        Assert.Equal(["L", "M", "H"], quality.AllowedValues!);
    }

    [Fact]
    public void Definition_EventTimeLabelPartitionAndWindow_AreAsSpecified()
    {
        Assert.Equal("event_time", Schema.EventTimeField.Name);
        Assert.Equal("machine_failure", Schema.LabelField.Name);
        Assert.Equal("event_date", Schema.PartitionKey);
        Assert.Equal(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), Schema.EarliestEventTime);
        Assert.Equal(TimeSpan.FromMinutes(15), Schema.MaxFutureSkew);
    }

    [Fact]
    public void Definition_EveryField_HasDescriptionAndNameConstant()
    {
        string[] constants =
        [
            TelemetrySchema.DeviceId, TelemetrySchema.EventTime, TelemetrySchema.SiteId, TelemetrySchema.ProductQuality,
            TelemetrySchema.AirTemperatureK, TelemetrySchema.ProcessTemperatureK, TelemetrySchema.RotationalSpeedRpm,
            TelemetrySchema.TorqueNm, TelemetrySchema.ToolWearMin, TelemetrySchema.VibrationMmS, TelemetrySchema.MachineFailure,
        ];

        Assert.Equal(constants, Schema.Fields.Select(f => f.Name));
        Assert.All(Schema.Fields, f => Assert.False(string.IsNullOrWhiteSpace(f.Description)));
    }

    [Fact]
    public void Definition_ReadTwice_IsTheSameInstance()
    {
        Assert.Same(TelemetrySchema.Definition, TelemetrySchema.Definition);
    }
}
