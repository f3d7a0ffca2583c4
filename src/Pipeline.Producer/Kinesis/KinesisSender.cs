namespace Pipeline.Producer.Kinesis;

/// <summary>Options of <see cref="KinesisSender"/>.</summary>
public sealed record KinesisSenderOptions
{
    /// <summary>Records per second to send at most; null for as fast as the stream takes them.</summary>
    /// <value>Default: no limit.</value>
    public double? RecordsPerSecond { get; init; }

    /// <summary>Retries of a batch's failed records (and of a failed or unanswered request) before they count as failed.</summary>
    /// <value>Default: 8.</value>
    public int MaxRetries { get; init; } = 8;

    /// <summary>The first retry's delay; each later one doubles, with full jitter.</summary>
    /// <value>Default: 100 ms.</value>
    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest delay between two retries.</summary>
    /// <value>Default: 5 s.</value>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one request may go unanswered before it is given up (and retried: it may have been written).</summary>
    /// <value>Default: 30 s.</value>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether a record that cannot be put (too large, or a bad partition key) stops the send.</summary>
    /// <value>Default: false, the record is reported and set aside and the others go on.</value>
    public bool StopAtFirstRejected { get; init; }
}

/// <summary>Why a send ended before its source did.</summary>
public enum SendStop
{
    /// <summary>Every record was offered.</summary>
    None,

    /// <summary>Stopped on request (Ctrl-C or SIGTERM).</summary>
    Cancelled,

    /// <summary>The endpoint stopped answering, or did not answer as Kinesis, on every attempt.</summary>
    Unreachable,

    /// <summary>AWS refused the credentials, or the permissions on the stream or its KMS key.</summary>
    Refused,

    /// <summary>The stream does not exist (any more).</summary>
    NotFound,

    /// <summary>Kinesis rejected a request for a reason no retry changes (e.g. InvalidArgumentException).</summary>
    Rejected,

    /// <summary>A record could not be put and <see cref="KinesisSenderOptions.StopAtFirstRejected"/> is set.</summary>
    RecordRejected,
}

/// <summary>What a send did so far. Every record offered is counted once: sent, failed or not sent.</summary>
/// <param name="Sent">Records the stream acknowledged.</param>
/// <param name="Retried">Record sends that were retried (one record retried twice counts twice).</param>
/// <param name="Failed">Records the stream still refused after every retry, by their last error code in <paramref name="FailedBy"/>.</param>
/// <param name="NotSent">Records that got no verdict: rejected before sending (<paramref name="Rejections"/>), or pending when the send stopped.</param>
/// <param name="PossibleDuplicates">Records sent again after a request that may have been written (no answer, or an unreadable one).</param>
/// <param name="InDoubt">Records counted failed or not sent whose last request may nevertheless have been written.</param>
/// <param name="FailedBy">Failed records by error code.</param>
/// <param name="Rejections">Why records were not offered, each with where it was read (at most <see cref="KinesisSender.MaxRejectionsListed"/>).</param>
/// <param name="Stop">Why the send stopped early, if it did.</param>
/// <param name="StopReason">What stopped it, for people.</param>
/// <param name="Elapsed">Time since the send started.</param>
public sealed record SendSummary(
    long Sent, long Retried, long Failed, long NotSent, long PossibleDuplicates, long InDoubt,
    IReadOnlyDictionary<string, long> FailedBy, IReadOnlyList<string> Rejections, SendStop Stop, string? StopReason, TimeSpan Elapsed)
{
    /// <summary>An empty summary.</summary>
    public static SendSummary Empty { get; } = new(0, 0, 0, 0, 0, 0, new Dictionary<string, long>(), [], SendStop.None, null, TimeSpan.Zero);

    /// <summary>Records offered: sent, failed or not sent.</summary>
    public long Offered => Sent + Failed + NotSent;

    /// <summary>Whether every failed record was refused for throughput (the stream's or its KMS key's).</summary>
    public bool Throttled => Failed > 0 && FailedBy.Keys.All(KinesisSender.IsThrottlingCode);

    /// <summary>Acknowledged records per second.</summary>
    public double RecordsPerSecond => Elapsed > TimeSpan.Zero ? Sent / Elapsed.TotalSeconds : 0;
}

/// <summary>Where records that were not accepted go, byte for byte, so that a later run can send exactly those.</summary>
public interface INotSentRecords
{
    /// <summary>Keeps a record that was not accepted.</summary>
    void Add(KinesisRecord record);
}

