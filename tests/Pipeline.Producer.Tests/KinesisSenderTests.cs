using System.Net;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Producer.Kinesis;

namespace Pipeline.Producer.Tests;

public sealed class KinesisSenderTests
{
    private static readonly KinesisSenderOptions Fast = new() { FirstRetryDelay = TimeSpan.FromMilliseconds(1), MaxRetryDelay = TimeSpan.FromMilliseconds(2) };

    private static IAsyncEnumerable<KinesisRecord> Records(int count) =>
        Enumerable.Range(0, count).Select(i => new KinesisRecord(new[] { (byte)i }, $"machine-{i}")).ToAsyncEnumerable();

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
    public async Task Send_ThrottledOnEveryAttempt_CountsTheRecordsLostAndSaysWhy()
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
    public async Task Send_StreamNotFound_Throws()
    {
        var client = new FakeKinesis((_, _) => throw new KinesisException("no stream", "ResourceNotFoundException", HttpStatusCode.BadRequest));

        var error = await Assert.ThrowsAsync<KinesisException>(() => new KinesisSender(client, "s", Fast).SendAsync(Records(3), null, CancellationToken.None));

        Assert.True(error.IsNotFound);
        Assert.Single(client.Calls);
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

        Assert.Equal((5L, 0L), (summary.Sent, summary.Failed));
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
            return Task.FromResult(new PutRecordsResult(entries.Count(e => !e.Succeeded), entries));
        }
    }
}
