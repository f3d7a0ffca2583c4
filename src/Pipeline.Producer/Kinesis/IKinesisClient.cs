namespace Pipeline.Producer.Kinesis;

/// <summary>
/// The two Kinesis Data Streams calls the producer makes. <see cref="SigV4KinesisClient"/> implements them on the Kinesis
/// JSON API with AWSSDK.Core's signer; AWSSDK.Kinesis's client can take its place where that package can be had.
/// </summary>
public interface IKinesisClient
{
    /// <summary>Checks that the stream exists and can be written (DescribeStreamSummary).</summary>
    /// <exception cref="KinesisException">The stream does not exist, or the call failed.</exception>
    Task DescribeStreamSummaryAsync(string streamName, CancellationToken cancellationToken);

    /// <summary>Puts a batch of records (PutRecords); entries that failed say why, in request order.</summary>
    /// <exception cref="KinesisException">The whole request failed.</exception>
    Task<PutRecordsResult> PutRecordsAsync(string streamName, IReadOnlyList<KinesisRecord> records, CancellationToken cancellationToken);
}

/// <summary>One record to put.</summary>
/// <param name="Data">The record's bytes (sent base64-encoded).</param>
/// <param name="PartitionKey">The partition key (1 to 256 characters), which decides the shard.</param>
/// <param name="Origin">Where the record was read, for reports (null for generated records).</param>
public sealed record KinesisRecord(ReadOnlyMemory<byte> Data, string PartitionKey, RecordOrigin? Origin = null);

/// <summary>Where a record was read: a file or an S3 object, and its line (from 1).</summary>
/// <param name="Source">The file's path or the object's <c>s3://</c> URL.</param>
/// <param name="Line">The record's line in it.</param>
public sealed record RecordOrigin(string Source, long Line)
{
    /// <inheritdoc />
    public override string ToString() => $"{Source} line {Line}";
}

/// <summary>The outcome of a PutRecords call, judged by its entries (the answer's FailedRecordCount is not trusted).</summary>
/// <param name="Entries">One entry per record, in request order.</param>
public sealed record PutRecordsResult(IReadOnlyList<PutRecordsResultEntry> Entries)
{
    /// <summary>How many entries failed.</summary>
    public int FailedRecordCount => Entries.Count(e => !e.Succeeded);
}

/// <summary>The outcome of one record: a sequence number, or an error code and message.</summary>
/// <param name="SequenceNumber">The record's sequence number when it was written.</param>
/// <param name="ErrorCode">
/// Why it was not written: <c>ProvisionedThroughputExceededException</c> or <c>InternalFailure</c> as documented, a KMS error
/// on encrypted streams, or <see cref="KinesisException.UnexpectedResponse"/> for an entry with neither a sequence number
/// nor an error.
/// </param>
/// <param name="ErrorMessage">The error's message.</param>
public sealed record PutRecordsResultEntry(string? SequenceNumber, string? ErrorCode, string? ErrorMessage)
{
    /// <summary>Whether the record was written.</summary>
    public bool Succeeded => ErrorCode is null;
}
