using Pipeline.Producer.Kinesis;

namespace Pipeline.Producer.Tests;

public sealed class PutRecordsBatchesTests
{
    [Fact]
    public void SizeOf_Record_CountsItsDataAndItsKeysUtf8Bytes()
    {
        Assert.Equal(10 + 14, PutRecordsBatches.SizeOf(new KinesisRecord(new byte[10], "machine-ü-001")));
    }

    [Fact]
    public void Problem_RecordOfExactlyOneMiBWithItsKey_None()
    {
        Assert.Null(PutRecordsBatches.Problem(new KinesisRecord(new byte[1024 * 1024 - 11], "machine-001")));
    }

    [Fact]
    public void Problem_RecordOverOneMiB_SaysItsSizeAndTheLimit()
    {
        Assert.Equal(
            "1048587 bytes with its partition key; Kinesis takes at most 1048576 (1 MiB) per record",
            PutRecordsBatches.Problem(new KinesisRecord(new byte[1024 * 1024], "machine-001")));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(257)]
    public void Problem_PartitionKeyOutOfRange_SaysItsLength(int length)
    {
        Assert.Equal(
            $"its partition key has {length} characters; Kinesis takes 1 to 256",
            PutRecordsBatches.Problem(new KinesisRecord(new byte[1], new string('k', length))));
    }
}
