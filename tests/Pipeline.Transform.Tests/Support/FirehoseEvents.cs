using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Pipeline.Testing;

namespace Pipeline.Transform.Tests.Support;

/// <summary>Firehose invocation events: the fixture files, and events built in the exact shape AWS sends.</summary>
internal static class FirehoseEvents
{
    public const string DeliveryStreamArn =
        "arn:aws:firehose:us-east-1:123456789012:deliverystream/mlpipe-sandbox-telemetry";

    public const string SourceStreamArn = "arn:aws:kinesis:us-east-1:123456789012:stream/mlpipe-sandbox-telemetry";

    public const long Arrival = 1795262130123;

    /// <summary>Lambda's synchronous payload limit.</summary>
    public const int PayloadLimit = RealisticTelemetry.PayloadLimit;

    public static byte[] Load(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "events", name));

    /// <summary>A Kinesis-source record id as Firehose writes it (56 digits), made unique by the index.</summary>
    public static string RecordId(int index) => RealisticTelemetry.RecordId(index);

    /// <summary>Builds an event whose records carry the given base64 data, with realistic Kinesis metadata.</summary>
    public static byte[] Build(IEnumerable<string> base64Data, string invocationId = "inv-1") =>
        Build(base64Data.Select((d, i) => new EventRecord(RecordId(i), d)), invocationId);

    public static byte[] Build(IEnumerable<EventRecord> records, string invocationId = "inv-1")
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            WriteStart(writer, invocationId);
            foreach (var record in records)
            {
                WriteRecord(writer, record);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static void WriteStart(Utf8JsonWriter writer, string invocationId)
    {
        writer.WriteStartObject();
        writer.WriteString("invocationId", invocationId);
        writer.WriteString("deliveryStreamArn", DeliveryStreamArn);
        writer.WriteString("sourceKinesisStreamArn", SourceStreamArn);
        writer.WriteString("region", "us-east-1");
        writer.WriteStartArray("records");
    }

    public static void WriteRecord(Utf8JsonWriter writer, EventRecord record)
    {
        writer.WriteStartObject();
        writer.WriteString("recordId", record.RecordId);
        writer.WriteNumber("approximateArrivalTimestamp", Arrival);
        writer.WriteString("data", record.Data);
        writer.WriteStartObject("kinesisRecordMetadata");
        writer.WriteString("sequenceNumber", record.RecordId);
        writer.WriteNumber("subsequenceNumber", 0);
        writer.WriteString("partitionKey", record.PartitionKey);
        writer.WriteString("shardId", record.ShardId);
        writer.WriteNumber("approximateArrivalTimestamp", Arrival);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}

/// <summary>One record of an event: the data is written as a JSON string (escaped as needed).</summary>
internal sealed record EventRecord(
    string RecordId,
    string Data,
    string PartitionKey = "press-07",
    string ShardId = "shardId-000000000000");
