using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using Amazon.S3;
using Pipeline.Schema;
using Pipeline.Producer.Kinesis;
using Pipeline.Producer.Records;
using Pipeline.Producer.Telemetry;
using Spectre.Console;

namespace Pipeline.Producer.Cli;

/// <summary>
/// The producer's command line: <c>produce</c> generates telemetry records to a file or a stream, <c>replay</c> puts a
/// day of the lake's raw backup back into the stream, <c>send</c> puts a file of records (such as the records a run did
/// not send) into the stream. A run that sends ends with its summary on standard output, whatever happened; every
/// problem is one line on standard error, and the exit code is one of <see cref="ExitCodes"/>.
/// </summary>
public static partial class ProducerCli
{
    private const double MinRate = 0.01;
    private const double MaxRate = 1_000_000;

    /// <summary>Runs the command line.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="aws">Region, credentials and clients (replaced in tests).</param>
    /// <param name="output">Where results go (standard output by default).</param>
    /// <param name="error">Where failures go (standard error by default).</param>
    /// <param name="time">The clock records sent to a stream are dated with (the system's by default).</param>
    /// <param name="retries">
    /// The pause before each retry (the sender's defaults unless given); the command line's --max-retries and
    /// --request-timeout apply either way.
    /// </param>
    /// <param name="progress">
    /// Where sending to a stream draws its progress: by default the terminal when <paramref name="output"/> is standard
    /// output and that is a terminal, else nowhere.
    /// </param>
    /// <param name="cancellationToken">Stops the run after the request in flight (the program cancels it on Ctrl-C).</param>
    /// <param name="abort">Gives the request in flight up at once (the program cancels it on a second Ctrl-C); the summary still follows.</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> RunAsync(
        string[] args, AwsEnvironment? aws = null, TextWriter? output = null, TextWriter? error = null, TimeProvider? time = null,
        KinesisSenderOptions? retries = null, IAnsiConsole? progress = null, CancellationToken cancellationToken = default, CancellationToken abort = default)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        progress ??= ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected ? AnsiConsole.Console : null;
        var root = Build(new Session(aws ?? new AwsEnvironment(), output, error, time ?? TimeProvider.System, retries, progress, abort));
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            await error.WriteLineAsync($"Invalid arguments: {string.Join(" ", parse.Errors.Select(e => Plain(e.Message)))} (see --help)").ConfigureAwait(false);
            return ExitCodes.InvalidArguments;
        }

        // Signals are the caller's to handle (ProcessTerminationTimeout null): System.CommandLine's own handler would end
        // the process two seconds after Ctrl-C, before the request in flight and the summary.
        return await parse.InvokeAsync(
            new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The problems of a command line, without running it (empty when it parses).</summary>
    internal static IReadOnlyList<string> Problems(string[] args) =>
        [.. Build(new Session(new AwsEnvironment(), TextWriter.Null, TextWriter.Null, TimeProvider.System, null, null, default)).Parse(args).Errors.Select(e => Plain(e.Message))];

    /// <summary>
    /// A parse error without .NET type names: System.CommandLine says "as expected type 'System.Nullable`1[System.Int32]'",
    /// which is replaced with what the option takes in words.
    /// </summary>
    internal static string Plain(string message) => ExpectedTypePattern().Replace(message, m => "as " + (m.Groups["type"].Value switch
    {
        var t when t.Contains("System.Int32", StringComparison.Ordinal) || t.Contains("System.Int64", StringComparison.Ordinal) => "a whole number",
        var t when t.Contains("System.Double", StringComparison.Ordinal) || t.Contains("System.Decimal", StringComparison.Ordinal) => "a number",
        var t when t.Contains("System.DateTimeOffset", StringComparison.Ordinal) || t.Contains("System.DateTime", StringComparison.Ordinal) => "a date and time such as 2026-01-31T12:00:00Z",
        var t when t.Contains("System.DateOnly", StringComparison.Ordinal) => "a date such as 2026-01-31",
        var t when t.Contains("System.TimeSpan", StringComparison.Ordinal) => "a duration such as 00:10:00",
        var t when t.Contains("System.Boolean", StringComparison.Ordinal) => "true or false",
        var t when t.Contains("System.Uri", StringComparison.Ordinal) => "a URL",
        var t when t.Contains("FileInfo", StringComparison.Ordinal) => "a file path",
        _ => "a value of the expected kind",
    }));

    /// <summary>"1 record", "2 records".</summary>
    internal static string Records(long count) => string.Create(CultureInfo.InvariantCulture, $"{count} {(count == 1 ? "record" : "records")}");

    /// <summary>"was" for one, "were" for any other count.</summary>
    private static string Were(long count) => count == 1 ? "was" : "were";

    /// <summary>Refuses a folder where a file path is wanted: "/tmp is a folder; --out takes a file path".</summary>
    internal static void RequireFilePath(FileInfo file, string option)
    {
        if (Directory.Exists(file.FullName))
        {
            throw new ProducerException($"{file.FullName} is a folder; {option} takes a file path.", ExitCodes.InvalidArguments);
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex("as expected type '(?<type>[^']*)'", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex ExpectedTypePattern();

    // What every command runs with: AWS, where output and failures go, the clock, retries, progress and the abort signal.
    private sealed record Session(
        AwsEnvironment Aws, TextWriter Output, TextWriter Error, TimeProvider Time, KinesisSenderOptions? Retries, IAnsiConsole? Progress, CancellationToken Abort);

    // The options of every command that sends to a stream.
    private sealed record StreamOptions(
        Option<string?> Stream, Option<double?> Rate, Option<string?> Region, Option<Uri?> Endpoint, Option<int> MaxRetries, Option<int> RequestTimeout,
        Option<FileInfo?> NotSent)
    {
        public StreamTarget Read(ParseResult parse, double? defaultRate) => new(
            parse.GetValue(Stream), parse.GetValue(Rate) ?? defaultRate, parse.GetValue(Region), parse.GetValue(Endpoint),
            parse.GetValue(MaxRetries), parse.GetValue(RequestTimeout), parse.GetValue(NotSent));
    }

    private sealed record StreamTarget(string? Stream, double? Rate, string? Region, Uri? Endpoint, int MaxRetries, int RequestTimeout, FileInfo? NotSent);

    private static RootCommand Build(Session session)
    {
        var options = new StreamOptions(
            new Option<string?>("--stream") { Description = "Kinesis stream to write to (the DataLake stack's output StreamName)." },
            new Option<double?>("--rate") { Description = "Records per second (produce: default 10; replay and send: default as fast as the stream takes them)." },
            new Option<string?>("--region") { Description = "AWS Region (default: AWS_REGION or the profile's)." },
            UriOption("--endpoint-url", "Kinesis endpoint (a VPC endpoint, or a local server); default: the Region's."),
            new Option<int>("--max-retries") { Description = "Retries of records and requests that failed before they count as not written (0 to 20).", DefaultValueFactory = _ => 8 },
            new Option<int>("--request-timeout") { Description = "Seconds a request may go unanswered before it is retried (1 to 600).", DefaultValueFactory = _ => 30 },
            new Option<FileInfo?>("--not-sent") { Description = "File to write every record that was not written to, byte for byte (send it later with `send --file`)." });

        var count = new Option<int?>("--count") { Description = "How many records to produce." };
        var duration = new Option<TimeSpan?>("--duration") { Description = "How long to produce, at --rate (e.g. 00:05:00)." };
        var seed = new Option<int>("--seed") { Description = "Seed: the same seed and options give the same records.", DefaultValueFactory = _ => 1 };
        var devices = new Option<int>("--devices") { Description = "Machines that report, in turn.", DefaultValueFactory = _ => 20 };
        var outFile = new Option<FileInfo?>("--out") { Description = "JSON Lines file to write instead of a stream." };
        var start = new Option<DateTimeOffset?>("--start") { Description = "With --out: the first record's event time (default now); records are 1/rate seconds apart." };
        var produce = new Command("produce", "Generate telemetry records with a learnable failure signal (the AI4I 2020 failure modes).")
        {
            count, duration, seed, devices, outFile, start, options.Stream, options.Rate, options.Region, options.Endpoint, options.MaxRetries,
            options.RequestTimeout, options.NotSent,
        };
        produce.SetAction((parse, token) => Guarded(session.Error, () => ProduceAsync(new ProduceRequest(
            parse.GetValue(count), parse.GetValue(duration), parse.GetValue(seed), parse.GetValue(devices), parse.GetValue(outFile),
            parse.GetValue(start), options.Read(parse, 10)), session, token)));

        var failFast = new Option<bool>("--fail-fast") { Description = "Stop at the first record that cannot be put (too large), instead of reporting it and going on." };
        var date = new Option<DateOnly>("--date") { Description = "The day of the raw backup to replay (yyyy-MM-dd, the ingest date).", Required = true };
        var bucket = new Option<string>("--bucket") { Description = "The lake bucket (the DataLake stack's output LakeBucketName).", Required = true };
        var table = new Option<string>("--table") { Description = "The table whose raw zone is replayed.", DefaultValueFactory = _ => TelemetrySchema.Name };
        var s3Endpoint = UriOption("--s3-endpoint-url", "S3 endpoint (a local server); default: the Region's.");
        var replay = new Command("replay", "Put one day of the lake's raw backup back into the stream, byte for byte.")
        {
            date, bucket, table, s3Endpoint, failFast, options.Stream, options.Rate, options.Region, options.Endpoint, options.MaxRetries,
            options.RequestTimeout, options.NotSent,
        };
        replay.SetAction((parse, token) => Guarded(session.Error, () => ReplayAsync(
            parse.GetValue(date), parse.GetValue(bucket)!, parse.GetValue(table)!, parse.GetValue(s3Endpoint), parse.GetValue(failFast),
            options.Read(parse, null), session, token)));

        var file = new Option<FileInfo>("--file") { Description = "The records to send, one per line (a --not-sent file, or produce --out).", Required = true };
        var send = new Command("send", "Put a file of records into the stream, byte for byte: the records another run did not send.")
        {
            file, failFast, options.Stream, options.Rate, options.Region, options.Endpoint, options.MaxRetries, options.RequestTimeout, options.NotSent,
        };
        send.SetAction((parse, token) => Guarded(session.Error, () => SendFileAsync(
            parse.GetValue(file)!, parse.GetValue(failFast), options.Read(parse, null), session, token)));

        return new RootCommand("Telemetry producer, replay and resend for the streaming ML pipeline.") { produce, replay, send };
    }

    // An absolute http(s) URL (System.CommandLine has no converter for Uri).
    private static Option<Uri?> UriOption(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            {
                return uri;
            }

            result.AddError($"{name} {text}: give an absolute http or https URL.");
            return null;
        },
    };

    private sealed record ProduceRequest(int? Count, TimeSpan? Duration, int Seed, int Devices, FileInfo? Out, DateTimeOffset? Start, StreamTarget Target);

    private static async Task<int> ProduceAsync(ProduceRequest request, Session session, CancellationToken token)
    {
        var rate = request.Target.Rate!.Value;
        if (request.Count is null == request.Duration is null)
        {
            throw new ProducerException("Give either --count or --duration.", ExitCodes.InvalidArguments);
        }

        if (request.Out is null == request.Target.Stream is null)
        {
            throw new ProducerException("Give either --out FILE or --stream NAME.", ExitCodes.InvalidArguments);
        }

        CheckRate(rate);
        if (request.Count is < 1 || request.Duration <= TimeSpan.Zero || request.Devices < 1)
        {
            throw new ProducerException("--count, --duration and --devices must be positive.", ExitCodes.InvalidArguments);
        }

        if (request.Start is not null && request.Out is null)
        {
            throw new ProducerException("--start applies to --out only: records sent to a stream carry the time they are sent.", ExitCodes.InvalidArguments);
        }

        var seconds = request.Duration?.TotalSeconds * rate;
        if (seconds > int.MaxValue)
        {
            throw new ProducerException($"--duration {request.Duration} at --rate {Number(rate)} is more than {int.MaxValue} records: shorten one.", ExitCodes.InvalidArguments);
        }

        var total = request.Count ?? (int)Math.Ceiling(seconds!.Value);
        var generator = new TelemetryGenerator(new TelemetryGeneratorOptions
        {
            Seed = request.Seed,
            Devices = request.Devices,
            Start = request.Start ?? session.Time.GetUtcNow(),
            Interval = TimeSpan.FromSeconds(1 / rate),
        });

        if (request.Out is { } file)
        {
            var failures = 0;
            RequireFilePath(file, "--out");
            try
            {
                await using var stream = new FileStream(file.FullName, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16, useAsync: true);
                for (var i = 0; i < total && !token.IsCancellationRequested; i++)
                {
                    var reading = generator.Next();
                    failures += reading.MachineFailure ? 1 : 0;
                    await stream.WriteAsync(reading.ToJsonLine(), CancellationToken.None).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ProducerException($"Cannot write {file.FullName}: {e.Message}", ExitCodes.FileError, e);
            }

            await session.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"wrote {Records(total)} ({failures} machine {(failures == 1 ? "failure" : "failures")}) to {file.FullName}")).ConfigureAwait(false);
            return token.IsCancellationRequested ? ExitCodes.Cancelled : ExitCodes.Success;
        }

        var records = Generate(generator, total).Select(r => new KinesisRecord(r.ToJsonLine(), r.DeviceId)).ToAsyncEnumerable();
        return await SendAsync(request.Target, records, total, failFast: false, session, (summary, error) =>
            summary.Offered < total
                ? error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{total - summary.Offered} of the {Records(total)} {Were(total - summary.Offered)} not generated: the run stopped first."))
                : Task.CompletedTask, null, token).ConfigureAwait(false);
    }

    private static IEnumerable<TelemetryReading> Generate(TelemetryGenerator generator, int total)
    {
        for (var i = 0; i < total; i++)
        {
            yield return generator.Next();
        }
    }

    private static async Task<int> ReplayAsync(
        DateOnly date, string bucket, string table, Uri? s3Endpoint, bool failFast, StreamTarget target, Session session, CancellationToken token)
    {
        CheckTarget(target);
        var region = session.Aws.Region(target.Region);
        using var s3 = session.Aws.S3(region, s3Endpoint);
        var backup = new RawBackup(s3, bucket, table);
        var prefix = backup.Url(RawBackup.Prefix(table, date));
        IReadOnlyList<string> keys;
        try
        {
            keys = await backup.ObjectsAsync(date, token).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new ProducerException($"Bucket {bucket} does not exist in {region}: check --bucket (the DataLake stack's output LakeBucketName) and --region.", ExitCodes.NotFound, e);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.Forbidden)
        {
            throw new ProducerException($"AWS refused to list {prefix}: {e.Message}", ExitCodes.Credentials, e);
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException or HttpRequestException)
        {
            throw new ProducerException($"Cannot list {prefix}: {e.Message}", ExitCodes.Unreachable, e);
        }

        if (keys.Count == 0)
        {
            throw new ProducerException(
                $"Nothing to replay: no objects under {prefix}. Check --date (the UTC day Firehose received the records) and --table.", ExitCodes.NotFound);
        }

        var report = new SourceReport();
        return await SendAsync(target, backup.RecordsAsync(keys, report, CancellationToken.None), null, failFast, session,
            (summary, error) => ReportSourceAsync(report, summary, $"{keys.Count} objects under {prefix}", error), report, token).ConfigureAwait(false);
    }

    private static async Task<int> SendFileAsync(FileInfo file, bool failFast, StreamTarget target, Session session, CancellationToken token)
    {
        CheckTarget(target);
        RequireFilePath(file, "--file");
        if (!file.Exists)
        {
            throw new ProducerException($"Cannot read {file.FullName}: there is no such file.", ExitCodes.FileError);
        }

        if (target.NotSent is { } notSent && string.Equals(Path.GetFullPath(notSent.FullName), file.FullName, StringComparison.Ordinal))
        {
            throw new ProducerException("--not-sent must name another file than --file: it is rewritten as the records go.", ExitCodes.InvalidArguments);
        }

        FileStream stream;
        try
        {
            stream = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ProducerException($"Cannot read {file.FullName}: {e.Message}", ExitCodes.FileError, e);
        }

        await using (stream.ConfigureAwait(false))
        {
            var report = new SourceReport();
            return await SendAsync(target, RecordFile.RecordsAsync(stream, file.FullName, report, CancellationToken.None), null, failFast, session,
                (summary, error) => ReportSourceAsync(report, summary, file.FullName, error), report, token).ConfigureAwait(false);
        }
    }

    private static async Task ReportSourceAsync(SourceReport report, SendSummary summary, string source, TextWriter error)
    {
        foreach (var problem in report.Problems)
        {
            await error.WriteLineAsync($"unreadable: {problem}").ConfigureAwait(false);
        }

        if (summary.Stop is not SendStop.None and not SendStop.RecordRejected)
        {
            await error.WriteLineAsync(report.LastRead is { } last
                ? $"The rest of {source} after {last} was not read: the run stopped first."
                : $"Nothing of {source} was read: the run stopped first.").ConfigureAwait(false);
        }
    }

    private static void CheckTarget(StreamTarget target)
    {
        if (target.Stream is null)
        {
            throw new ProducerException("Give --stream NAME (the DataLake stack's output StreamName).", ExitCodes.InvalidArguments);
        }

        if (target.Rate is { } rate)
        {
            CheckRate(rate);
        }
    }

    private static void CheckRate(double rate)
    {
        if (!(rate is >= MinRate and <= MaxRate))
        {
            throw new ProducerException(
                $"--rate {Number(rate)}: give records per second from {Number(MinRate)} to {Number(MaxRate)}.", ExitCodes.InvalidArguments);
        }
    }

    // Kinesis's StreamName: 1 to 128 of letters, digits, underscore, hyphen and period (API reference).
    [GeneratedRegex("^[a-zA-Z0-9_.-]{1,128}$")]
    private static partial Regex StreamName();

    private static async Task<int> SendAsync(
        StreamTarget target, IAsyncEnumerable<KinesisRecord> records, int? total, bool failFast, Session session,
        Func<SendSummary, TextWriter, Task> reportSource, SourceReport? source, CancellationToken token)
    {
        var (output, error) = (session.Output, session.Error);
        var streamName = target.Stream!;
        if (!StreamName().IsMatch(streamName))
        {
            throw new ProducerException(
                $"--stream {streamName}: a stream name is 1 to 128 letters, digits, underscores, hyphens and periods (the DataLake stack's output StreamName).", ExitCodes.InvalidArguments);
        }

        if (target.MaxRetries is < 0 or > 20 || target.RequestTimeout is < 1 or > 600)
        {
            throw new ProducerException("--max-retries takes 0 to 20, --request-timeout 1 to 600 (seconds).", ExitCodes.InvalidArguments);
        }

        var options = (session.Retries ?? new KinesisSenderOptions()) with
        {
            MaxRetries = target.MaxRetries, RequestTimeout = TimeSpan.FromSeconds(target.RequestTimeout), RecordsPerSecond = target.Rate, StopAtFirstRejected = failFast,
        };
        var region = session.Aws.Region(target.Region);
        var endpoint = target.Endpoint ?? SigV4KinesisClient.EndpointFor(region);
        using var notSent = target.NotSent is { } file ? NotSentFile.Create(file) : null;
        // Each request has its own deadline (the sender's RequestTimeout), so the client itself never gives up.
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var client = session.Aws.Kinesis(http, region, target.Endpoint);
        await CheckStreamAsync(client, streamName, region, endpoint, options, token).ConfigureAwait(false);

        // The sender paces and retries on the system clock; session.Time only dates generated records.
        var sender = new KinesisSender(client, streamName, options, notSent: notSent);
        SendSummary summary;
        if (session.Progress is { } progress)
        {
            summary = await progress.Progress().StartAsync(async context =>
            {
                var task = context.AddTask(Described(streamName, SendSummary.Empty), maxValue: total ?? 1);
                task.IsIndeterminate = total is null;
                return await sender.SendAsync(records, new Reported(s =>
                {
                    task.Description = Described(streamName, s);
                    task.Value = total is null ? 0 : s.Offered;
                }), token, session.Abort).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }
        else
        {
            summary = await sender.SendAsync(records, null, token, session.Abort).ConfigureAwait(false);
        }

        notSent?.Flush();
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"sent {summary.Sent}, retried {summary.Retried}, failed {summary.Failed}, not sent {summary.NotSent}, possible duplicates {summary.PossibleDuplicates}, {summary.RecordsPerSecond:F1} records/s in {summary.Elapsed.TotalSeconds:F1} s")).ConfigureAwait(false);
        await ReportAsync(summary, streamName, endpoint, notSent, target.NotSent, error).ConfigureAwait(false);
        await reportSource(summary, error).ConfigureAwait(false);
        return ExitCode(summary, source);
    }

    // The stream must exist and answer before anything is read or sent: one clear line for each way it can fail.
    private static async Task CheckStreamAsync(IKinesisClient client, string streamName, string region, Uri endpoint, KinesisSenderOptions options, CancellationToken token)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var timeout = new CancellationTokenSource(options.RequestTimeout);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, token);
            try
            {
                await client.DescribeStreamSummaryAsync(streamName, linked.Token).ConfigureAwait(false);
                return;
            }
            catch (KinesisException e) when (e.IsNotFound)
            {
                throw new ProducerException($"Stream {streamName} does not exist in {region}: check --stream (the DataLake stack's output StreamName) and --region.", ExitCodes.NotFound, e);
            }
            catch (KinesisException e) when (e.IsAccessDenied)
            {
                throw new ProducerException($"AWS refused the credentials for stream {streamName}: {e.ErrorCode}: {e.Message}", ExitCodes.Credentials, e);
            }
            catch (KinesisException e) when (e.IsUnexpectedResponse)
            {
                throw new ProducerException($"{endpoint} does not answer as Kinesis: {e.Message}. Check --endpoint-url.", ExitCodes.Unreachable, e);
            }
            catch (Exception e) when (attempt < 2 && !token.IsCancellationRequested
                && (e is HttpRequestException || (e is KinesisException k && (k.IsThrottling || k.IsTransient)) || (e is OperationCanceledException && timeout.IsCancellationRequested)))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 * (attempt + 1)), token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && timeout.IsCancellationRequested))
            {
                var why = e is HttpRequestException ? e.Message : $"no answer within {options.RequestTimeout.TotalSeconds:0.###} s";
                throw new ProducerException($"Cannot reach Kinesis at {endpoint}: {why}. Check --endpoint-url, --region and the network.", ExitCodes.Unreachable, e);
            }
            catch (KinesisException e)
            {
                throw new ProducerException($"Kinesis refused to describe stream {streamName}, nothing was sent: {e.ErrorCode}: {e.Message}", ExitCodes.NotAllSent, e);
            }
        }
    }

    private static async Task ReportAsync(SendSummary summary, string streamName, Uri endpoint, NotSentFile? notSent, FileInfo? notSentFile, TextWriter error)
    {
        if (summary.Failed > 0)
        {
            var codes = string.Join(", ", summary.FailedBy.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Value} {c.Key}"));
            await error.WriteLineAsync(summary.Throttled
                ? $"{Records(summary.Failed)} {Were(summary.Failed)} not written: stream {streamName} kept refusing throughput ({codes}); lower --rate or add shards."
                : $"{Records(summary.Failed)} {Were(summary.Failed)} not written after every retry ({codes}).").ConfigureAwait(false);
        }

        foreach (var rejection in summary.Rejections)
        {
            await error.WriteLineAsync($"not sent: {rejection}").ConfigureAwait(false);
        }

        var stopped = summary.Stop switch
        {
            SendStop.Unreachable => $"Stopped: Kinesis at {endpoint} stopped answering ({summary.StopReason}).",
            SendStop.Refused => $"Stopped: AWS refused the credentials ({summary.StopReason}).",
            SendStop.NotFound => $"Stopped: stream {streamName} no longer exists ({summary.StopReason}).",
            SendStop.Rejected => $"Stopped: Kinesis rejected a request ({summary.StopReason}).",
            SendStop.RecordRejected => $"Stopped at the first record that cannot be put: {summary.StopReason}.",
            SendStop.Cancelled => summary.NotSent > 0 ? $"Stopped on request: {Records(summary.NotSent)} read {Were(summary.NotSent)} not sent." : null,
            _ => null,
        };
        if (stopped is not null)
        {
            await error.WriteLineAsync(stopped).ConfigureAwait(false);
        }

        if (summary.InDoubt > 0)
        {
            await error.WriteLineAsync($"{summary.InDoubt} of the records not written may have been written after all: {(summary.InDoubt == 1 ? "its" : "their")} last request got no usable answer.").ConfigureAwait(false);
        }

        if (summary.PossibleDuplicates > 0)
        {
            await error.WriteLineAsync($"{Records(summary.PossibleDuplicates)} {Were(summary.PossibleDuplicates)} sent again after a request that got no usable answer: the stream may hold {(summary.PossibleDuplicates == 1 ? "it" : "them")} twice.").ConfigureAwait(false);
        }

        var unaccepted = summary.Failed + summary.NotSent;
        if (notSent is not null && notSentFile is not null && unaccepted > 0)
        {
            await error.WriteLineAsync(
                $"The {Records(notSent.Count)} not written {(notSent.Count == 1 ? "is" : "are")} in {notSentFile.FullName}: send them with `send --file {notSentFile.FullName} --stream {streamName}`.").ConfigureAwait(false);
        }
        else if (unaccepted > 0)
        {
            await error.WriteLineAsync("Pass --not-sent FILE to keep the records that were not written.").ConfigureAwait(false);
        }
    }

    private static int ExitCode(SendSummary summary, SourceReport? source) => summary switch
    {
        { Stop: SendStop.Refused } => ExitCodes.Credentials,
        { Stop: SendStop.NotFound } => ExitCodes.NotFound,
        { Stop: SendStop.Unreachable } => ExitCodes.Unreachable,
        _ when source?.Problems.Count > 0 => ExitCodes.SourceUnreadable,
        { Failed: > 0, Throttled: true } => ExitCodes.Throttled,
        { Failed: > 0 } or { Rejections.Count: > 0 } or { Stop: SendStop.Rejected or SendStop.RecordRejected } => ExitCodes.NotAllSent,
        { Stop: SendStop.Cancelled } => ExitCodes.Cancelled,
        { NotSent: > 0 } => ExitCodes.NotAllSent,
        _ => ExitCodes.Success,
    };

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Described(string streamName, SendSummary summary) => string.Create(
        CultureInfo.InvariantCulture, $"{Markup.Escape(streamName)}: sent {summary.Sent}, retried {summary.Retried}, failed {summary.Failed}");

    // Reports on the sender's own thread, in order (Progress<T> would post each report to the thread pool).
    private sealed class Reported(Action<SendSummary> report) : IProgress<SendSummary>
    {
        public void Report(SendSummary value) => report(value);
    }

    private static async Task<int> Guarded(TextWriter error, Func<Task<int>> run)
    {
        try
        {
            return await run().ConfigureAwait(false);
        }
        catch (ProducerException e)
        {
            await error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return e.ExitCode;
        }
        catch (ArgumentException e)
        {
            await error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return ExitCodes.InvalidArguments;
        }
    }
}
