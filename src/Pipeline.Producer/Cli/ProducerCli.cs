using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Amazon.S3;
using Pipeline.Core.Schema;
using Pipeline.Producer.Kinesis;
using Pipeline.Producer.Replay;
using Pipeline.Producer.Telemetry;
using Spectre.Console;

namespace Pipeline.Producer.Cli;

/// <summary>
/// The producer's command line: <c>produce</c> generates telemetry records to a file or a stream, <c>replay</c> puts a
/// day of the lake's raw backup back into the stream. Every failure ends with one line on standard error and an exit
/// code of <see cref="ExitCodes"/>.
/// </summary>
public static class ProducerCli
{
    /// <summary>Runs the command line.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="aws">Region, credentials and clients (replaced in tests).</param>
    /// <param name="output">Where results go (standard output by default).</param>
    /// <param name="error">Where failures go (standard error by default).</param>
    /// <param name="time">The clock records sent to a stream are dated with (the system's by default).</param>
    /// <param name="retries">How failed records are retried (the sender's defaults unless given).</param>
    /// <param name="progress">
    /// Where sending to a stream draws its progress: by default the terminal when <paramref name="output"/> is standard
    /// output and that is a terminal, else nowhere.
    /// </param>
    /// <param name="cancellationToken">Stops the run after the batch in flight (the program cancels it on Ctrl-C).</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> RunAsync(
        string[] args, AwsEnvironment? aws = null, TextWriter? output = null, TextWriter? error = null, TimeProvider? time = null,
        KinesisSenderOptions? retries = null, IAnsiConsole? progress = null, CancellationToken cancellationToken = default)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        progress ??= ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected ? AnsiConsole.Console : null;
        var root = Build(new Session(aws ?? new AwsEnvironment(), output, error, time ?? TimeProvider.System, retries ?? new KinesisSenderOptions(), progress));
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            await error.WriteLineAsync($"Invalid arguments: {string.Join(" ", parse.Errors.Select(e => e.Message))} (see --help)").ConfigureAwait(false);
            return ExitCodes.InvalidArguments;
        }

        // Signals are the caller's to handle (ProcessTerminationTimeout null): System.CommandLine's own handler would end
        // the process two seconds after Ctrl-C, before a batch's retries and the summary.
        return await parse.InvokeAsync(
            new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The problems of a command line, without running it (empty when it parses).</summary>
    internal static IReadOnlyList<string> Problems(string[] args) =>
        [.. Build(new Session(new AwsEnvironment(), TextWriter.Null, TextWriter.Null, TimeProvider.System, new KinesisSenderOptions(), null)).Parse(args).Errors.Select(e => e.Message)];

    // What every command runs with: AWS, where output and failures go, the clock, retries and progress.
    private sealed record Session(
        AwsEnvironment Aws, TextWriter Output, TextWriter Error, TimeProvider Time, KinesisSenderOptions Retries, IAnsiConsole? Progress);

    private static RootCommand Build(Session session)
    {
        var region = new Option<string?>("--region") { Description = "AWS Region (default: AWS_REGION or the profile's)." };
        var endpoint = UriOption("--endpoint-url", "Kinesis endpoint (a VPC endpoint, or a local server); default: the Region's.");
        var stream = new Option<string?>("--stream") { Description = "Kinesis stream to write to (the DataLake stack's output StreamName)." };
        var rate = new Option<double?>("--rate") { Description = "Records per second (produce: default 10; replay: default as fast as the stream takes them)." };

        var count = new Option<int?>("--count") { Description = "How many records to produce." };
        var duration = new Option<TimeSpan?>("--duration") { Description = "How long to produce, at --rate (e.g. 00:05:00)." };
        var seed = new Option<int>("--seed") { Description = "Seed: the same seed and options give the same records.", DefaultValueFactory = _ => 1 };
        var devices = new Option<int>("--devices") { Description = "Machines that report, in turn.", DefaultValueFactory = _ => 20 };
        var outFile = new Option<FileInfo?>("--out") { Description = "JSON Lines file to write instead of a stream." };
        var start = new Option<DateTimeOffset?>("--start") { Description = "With --out: the first record's event time (default now); records are 1/rate seconds apart." };
        var produce = new Command("produce", "Generate telemetry records with a learnable failure signal (the AI4I 2020 failure modes).")
        {
            count, duration, rate, seed, devices, outFile, stream, start, region, endpoint,
        };
        produce.SetAction((parse, token) => Guarded(session.Error, () => ProduceAsync(new ProduceRequest(
            parse.GetValue(count), parse.GetValue(duration), parse.GetValue(rate) ?? 10, parse.GetValue(seed), parse.GetValue(devices),
            parse.GetValue(outFile), parse.GetValue(stream), parse.GetValue(start), parse.GetValue(region), parse.GetValue(endpoint)), session, token)));

        var date = new Option<DateOnly>("--date") { Description = "The day of the raw backup to replay (yyyy-MM-dd, the ingest date).", Required = true };
        var bucket = new Option<string>("--bucket") { Description = "The lake bucket (the DataLake stack's output LakeBucketName).", Required = true };
        var table = new Option<string>("--table") { Description = "The table whose raw zone is replayed.", DefaultValueFactory = _ => TelemetrySchema.Name };
        var s3Endpoint = UriOption("--s3-endpoint-url", "S3 endpoint (a local server); default: the Region's.");
        var replay = new Command("replay", "Put one day of the lake's raw backup back into the stream.")
        {
            date, bucket, table, stream, rate, region, endpoint, s3Endpoint,
        };
        replay.SetAction((parse, token) => Guarded(session.Error, () => ReplayAsync(
            parse.GetValue(date), parse.GetValue(bucket)!, parse.GetValue(table)!, parse.GetValue(stream), parse.GetValue(rate),
            parse.GetValue(region), parse.GetValue(endpoint), parse.GetValue(s3Endpoint), session, token)));

        return new RootCommand("Telemetry producer and replay for the streaming ML pipeline.") { produce, replay };
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

    private sealed record ProduceRequest(
        int? Count, TimeSpan? Duration, double Rate, int Seed, int Devices, FileInfo? Out, string? Stream, DateTimeOffset? Start, string? Region, Uri? Endpoint);

    private static async Task<int> ProduceAsync(
        ProduceRequest request, Session session, CancellationToken token)
    {
        if (request.Count is null == request.Duration is null)
        {
            throw new ProducerException("Give either --count or --duration.", ExitCodes.InvalidArguments);
        }

        if (request.Out is null == request.Stream is null)
        {
            throw new ProducerException("Give either --out FILE or --stream NAME.", ExitCodes.InvalidArguments);
        }

        if (request.Rate is <= 0 or double.NaN or > 1_000_000)
        {
            throw new ProducerException($"--rate {request.Rate.ToString(CultureInfo.InvariantCulture)}: give records per second above 0 (at most 1,000,000).", ExitCodes.InvalidArguments);
        }

        if (request.Count is < 1 || request.Duration <= TimeSpan.Zero || request.Devices < 1)
        {
            throw new ProducerException("--count, --duration and --devices must be positive.", ExitCodes.InvalidArguments);
        }

        if (request.Start is not null && request.Out is null)
        {
            throw new ProducerException("--start applies to --out only: records sent to a stream carry the time they are sent.", ExitCodes.InvalidArguments);
        }

        var total = request.Count ?? (int)Math.Ceiling(request.Duration!.Value.TotalSeconds * request.Rate);
        var generator = new TelemetryGenerator(new TelemetryGeneratorOptions
        {
            Seed = request.Seed,
            Devices = request.Devices,
            Start = request.Start ?? session.Time.GetUtcNow(),
            Interval = TimeSpan.FromSeconds(1 / request.Rate),
        });

        if (request.Out is { } file)
        {
            var failures = 0;
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

            await session.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"wrote {total} records ({failures} machine failures) to {file.FullName}")).ConfigureAwait(false);
            return token.IsCancellationRequested ? ExitCodes.Cancelled : ExitCodes.Success;
        }

        var records = Generate(generator, total).Select(r => new KinesisRecord(r.ToJsonLine(), r.DeviceId)).ToAsyncEnumerable();
        return await SendAsync(request.Stream!, records, total, request.Rate, request.Region, request.Endpoint, session, token).ConfigureAwait(false);
    }

    private static IEnumerable<TelemetryReading> Generate(TelemetryGenerator generator, int total)
    {
        for (var i = 0; i < total; i++)
        {
            yield return generator.Next();
        }
    }

    private static async Task<int> ReplayAsync(
        DateOnly date, string bucket, string table, string? stream, double? rate, string? region, Uri? endpoint, Uri? s3Endpoint,
        Session session, CancellationToken token)
    {
        if (stream is null)
        {
            throw new ProducerException("Give --stream NAME (the DataLake stack's output StreamName).", ExitCodes.InvalidArguments);
        }

        if (rate is <= 0)
        {
            throw new ProducerException("--rate must be above 0.", ExitCodes.InvalidArguments);
        }

        var resolvedRegion = session.Aws.Region(region);
        using var s3 = session.Aws.S3(resolvedRegion, s3Endpoint);
        var backup = new RawBackup(s3, bucket, table);
        var records = backup.RecordsAsync(date, token).Select(line => new KinesisRecord(line, PartitionKeyOf(line)));
        try
        {
            return await SendAsync(stream, records, null, rate, resolvedRegion, endpoint, session, token).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new ProducerException($"Bucket {bucket} does not exist in {resolvedRegion}: check --bucket (the DataLake stack's output LakeBucketName) and --region.", ExitCodes.NotFound, e);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.Forbidden)
        {
            throw new ProducerException($"AWS refused to read s3://{bucket}/{RawBackup.Prefix(table, date)}: {e.Message}", ExitCodes.Credentials, e);
        }
    }

    // The record's device, as producers partition; a line without one still replays, spread by its content.
    private static string PartitionKeyOf(byte[] line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty(TelemetrySchema.DeviceId, out var device)
                && device.ValueKind == JsonValueKind.String
                && device.GetString() is { Length: > 0 and <= PutRecordsBatches.MaxPartitionKeyLength } id)
            {
                return id;
            }
        }
        catch (JsonException)
        {
        }

        return "replay-" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(line))[..16];
    }

    private static async Task<int> SendAsync(
        string streamName, IAsyncEnumerable<KinesisRecord> records, int? total, double? rate, string? region, Uri? endpoint,
        Session session, CancellationToken token)
    {
        var (output, error) = (session.Output, session.Error);
        var resolvedRegion = session.Aws.Region(region);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var client = session.Aws.Kinesis(http, resolvedRegion, endpoint);
        try
        {
            await client.DescribeStreamSummaryAsync(streamName, token).ConfigureAwait(false);
        }
        catch (KinesisException e) when (e.IsNotFound)
        {
            throw new ProducerException($"Stream {streamName} does not exist in {resolvedRegion}: check --stream (the DataLake stack's output StreamName) and --region.", ExitCodes.NotFound, e);
        }
        catch (KinesisException e) when (e.IsAccessDenied)
        {
            throw new ProducerException($"AWS refused the credentials for stream {streamName}: {e.ErrorCode}: {e.Message}", ExitCodes.Credentials, e);
        }
        catch (HttpRequestException e)
        {
            throw new ProducerException($"Cannot reach Kinesis at {endpoint ?? SigV4KinesisClient.EndpointFor(resolvedRegion)}: {e.Message}", ExitCodes.NotFound, e);
        }

        var sender = new KinesisSender(client, streamName, session.Retries with { RecordsPerSecond = rate });
        SendSummary summary;
        if (session.Progress is { } progress)
        {
            summary = await progress.Progress().StartAsync(async context =>
            {
                var task = context.AddTask(Described(streamName, new SendSummary(0, 0, 0, false, TimeSpan.Zero)), maxValue: total ?? 1);
                task.IsIndeterminate = total is null;
                return await sender.SendAsync(records, new Reported(s =>
                {
                    task.Description = Described(streamName, s);
                    task.Value = total is null ? 0 : s.Sent + s.Failed;
                }), token).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }
        else
        {
            summary = await sender.SendAsync(records, null, token).ConfigureAwait(false);
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"sent {summary.Sent}, retried {summary.Retried}, failed {summary.Failed}, {summary.RecordsPerSecond:F1} records/s in {summary.Elapsed.TotalSeconds:F1} s")).ConfigureAwait(false);
        if (summary.Failed > 0)
        {
            await error.WriteLineAsync(summary.Throttled
                ? $"{summary.Failed} records were lost: stream {streamName} kept refusing throughput (ProvisionedThroughputExceeded); lower --rate or add shards."
                : $"{summary.Failed} records were lost after every retry.").ConfigureAwait(false);
            return summary.Throttled ? ExitCodes.Throttled : ExitCodes.RecordsLost;
        }

        return token.IsCancellationRequested ? ExitCodes.Cancelled : ExitCodes.Success;
    }

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
        catch (KinesisException e) when (e.IsAccessDenied)
        {
            await error.WriteLineAsync($"AWS refused the credentials: {e.ErrorCode}: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Credentials;
        }
        catch (KinesisException e) when (e.IsNotFound)
        {
            await error.WriteLineAsync($"Not found: {e.Message}").ConfigureAwait(false);
            return ExitCodes.NotFound;
        }
        catch (ArgumentException e)
        {
            await error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return ExitCodes.InvalidArguments;
        }
    }
}
