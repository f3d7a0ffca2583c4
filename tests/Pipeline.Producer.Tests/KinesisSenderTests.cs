using System.Net;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Producer.Kinesis;

namespace Pipeline.Producer.Tests;

public sealed class KinesisSenderTests
{
    private static readonly KinesisSenderOptions Fast = new() { FirstRetryDelay = TimeSpan.FromMilliseconds(1), MaxRetryDelay = TimeSpan.FromMilliseconds(2) };

    private static IAsyncEnumerable<KinesisRecord> Records(int count, int bytes = 1, string? key = null) =>
        Enumerable.Range(0, count).Select(i =>
        {
            var data = new byte[bytes];
            data[0] = (byte)i;
            return new KinesisRecord(data, key ?? $"machine-{i}");
        }).ToAsyncEnumerable();

    [Fact]
    public async Task Send_PartialFailure_RetriesOnlyTheFailedEntries()
    {
        var client = new FakeKinesis((call, batch) => call == 0
            ? batch.Select((_, i) => i is 1 or 3 ? Failed("ProvisionedThroughputExceededException") : Ok()).ToList()
            : batch.Select(_ => Ok()).ToList());

        var summary = await new KinesisSender(client, "s", Fast).SendAsync(Records(5), null, CancellationToken.None);

        Assert.Equal((5L, 2L, 0L), (summary.Sent, summary.Retried, summary.Failed));
        Assert.Equal([[0, 1, 2, 3, 4], [1, 3]], client.Calls.Select(c => c.Select(r => (int)r.Data.Span[0]).ToArray()));
    }

    [Fact]
    public async Task Send_ThrottledOnEveryAttempt_CountsTheRecordsFailedAndSaysWhy()
    {
        var client = new FakeKinesis((_, batch) => batch.Select(_ => Failed("ProvisionedThroughputExceededException")).ToList());

        var summary = await new KinesisSender(client, "s", Fast with { MaxRetries = 3 }).SendAsync(Records(4), null, CancellationToken.None);

        Assert.Equal((0L, 12L, 4L, true), (summary.Sent, summary.Retried, summary.Failed, summary.Throttled));
        Assert.Equal(4, client.Calls.Count);
    }

    [Fact]
    public async Task Send_WholeRequestThrottledOnce_RetriedAndWritten()
    {
        var client = new FakeKinesis((call, batch) => call == 0
            ? throw new KinesisException("slow down", "ProvisionedThroughputExceededException", HttpStatusCode.BadRequest)
            : batch.Select(_ => Ok()).ToList());

        var summary = await new KinesisSender(client, "s", Fast).SendAsync(Records(3), null, CancellationToken.None);

        Assert.Equal((3L, 3L, 0L), (summary.Sent, summary.Retried, summary.Failed));
    }

    [Fact]
    public async Task Send_StreamNotFound_StopsCountingTheBatchNotSent()
    {
        var client = new FakeKinesis((_, _) => throw new KinesisException("no stream", "ResourceNotFoundException", HttpStatusCode.BadRequest));
        var notSent = new NotSent();

        var summary = await new KinesisSender(client, "s", Fast, notSent: notSent).SendAsync(Records(3), null, CancellationToken.None);

        Assert.Equal((0L, 0L, 3L, SendStop.NotFound), (summary.Sent, summary.Failed, summary.NotSent, summary.Stop));
        Assert.Equal([0, 1, 2], notSent.Records.Select(r => (int)r.Data.Span[0]));
        Assert.Single(client.Calls);
    }

    [Fact]
    public async Task Send_ManySmallRecords_AtMost500PerRequest()
    {
        var client = new FakeKinesis((_, batch) => batch.Select(_ => Ok()).ToList());

        var summary = await new KinesisSender(client, "s", Fast).SendAsync(Records(1_200, bytes: 300), null, CancellationToken.None);

        Assert.Equal([500, 500, 200], client.Calls.Select(c => c.Count));
        Assert.Equal(1_200L, summary.Sent);
    }

    [Fact]
    public async Task Send_LargeRecords_AtMost5MiBPerRequestKeysIncluded()
    {
        var client = new FakeKinesis((_, batch) => batch.Select(_ => Ok()).ToList());

        // Each record is exactly 1 MiB with its 11-character key, so five fill a request.
        await new KinesisSender(client, "s", Fast).SendAsync(Records(11, bytes: 1024 * 1024 - 11, key: "machine-001"), null, CancellationToken.None);

        Assert.Equal([5, 5, 1], client.Calls.Select(c => c.Count));
    }

    [Fact]
    public async Task Send_RecordOverOneMiB_SetAsideWithWhereItWasReadAndTheOthersSent()
    {
        var client = new FakeKinesis((_, batch) => batch.Select(_ => Ok()).ToList());
        var notSent = new NotSent();
        KinesisRecord[] records =
        [
            new(new byte[10], "machine-001", new RecordOrigin("s3://lake/raw/a.gz", 1)),
            new(new byte[1024 * 1024], "machine-001", new RecordOrigin("s3://lake/raw/a.gz", 2)),
            new(new byte[10], "machine-001", new RecordOrigin("s3://lake/raw/a.gz", 3)),
        ];

        var summary = await new KinesisSender(client, "s", Fast, notSent: notSent).SendAsync(records.ToAsyncEnumerable(), null, CancellationToken.None);

        Assert.Equal((2L, 1L, SendStop.None), (summary.Sent, summary.NotSent, summary.Stop));
        Assert.Equal(["s3://lake/raw/a.gz line 2: 1048587 bytes with its partition key; Kinesis takes at most 1048576 (1 MiB) per record"], summary.Rejections);
        Assert.Same(records[1], Assert.Single(notSent.Records));
    }

