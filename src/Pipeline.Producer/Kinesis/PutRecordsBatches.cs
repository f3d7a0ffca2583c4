using System.Runtime.CompilerServices;
using System.Text;

namespace Pipeline.Producer.Kinesis;

/// <summary>
/// Splits records into PutRecords requests within Kinesis Data Streams' limits (API reference, PutRecords): at most 500
/// records and 5 MiB per request, partition keys included; a record's data and key at most 1 MiB; keys 1 to 256
/// characters.
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

    /// <summary>The requests, in order, each at most <paramref name="maxRecords"/> records.</summary>
    /// <exception cref="ArgumentException">A record is too large or its key is empty or too long; the message names it.</exception>
    public static async IAsyncEnumerable<IReadOnlyList<KinesisRecord>> Split(
        IAsyncEnumerable<KinesisRecord> records, int maxRecords = MaxRecords, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRecords, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxRecords, MaxRecords);
        var batch = new List<KinesisRecord>();
        var bytes = 0;
        var index = 0L;
        await foreach (var record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            var size = SizeOf(record, index++);
            if (batch.Count == maxRecords || bytes + size > MaxRequestBytes)
            {
                yield return batch;
                batch = [];
                bytes = 0;
            }

            batch.Add(record);
            bytes += size;
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    private static int SizeOf(KinesisRecord record, long index)
    {
        if (record.PartitionKey.Length is 0 or > MaxPartitionKeyLength)
        {
            throw new ArgumentException(
                $"Record {index}: its partition key has {record.PartitionKey.Length} characters; Kinesis takes 1 to {MaxPartitionKeyLength}.", nameof(record));
        }

        var size = record.Data.Length + Encoding.UTF8.GetByteCount(record.PartitionKey);
        return size <= MaxRecordBytes
            ? size
            : throw new ArgumentException(
                $"Record {index}: {size} bytes with its partition key; Kinesis takes at most {MaxRecordBytes} (1 MiB) per record.", nameof(record));
    }
}