/// <summary>
/// Sends records to a stream in PutRecords batches within the service's limits (<see cref="PutRecordsBatches"/>), at a
/// target rate. Entries that failed, throttled or failed requests and requests left unanswered (<see
/// cref="KinesisSenderOptions.RequestTimeout"/>) are retried with exponential backoff and full jitter; a request that may
/// have been written before it failed makes its records possible duplicates (at-least-once), and they are counted.
/// Every record offered ends sent, failed or not sent, and every one not accepted goes to <see cref="INotSentRecords"/>.
/// The send stops early, with its summary, when the stream does not exist, AWS refuses the credentials, the endpoint
/// stops answering, or on request.
/// </summary>
public sealed class KinesisSender
{
    /// <summary>How many rejected records the summary lists by name (the rest are counted).</summary>
    public const int MaxRejectionsListed = 20;

    private readonly IKinesisClient _client;
    private readonly string _streamName;
    private readonly KinesisSenderOptions _options;
    private readonly TimeProvider _time;
    private readonly INotSentRecords? _notSent;

    /// <summary>Creates the sender.</summary>
    public KinesisSender(IKinesisClient client, string streamName, KinesisSenderOptions? options = null, TimeProvider? time = null, INotSentRecords? notSent = null)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _streamName = streamName ?? throw new ArgumentNullException(nameof(streamName));
        _options = options ?? new KinesisSenderOptions();
        _time = time ?? TimeProvider.System;
        _notSent = notSent;
    }

    /// <summary>Whether an error code is a refusal for throughput.</summary>
    public static bool IsThrottlingCode(string code) =>
        code is "ProvisionedThroughputExceededException" or "KMSThrottlingException" or "LimitExceededException" or "ThrottlingException";

    /// <summary>
    /// Sends every record. <paramref name="stop"/> ends the send after the request in flight (no more retries);
    /// <paramref name="abort"/> gives the request in flight up at once. Either way the summary accounts for every record read.
    /// </summary>
    public async Task<SendSummary> SendAsync(
        IAsyncEnumerable<KinesisRecord> records, IProgress<SendSummary>? progress, CancellationToken stop, CancellationToken abort = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var tally = new Tally(_time);

        // About one request per second when a rate is set, so the pace stays even.
        var batchSize = _options.RecordsPerSecond is { } rate ? (int)Math.Clamp(Math.Ceiling(rate), 1, PutRecordsBatches.MaxRecords) : PutRecordsBatches.MaxRecords;
        var batch = new List<KinesisRecord>();
        var batchBytes = 0;
        // The source is read without the tokens: a cancelled read would leave a record neither sent nor counted.
        await foreach (var record in records.ConfigureAwait(false))
        {
            if (PutRecordsBatches.Problem(record) is { } problem)
            {
                tally.Reject(record, problem);
                _notSent?.Add(record);
                if (_options.StopAtFirstRejected)
                {
                    tally.StopWith(SendStop.RecordRejected, record.Origin is { } origin ? $"{origin}: {problem}" : problem);
                    break;
                }

                continue;
            }

            var size = PutRecordsBatches.SizeOf(record);
            if (batchBytes + size > PutRecordsBatches.MaxRequestBytes)
            {
                batchBytes = 0;
                if (!await FlushAsync(batch, tally, progress, stop, abort).ConfigureAwait(false))
                {
                    // Read, never offered: the send stopped first.
                    tally.NotSent(1, inDoubt: false);
                    SetAside([record]);
                    break;
                }
            }

            batch.Add(record);
            batchBytes += size;
            if (batch.Count == batchSize)
            {
                batchBytes = 0;
                if (!await FlushAsync(batch, tally, progress, stop, abort).ConfigureAwait(false) || stop.IsCancellationRequested || abort.IsCancellationRequested)
                {
                    // Nothing more is read once a stop is asked for.
                    tally.StopWith(SendStop.Cancelled, "stopped on request");
                    break;
                }
            }
        }

        // What was read before the end (or before a rejected record stopped the send) is still sent.
        if (batch.Count > 0 && tally.Stop is SendStop.None or SendStop.RecordRejected)
        {
            _ = await FlushAsync(batch, tally, progress, stop, abort).ConfigureAwait(false);
        }
        else if (batch.Count > 0)
        {
            tally.NotSent(batch.Count, inDoubt: false);
            SetAside(batch);
        }

        return tally.Summary();
    }

    // Sends the batch, reports the progress and empties the batch; false when the send must stop.
    private async Task<bool> FlushAsync(List<KinesisRecord> batch, Tally tally, IProgress<SendSummary>? progress, CancellationToken stop, CancellationToken abort)
    {
        var going = await SendBatchAsync(batch, tally, stop, abort).ConfigureAwait(false);
        progress?.Report(tally.Summary());
        batch.Clear();
        return going;
    }

    // Sends one batch until every record has a verdict; false when the send must stop (the tally says why).
    private async Task<bool> SendBatchAsync(List<KinesisRecord> batch, Tally tally, CancellationToken stop, CancellationToken abort)
    {
        if (stop.IsCancellationRequested || abort.IsCancellationRequested)
        {
            tally.NotSent(batch.Count, inDoubt: false);
            SetAside(batch);
            tally.StopWith(SendStop.Cancelled, "stopped on request");
            return false;
        }

        if (_options.RecordsPerSecond is { } perSecond)
        {
            var due = TimeSpan.FromSeconds(tally.Offered / perSecond) - tally.Elapsed;
            if (due > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(due, _time, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    tally.NotSent(batch.Count, inDoubt: false);
                    SetAside(batch);
                    tally.StopWith(SendStop.Cancelled, "stopped on request");
                    return false;
                }
            }
        }

        tally.Offer(batch.Count);
        var pending = batch;
        var last = new Attempt();
        for (var attempt = 0; ; attempt++)
        {
            if (attempt > 0)
            {
                try
                {
                    await Task.Delay(Backoff(attempt), _time, abort).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return Abandon(pending, tally, last, SendStop.Cancelled, "stopped on request");
                }

                tally.Retried += pending.Count;
                tally.PossibleDuplicates += last.Uncertain ? pending.Count : 0;
            }

            last = await AttemptAsync(pending, abort).ConfigureAwait(false);
            if (last.Written is not null)
            {
                tally.Sent += pending.Count - last.Failed.Count;
                if (last.Failed.Count == 0)
                {
                    return true;
                }

                pending = last.Failed;
            }

            if (last.Stop is { } fatal)
            {
                return Abandon(pending, tally, last, fatal, last.Reason);
            }

            if (abort.IsCancellationRequested || stop.IsCancellationRequested)
            {
                return Abandon(pending, tally, last, SendStop.Cancelled, "stopped on request");
            }

            if (attempt == _options.MaxRetries)
            {
                // Refusals (entries, throttling, service errors) fail these records and the send goes on; an endpoint that
                // stops answering, or credentials that stay expired, stop it.
                if (last.Uncertain)
                {
                    return Abandon(pending, tally, last, SendStop.Unreachable, $"Kinesis did not answer usably {_options.MaxRetries + 1} times in a row: {last.Reason}");
                }

                if (last.ExpiredCredentials)
                {
                    return Abandon(pending, tally, last, SendStop.Refused, $"the credentials expired and the credential chain gave no fresh ones: {last.Reason}");
                }

                for (var i = 0; i < pending.Count; i++)
                {
                    tally.Fail(last.CodeOf(i));
                }

                SetAside(pending);
                return true;
            }
        }
    }

    private async Task<Attempt> AttemptAsync(List<KinesisRecord> pending, CancellationToken abort)
    {
        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, abort);
        try
        {
            var result = await _client.PutRecordsAsync(_streamName, pending, linked.Token).ConfigureAwait(false);
            var failed = new List<KinesisRecord>();
            var codes = new List<string>();
            for (var i = 0; i < pending.Count; i++)
            {
                if (!result.Entries[i].Succeeded)
                {
                    failed.Add(pending[i]);
                    codes.Add(result.Entries[i].ErrorCode!);
                }
            }

            return new Attempt { Written = pending.Count - failed.Count, Failed = failed, Codes = codes, Reason = codes.Count > 0 ? codes[0] : string.Empty };
        }
        catch (KinesisException e) when (e.IsNotFound)
        {
            return Attempt.Stopping(SendStop.NotFound, e.Message, e.ErrorCode);
        }
        catch (KinesisException e) when (e.IsExpiredCredentials)
        {
            return new Attempt { ExpiredCredentials = true, Reason = e.Message, Code = e.ErrorCode };
        }
        catch (KinesisException e) when (e.IsAccessDenied)
        {
            return Attempt.Stopping(SendStop.Refused, e.Message, e.ErrorCode);
        }
        catch (KinesisException e) when (e.IsThrottling || e.IsTransient)
        {
            // A server error (5xx) may come after the records were written; a refusal (4xx) wrote nothing.
            return new Attempt { Uncertain = (int)e.StatusCode >= 500, Reason = e.Message, Code = e.ErrorCode };
        }
        catch (KinesisException e) when (e.IsUnexpectedResponse)
        {
            return new Attempt { Uncertain = true, Reason = e.Message, Code = e.ErrorCode };
        }
        catch (KinesisException e)
        {
            return Attempt.Stopping(SendStop.Rejected, e.Message, e.ErrorCode);
        }
        catch (HttpRequestException e)
        {
            // Only a connection that was never made is sure to have written nothing.
            var unsent = e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError;
            return new Attempt { Uncertain = !unsent, Reason = $"{e.HttpRequestError}: {e.Message}", Code = "NoAnswer" };
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !abort.IsCancellationRequested)
        {
            return new Attempt { Uncertain = true, Reason = $"no answer within {_options.RequestTimeout.TotalSeconds:0.###} s", Code = "NoAnswer" };
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            return Attempt.Stopping(SendStop.Cancelled, "stopped at once on request", "Cancelled", uncertain: true);
        }
    }

    private bool Abandon(List<KinesisRecord> pending, Tally tally, Attempt last, SendStop stop, string reason)
    {
        tally.NotSent(pending.Count, last.Uncertain);
        SetAside(pending);
        tally.StopWith(stop, reason);
        return false;
    }

    private void SetAside(IEnumerable<KinesisRecord> records)
    {
        if (_notSent is { } notSent)
        {
            foreach (var record in records)
            {
                notSent.Add(record);
            }
        }
    }

    // Exponential backoff with full jitter ("Exponential Backoff And Jitter", AWS Architecture Blog).
    private TimeSpan Backoff(int attempt)
    {
        var ceiling = Math.Min(_options.MaxRetryDelay.TotalMilliseconds, _options.FirstRetryDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
    }

    // One request's outcome: how many were written and which failed (an answer), or why there was no usable answer.
    private sealed record Attempt
    {
        public int? Written { get; init; }

        public List<KinesisRecord> Failed { get; init; } = [];

        public List<string> Codes { get; init; } = [];

        public string Code { get; init; } = string.Empty;

        public string Reason { get; init; } = string.Empty;

        public bool Uncertain { get; init; }

        public bool ExpiredCredentials { get; init; }

        public SendStop? Stop { get; init; }

        public string CodeOf(int index) => Codes.Count > 0 ? Codes[index] : Code;

        public static Attempt Stopping(SendStop stop, string reason, string code, bool uncertain = false) =>
            new() { Stop = stop, Reason = reason, Code = code, Uncertain = uncertain };
    }

    private sealed class Tally(TimeProvider time)
    {
        private readonly long _started = time.GetTimestamp();
        private readonly Dictionary<string, long> _failedBy = new(StringComparer.Ordinal);
        private readonly List<string> _rejections = [];
        private long _failed;
        private long _notSent;
        private long _inDoubt;
        private long _rejected;
        private string? _stopReason;

        public long Sent { get; set; }

        public long Retried { get; set; }

        public long PossibleDuplicates { get; set; }

        public long Offered { get; private set; }

        public SendStop Stop { get; private set; }

        public TimeSpan Elapsed => time.GetElapsedTime(_started);

        public void Offer(int count) => Offered += count;

        public void Fail(string code)
        {
            _failed++;
            _failedBy[code] = _failedBy.GetValueOrDefault(code) + 1;
        }

        public void NotSent(int count, bool inDoubt)
        {
            _notSent += count;
            _inDoubt += inDoubt ? count : 0;
        }

        public void Reject(KinesisRecord record, string problem)
        {
            _notSent++;
            if (++_rejected <= MaxRejectionsListed)
            {
                _rejections.Add(record.Origin is { } origin ? $"{origin}: {problem}" : problem);
            }
        }

        public void StopWith(SendStop stop, string reason)
        {
            if (Stop == SendStop.None)
            {
                (Stop, _stopReason) = (stop, reason);
            }
        }

        public SendSummary Summary() => new(
            Sent, Retried, _failed, _notSent, PossibleDuplicates, _inDoubt, new Dictionary<string, long>(_failedBy, StringComparer.Ordinal),
            _rejected > MaxRejectionsListed ? [.. _rejections, $"… and {_rejected - MaxRejectionsListed} more"] : [.. _rejections],
            Stop, _stopReason, Elapsed);
    }
}