    [Fact]
    public async Task Send_RecordOverOneMiBWithStopAtFirstRejected_SendsWhatCameBeforeAndStops()
    {
        var client = new FakeKinesis((_, batch) => batch.Select(_ => Ok()).ToList());
        KinesisRecord[] records = [new(new byte[10], "machine-001"), new(new byte[1024 * 1024], "machine-001"), new(new byte[10], "machine-001")];

        var summary = await new KinesisSender(client, "s", Fast with { StopAtFirstRejected = true })
            .SendAsync(records.ToAsyncEnumerable(), null, CancellationToken.None);

        Assert.Equal((1L, 1L, SendStop.RecordRejected), (summary.Sent, summary.NotSent, summary.Stop));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(257)]
    public async Task Send_PartitionKeyOutOfRange_SetAsideNamingIt(int length)
    {
        var client = new FakeKinesis((_, batch) => batch.Select(_ => Ok()).ToList());

        var summary = await new KinesisSender(client, "s", Fast).SendAsync(Records(1, key: new string('k', length)), null, CancellationToken.None);

        Assert.Equal([$"its partition key has {length} characters; Kinesis takes 1 to 256"], summary.Rejections);
        Assert.Empty(client.Calls);
    }

    [Fact]
    public async Task Send_RequestUnansweredThenAnswered_RetriedAndCountedAsPossibleDuplicates()
    {
        var client = new FakeKinesis((call, batch) => call == 0 ? throw new HttpRequestException(HttpRequestError.ResponseEnded) : batch.Select(_ => Ok()).ToList());

        var summary = await new KinesisSender(client, "s", Fast).SendAsync(Records(4), null, CancellationToken.None);

        Assert.Equal((4L, 4L, 4L, 0L), (summary.Sent, summary.Retried, summary.PossibleDuplicates, summary.InDoubt));
    }

    [Fact]
    public async Task Send_ConnectionRefusedThenAccepted_RetriedWithoutPossibleDuplicates()
    {
        var client = new FakeKinesis((call, batch) => call == 0 ? throw new HttpRequestException(HttpRequestError.ConnectionError) : batch.Select(_ => Ok()).ToList());

        var summary = await new KinesisSender(client, "s", Fast).SendAsync(Records(4), null, CancellationToken.None);

        Assert.Equal((4L, 4L, 0L), (summary.Sent, summary.Retried, summary.PossibleDuplicates));
    }

    [Fact]
    public async Task Send_TargetRate_SendsOneSecondsRecordsPerSecond()
    {
        var time = new FakeTimeProvider();
        var client = new FakeKinesis((_, batch) => batch.Select(_ => Ok()).ToList());
        var progress = new List<long>();

        var send = new KinesisSender(client, "s", Fast with { RecordsPerSecond = 10 }, time)
            .SendAsync(Records(30), new SynchronousProgress(s => progress.Add(s.Sent)), CancellationToken.None);
        await WaitUntil(() => progress.Count == 1);
        Assert.Equal([10L], progress);
        time.Advance(TimeSpan.FromMilliseconds(900));
        await Task.Delay(50);
        Assert.Equal([10L], progress);
        time.Advance(TimeSpan.FromMilliseconds(100));
        await WaitUntil(() => progress.Count == 2);
        time.Advance(TimeSpan.FromSeconds(1));
        var summary = await send;

        Assert.Equal([10L, 20L, 30L], progress);
        Assert.Equal([10, 10, 10], client.Calls.Select(c => c.Count));
        Assert.Equal(TimeSpan.FromSeconds(2), summary.Elapsed);
    }

    [Fact]
    public async Task Send_Cancelled_StopsAfterTheBatchInFlightAndCountsIt()
    {
        using var cancel = new CancellationTokenSource();
        var client = new FakeKinesis((call, batch) =>
        {
            cancel.Cancel();
            return batch.Select(_ => Ok()).ToList();
        });

        var summary = await new KinesisSender(client, "s", Fast with { RecordsPerSecond = 5 }).SendAsync(Records(20), null, cancel.Token);

        Assert.Equal((5L, 0L, 0L, SendStop.Cancelled), (summary.Sent, summary.Failed, summary.NotSent, summary.Stop));
        Assert.Single(client.Calls);
    }

    private static PutRecordsResultEntry Ok() => new("49590338271490256608559692538361571095921575989136588898", null, null);

    private static PutRecordsResultEntry Failed(string code) => new(null, code, "Rate exceeded for shard shardId-000000000000.");

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition(), "The send did not get there.");
    }

    private sealed class SynchronousProgress(Action<SendSummary> report) : IProgress<SendSummary>
    {
        public void Report(SendSummary value) => report(value);
    }

    private sealed class FakeKinesis(Func<int, IReadOnlyList<KinesisRecord>, IReadOnlyList<PutRecordsResultEntry>> answer) : IKinesisClient
    {
        public List<IReadOnlyList<KinesisRecord>> Calls { get; } = [];

        public Task DescribeStreamSummaryAsync(string streamName, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<PutRecordsResult> PutRecordsAsync(string streamName, IReadOnlyList<KinesisRecord> records, CancellationToken cancellationToken)
        {
            var call = Calls.Count;
            Calls.Add([.. records]);
            var entries = answer(call, records);
            return Task.FromResult(new PutRecordsResult(entries));
        }
    }

    private sealed class NotSent : INotSentRecords
    {
        public List<KinesisRecord> Records { get; } = [];

        public void Add(KinesisRecord record) => Records.Add(record);
    }
}
