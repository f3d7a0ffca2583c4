using Polly;
using Polly.Retry;

namespace Pipeline.Producer.Kinesis;

/// <summary>Options of <see cref="KinesisSender"/>.</summary>
public sealed record KinesisSenderOptions
{
    /// <summary>Records per second to send at most; null for as fast as the stream takes them.</summary>
    /// <value>Default: no limit.</value>
    public double? RecordsPerSecond { get; init; }

    /// <summary>Retries of a batch's failed records (and of a throttled or failed request) before they count as lost.</summary>
    /// <value>Default: 8.</value>
    public int MaxRetries { get; init; } = 8;

    /// <summary>The first retry's delay; each later one doubles, with jitter.</summary>
    /// <value>Default: 100 ms.</value>
    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest delay between two retries.</summary>
    /// <value>Default: 5 s.</value>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>What a send did so far.</summary>
/// <param name="Sent">Records the stream acknowledged.</param>
/// <param name="Retried">Record sends that were retried (one record retried twice counts twice).</param>
/// <param name="Failed">Records that were not written after every retry: lost.</param>
/// <param name="Throttled">Whether the last failure was the stream refusing more throughput.</param>
/// <param name="Elapsed">Time since the send started.</param>
public sealed record SendSummary(long Sent, long Retried, long Failed, bool Throttled, TimeSpan Elapsed)
{
    /// <summary>Acknowledged records per second.</summary>
    public double RecordsPerSecond => Elapsed > TimeSpan.Zero ? Sent / Elapsed.TotalSeconds : 0;
}

/// <summary>
/// Sends records to a stream in PutRecords batches within the limits (<see cref="PutRecordsBatches"/>), at a target rate,
/// retrying only the entries that failed (and throttled or failed requests) with exponential backoff and full jitter,
/// and counting what was sent, retried and lost. A stream that does not exist, or credentials that are refused, end the
/// send at once.
/// </summary>
public sealed class KinesisSender
{
    private readonly IKinesisClient _client;
    private readonly string _streamName;
    private readonly KinesisSenderOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates the sender.</summary>
    public KinesisSender(IKinesisClient client, string streamName, KinesisSenderOptions? options = null, TimeProvider? time = null)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _streamName = streamName ?? throw new ArgumentNullException(nameof(streamName));
        _options = options ?? new KinesisSenderOptions();
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Sends every record; cancelling stops after the batch in flight and returns what was sent.</summary>
    /// <exception cref="KinesisException">The stream does not exist, or the credentials were refused.</exception>
    public async Task<SendSummary> SendAsync(IAsyncEnumerable<KinesisRecord> records, IProgress<SendSummary>? progress, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        long sent = 0, retried = 0, failed = 0, offered = 0;
        var throttled = false;
        SendSummary Summary() => new(sent, retried, failed, throttled, _time.GetElapsedTime(started));

        // About one request per second when a rate is set, so the pace stays even.
        var batchSize = _options.RecordsPerSecond is { } rate ? (int)Math.Clamp(Math.Ceiling(rate), 1, PutRecordsBatches.MaxRecords) : PutRecordsBatches.MaxRecords;
        // The source is read without the token: a cancelled read would leave a record neither sent nor counted.
        await foreach (var batch in PutRecordsBatches.Split(records, batchSize, CancellationToken.None).ConfigureAwait(false))
        {
            if (cancellationToken.IsCancellationRequested)
            {
                break;
            }

            if (_options.RecordsPerSecond is { } perSecond)
            {
                var due = TimeSpan.FromSeconds(offered / perSecond) - _time.GetElapsedTime(started);
                if (due > TimeSpan.Zero)
                {
                    try
                    {
                        await Task.Delay(due, _time, cancellationToken).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }
            }

            offered += batch.Count;
            var (written, retries, lost, wasThrottled) = await SendBatchAsync(batch).ConfigureAwait(false);
            sent += written;
            retried += retries;
            failed += lost;
            throttled = lost > 0 ? wasThrottled : throttled;
            progress?.Report(Summary());
        }

        return Summary();
    }

    // A batch is finished even when the send is cancelled meanwhile, so its records are counted, not left in doubt.
    private async Task<(long Written, long Retries, long Lost, bool Throttled)> SendBatchAsync(IReadOnlyList<KinesisRecord> batch)
    {
        var pending = batch;
        long retries = 0;
        var throttled = false;
        var pipeline = new ResiliencePipelineBuilder<PutRecordsResult> { TimeProvider = _time }
            .AddRetry(new RetryStrategyOptions<PutRecordsResult>
            {
                MaxRetryAttempts = _options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.FirstRetryDelay,
                MaxDelay = _options.MaxRetryDelay,
                ShouldHandle = new PredicateBuilder<PutRecordsResult>()
                    .HandleResult(result => result.FailedRecordCount > 0)
                    .Handle<KinesisException>(e => e.IsThrottling || e.IsServerError)
                    .Handle<HttpRequestException>(),
                OnRetry = args =>
                {
                    retries += args.Outcome.Result?.FailedRecordCount ?? pending.Count;
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

        try
        {
            var last = await pipeline.ExecuteAsync(async token =>
            {
                try
                {
                    var result = await _client.PutRecordsAsync(_streamName, pending, token).ConfigureAwait(false);
                    var failedEntries = pending.Where((_, i) => !result.Entries[i].Succeeded).ToList();
                    throttled = result.Entries.Any(e => e.ErrorCode == "ProvisionedThroughputExceededException");
                    pending = failedEntries;
                    return result;
                }
                catch (KinesisException e) when (e.IsThrottling)
                {
                    throttled = true;
                    throw;
                }
            }, CancellationToken.None).ConfigureAwait(false);
            return (batch.Count - pending.Count, retries, last.FailedRecordCount, throttled);
        }
        catch (KinesisException e) when (e.IsThrottling || e.IsServerError)
        {
            return (batch.Count - pending.Count, retries, pending.Count, throttled);
        }
        catch (HttpRequestException)
        {
            return (batch.Count - pending.Count, retries, pending.Count, false);
        }
    }
}
