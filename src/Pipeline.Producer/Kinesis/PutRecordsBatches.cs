using System.Globalization;
using System.Text;

namespace Pipeline.Producer.Kinesis;

/// <summary>
/// Kinesis Data Streams' PutRecords limits (API reference, PutRecords): at most 500 records and 5 MiB per request,
/// partition keys included; a record's data and key at most 1 MiB; keys 1 to 256 characters.
/// </summary>
public static class PutRecordsBatches
{
    /// <summary>Records per request.</summary>
    public const int MaxRecords = 500;

    /// <summary>Bytes per request, data and partition keys.</summary>
    public const int MaxRequestBytes = 5 * 1024 * 1024;

    /// <summary>Bytes per record, data and partition key.</summary>
    public const int MaxRecordBytes = 1024 * 1024;

    /// <summary>Characters per partition key.</summary>
    public const int MaxPartitionKeyLength = 256;

    /// <summary>The bytes a record counts against the limits: its data and its partition key.</summary>
    public static int SizeOf(KinesisRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.Data.Length + Encoding.UTF8.GetByteCount(record.PartitionKey);
    }

    /// <summary>Why Kinesis would refuse the record, or null when it can be put.</summary>
    public static string? Problem(KinesisRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.PartitionKey.Length is 0 or > MaxPartitionKeyLength)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"its partition key has {record.PartitionKey.Length} characters; Kinesis takes 1 to {MaxPartitionKeyLength}");
        }

        var size = SizeOf(record);
        return size <= MaxRecordBytes
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"{size} bytes with its partition key; Kinesis takes at most {MaxRecordBytes} (1 MiB) per record");
    }
}
