using System.Security.Cryptography;
using System.Text.Json;
using Pipeline.Schema;
using Pipeline.Producer.Kinesis;

namespace Pipeline.Producer.Records;

/// <summary>Partition keys for records read back: the record's device, as producers partition.</summary>
internal static class RecordKeys
{
    /// <summary>The device id of a JSON record, or, for any other bytes, a key spread by their content.</summary>
    public static string KeyOf(ReadOnlySpan<byte> record)
    {
        try
        {
            var reader = new Utf8JsonReader(record);
            if (JsonElement.TryParseValue(ref reader, out var element)
                && element is { ValueKind: JsonValueKind.Object } root
                && root.TryGetProperty(TelemetrySchema.DeviceId, out var device)
                && device.ValueKind == JsonValueKind.String
                && device.GetString() is { Length: > 0 and <= PutRecordsBatches.MaxPartitionKeyLength } id)
            {
                return id;
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            // Not JSON, or not valid UTF-8: still sent, as stored.
        }

        return "replay-" + Convert.ToHexString(SHA256.HashData(record))[..16];
    }
}
