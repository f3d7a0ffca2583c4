using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Pipeline.Schema;

namespace Pipeline.Producer.Telemetry;

/// <summary>One telemetry record, as a machine reports it after one process (one product machined).</summary>
/// <param name="DeviceId">The machine.</param>
/// <param name="EventTime">When the reading was taken.</param>
/// <param name="SiteId">The machine's site.</param>
/// <param name="ProductQuality">The product variant: L, M or H.</param>
/// <param name="AirTemperatureK">Ambient air temperature, K.</param>
/// <param name="ProcessTemperatureK">Process temperature, K.</param>
/// <param name="RotationalSpeedRpm">Spindle speed, rpm.</param>
/// <param name="TorqueNm">Spindle torque, N·m.</param>
/// <param name="ToolWearMin">Minutes the current tool has been in use.</param>
/// <param name="VibrationMmS">Vibration velocity (RMS), mm/s.</param>
/// <param name="Failures">Why the machine failed; <see cref="FailureModes.None"/> when it did not.</param>
public sealed record TelemetryReading(
    string DeviceId,
    DateTimeOffset EventTime,
    string SiteId,
    string ProductQuality,
    double AirTemperatureK,
    double ProcessTemperatureK,
    double RotationalSpeedRpm,
    double TorqueNm,
    long ToolWearMin,
    double VibrationMmS,
    FailureModes Failures)
{
    /// <summary>The label: whether the machine failed.</summary>
    public bool MachineFailure => Failures != FailureModes.None;

    /// <summary>
    /// Writes the record as one JSON object of the record schema's fields followed by a newline, so that the lake's raw
    /// backup (Firehose joins records with no delimiter) stays one JSON document per line.
    /// </summary>
    public void WriteJsonLine(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        using (var json = new Utf8JsonWriter(output))
        {
            json.WriteStartObject();
            json.WriteString(TelemetrySchema.DeviceId, DeviceId);
            json.WriteString(TelemetrySchema.EventTime, EventTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            json.WriteString(TelemetrySchema.SiteId, SiteId);
            json.WriteString(TelemetrySchema.ProductQuality, ProductQuality);
            json.WriteNumber(TelemetrySchema.AirTemperatureK, AirTemperatureK);
            json.WriteNumber(TelemetrySchema.ProcessTemperatureK, ProcessTemperatureK);
            json.WriteNumber(TelemetrySchema.RotationalSpeedRpm, RotationalSpeedRpm);
            json.WriteNumber(TelemetrySchema.TorqueNm, TorqueNm);
            json.WriteNumber(TelemetrySchema.ToolWearMin, ToolWearMin);
            json.WriteNumber(TelemetrySchema.VibrationMmS, VibrationMmS);
            json.WriteBoolean(TelemetrySchema.MachineFailure, MachineFailure);
            json.WriteEndObject();
        }

        output.Write("\n"u8);
    }

    /// <summary>The record as one JSON line (with its newline).</summary>
    public byte[] ToJsonLine()
    {
        var buffer = new ArrayBufferWriter<byte>(320);
        WriteJsonLine(buffer);
        return buffer.WrittenSpan.ToArray();
    }
}
