using Pipeline.Producer.Kinesis;

namespace Pipeline.Producer.Tests;

public sealed class PutRecordsBatchesTests
{
    private static async Task<List<IReadOnlyList<KinesisRecord>>> Split(IEnumerable<KinesisRecord> records, int max = PutRecordsBatches.MaxRecords) =>
        await PutRecordsBatches.Split(records.ToAsyncEnumerable(), max).ToListAsync();

    private static KinesisRecord Record(int bytes, string key = "machine-001") => new(new byte[bytes], key);

    [Fact]
    public async Task Split_SmallRecords_AtMost500PerRequest()
    {
        var batches = await Split(Enumerable.Range(0, 1_200).Select(_ => Record(300)));

        Assert.Equal([500, 500, 200], batches.Select(b => b.Count));
    }

    [Fact]
    public async Task Split_LargeRecords_AtMost5MiBPerRequestKeysIncluded()
    {
        // 1 MiB minus the key: each record is exactly 1 MiB with its key, so five fill a request.
        var batches = await Split(Enumerable.Range(0, 11).Select(_ => Record(1024 * 1024 - 11)));

        Assert.Equal([5, 5, 1], batches.Select(b => b.Count));
    }

    [Fact]
    public async Task Split_RecordAboveOneMiB_FailsNamingIt()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Split([Record(10), Record(1024 * 1024)]));

        Assert.StartsWith("Record 1: 1048587 bytes with its partition key; Kinesis takes at most 1048576 (1 MiB) per record.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(257)]
    public async Task Split_PartitionKeyOutOfRange_FailsNamingIt(int length)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Split([Record(10, new string('k', length))]));

        Assert.StartsWith($"Record 0: its partition key has {length} characters; Kinesis takes 1 to 256.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Split_SmallerBatchSize_Honoured()
    {
        Assert.Equal([10, 10, 5], (await Split(Enumerable.Range(0, 25).Select(_ => Record(1)), 10)).Select(b => b.Count));
    }
}
