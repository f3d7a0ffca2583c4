using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Pipeline.Testing;

/// <summary>
/// Realistic telemetry for the transform's tests and benchmarks (one source file, linked into both projects):
/// plausible readings, and a Firehose invocation event (Kinesis source) filled up to a size limit with them,
/// deterministic for a seed: compact JSON as Firehose sends it, 56-digit record ids and sequence numbers.
/// </summary>
public static class RealisticTelemetry
{
    /// <summary>Lambda's synchronous payload limit, 6 MB.</summary>
    public const int PayloadLimit = 6 * 1024 * 1024;

    /// <summary>"Now" for the event-time window: 2026-11-21T12:00:00Z; readings lie in the two hours before it.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A Kinesis-source record id as Firehose writes it (56 digits), made unique by the index.</summary>
    public static string RecordId(int index) =>
        "4954698668313554428650745793632162567570019247" + index.ToString("D10", CultureInfo.InvariantCulture);

    /// <summary>A plausible reading: a random machine of a random site, in the two hours before <see cref="Now"/>.</summary>
    public static string Reading(Random random)
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

    /// <summary>A realistic invocation event of at most <paramref name="limit"/> bytes, as full as the limit allows.</summary>
    public static (byte[] Event, int Records) FirehoseEvent(int limit = PayloadLimit, int seed = 20261121)
    {
        var random = new Random(seed);
        var buffer = new ArrayBufferWriter<byte>(limit + 4096);
        var record = new ArrayBufferWriter<byte>(1024);
        using var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true });
        using var recordWriter = new Utf8JsonWriter(record);
        writer.WriteStartObject();
        writer.WriteString("invocationId", "e0a1b2c3-d4e5-4f60-8a1b-2c3d4e5f6a7b");
        writer.WriteString("deliveryStreamArn", "arn:aws:firehose:us-east-1:123456789012:deliverystream/mlpipe-sandbox-telemetry");
        writer.WriteString("sourceKinesisStreamArn", "arn:aws:kinesis:us-east-1:123456789012:stream/mlpipe-sandbox-telemetry");
        writer.WriteString("region", "us-east-1");
        writer.WriteStartArray("records");
        writer.Flush();
        var size = buffer.WrittenCount + 2;
        var records = 0;
        for (var i = 0; ; i++)
        {
            record.ResetWrittenCount();
            recordWriter.Reset();
            var id = RecordId(i);
            recordWriter.WriteStartObject();
            recordWriter.WriteString("recordId", id);
            recordWriter.WriteNumber("approximateArrivalTimestamp", 1795262130123L + i);
            recordWriter.WriteBase64String("data", Encoding.UTF8.GetBytes(Reading(random)));
            recordWriter.WriteStartObject("kinesisRecordMetadata");
            recordWriter.WriteString("sequenceNumber", id);
            recordWriter.WriteNumber("subsequenceNumber", 0);
            recordWriter.WriteString("partitionKey", $"press-{random.Next(1, 5000):D4}");
            recordWriter.WriteString("shardId", $"shardId-00000000000{i % 4}");
            recordWriter.WriteNumber("approximateArrivalTimestamp", 1795262130123L + i);
            recordWriter.WriteEndObject();
            recordWriter.WriteEndObject();
            recordWriter.Flush();
            var needed = record.WrittenCount + (i > 0 ? 1 : 0);
            if (size + needed > limit)
            {
                break;
            }

            writer.WriteRawValue(record.WrittenSpan, skipInputValidation: true);
            size += needed;
            records = i + 1;
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
        return (buffer.WrittenSpan.ToArray(), records);
    }
}
