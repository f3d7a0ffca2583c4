using System.IO.Compression;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Producer.Cli;
using Pipeline.Producer.Kinesis;
using Pipeline.Producer.Telemetry;
using Pipeline.Producer.Tests.Support;
using Spectre.Console;

namespace Pipeline.Producer.Tests;

[Collection(LocalAwsCollection.Name)]
public sealed class ProducerCliTests(LocalAws aws)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private async Task<(int Exit, string Output, string Error)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await ProducerCli.RunAsync(args, aws.Aws, output, error, new FakeTimeProvider(Now));
        return (exit, output.ToString(), error.ToString());
    }

    private static List<string> Expected(int seed, int count, double rate, DateTimeOffset start, int devices = 20)
    {
        var generator = new TelemetryGenerator(new TelemetryGeneratorOptions { Seed = seed, Devices = devices, Start = start, Interval = TimeSpan.FromSeconds(1 / rate) });
        return [.. Enumerable.Range(0, count).Select(_ => Encoding.UTF8.GetString(generator.Next().ToJsonLine()))];
    }

    [Fact]
    public async Task Produce_ToStream_EveryRecordReadBackIntact()
    {
        var (exit, output, error) = await Run("produce", "--count", "1500", "--rate", "100000", "--seed", "9", "--stream", LocalAws.Stream, "--endpoint-url", aws.Kinesis.Endpoint.ToString());

        Assert.True(exit == ExitCodes.Success && error.Length == 0, error);
        Assert.StartsWith("sent 1500, retried 0, failed 0, not sent 0, possible duplicates 0, ", output, StringComparison.Ordinal);
        var read = (await aws.ReadAllAsync(LocalAws.Stream)).Select(Encoding.UTF8.GetString).Order(StringComparer.Ordinal);
        Assert.Equal(Expected(9, 1500, 100000, Now).Order(StringComparer.Ordinal), read);
    }

    [Fact]
    public async Task Produce_UnknownStream_OneLineAndNotFound()
    {
        var (exit, _, error) = await Run("produce", "--count", "5", "--stream", "no-such-stream", "--endpoint-url", aws.Kinesis.Endpoint.ToString());

        Assert.Equal(ExitCodes.NotFound, exit);
        Assert.Equal("Stream no-such-stream does not exist in us-east-1: check --stream (the DataLake stack's output StreamName) and --region.\n", error);
    }

    [Fact]
    public async Task Produce_NoCredentialsAnywhere_OneLineAndCredentials()
    {
        var empty = Path.GetTempFileName();
        string[] names = ["AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"];
        var saved = names.ToDictionary(n => n, Environment.GetEnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable("AWS_PROFILE", "no-such-profile");
            Environment.SetEnvironmentVariable("AWS_CONFIG_FILE", empty);
            Environment.SetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE", empty);
            foreach (var name in names.Skip(3))
            {
                Environment.SetEnvironmentVariable(name, null);
            }

            using var output = new StringWriter();
            using var error = new StringWriter();
            var exit = await ProducerCli.RunAsync(
                ["produce", "--count", "1", "--stream", LocalAws.Stream, "--region", "us-east-1", "--endpoint-url", aws.Kinesis.Endpoint.ToString()],
                new AwsEnvironment(), output, error);

            Assert.Equal(ExitCodes.Credentials, exit);
            Assert.Equal(
                "No AWS credentials: set AWS_PROFILE (after aws sso login for SSO), export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run where an instance or container role applies.\n",
                error.ToString());
        }
        finally
        {
            foreach (var (name, value) in saved)
            {
                Environment.SetEnvironmentVariable(name, value);
            }

            File.Delete(empty);
        }
    }

    [Fact]
    public async Task Produce_StreamKeepsThrottling_SaysSoAndThrottled()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await ProducerCli.RunAsync(
            ["produce", "--count", "7", "--rate", "1000", "--stream", LocalAws.Stream, "--max-retries", "2"],
            new ThrottlingAws(aws), output, error, new FakeTimeProvider(Now),
            new KinesisSenderOptions { FirstRetryDelay = TimeSpan.FromMilliseconds(1), MaxRetryDelay = TimeSpan.FromMilliseconds(1) });

        Assert.Equal(ExitCodes.Throttled, exit);
        Assert.StartsWith("sent 0, retried 14, failed 7, not sent 0, possible duplicates 0, ", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(
            $"7 records were not written: stream {LocalAws.Stream} kept refusing throughput (7 ProvisionedThroughputExceededException); lower --rate or add shards.\n"
            + "Pass --not-sent FILE to keep the records that were not written.\n",
            error.ToString());
    }

    [Fact]
    public async Task Produce_ToStreamOnATerminal_DrawsProgressToTheEnd()
    {
        using var terminal = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Yes,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.Yes,
            Out = new AnsiConsoleOutput(terminal),
        });
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await ProducerCli.RunAsync(
            ["produce", "--count", "1200", "--rate", "100000", "--stream", LocalAws.ProgressStream, "--endpoint-url", aws.Kinesis.Endpoint.ToString()],
            aws.Aws, output, error, new FakeTimeProvider(Now), progress: console);

        Assert.Equal((ExitCodes.Success, string.Empty), (exit, error.ToString()));
        Assert.Contains($"{LocalAws.ProgressStream}: sent 1200, retried 0, failed 0", terminal.ToString(), StringComparison.Ordinal);
        Assert.Contains("100%", terminal.ToString(), StringComparison.Ordinal);
        Assert.StartsWith("sent 1200, retried 0, failed 0, ", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Produce_ToFile_SameSeedSameLines()
    {
        var file = Path.Combine(Path.GetTempPath(), $"producer-{Guid.NewGuid():N}.jsonl");
        try
        {
            var (exit, output, _) = await Run("produce", "--count", "300", "--rate", "2", "--seed", "5", "--out", file, "--start", "2026-11-28T00:00:00Z");
            var first = await File.ReadAllTextAsync(file);
            await Run("produce", "--count", "300", "--rate", "2", "--seed", "5", "--out", file, "--start", "2026-11-28T00:00:00Z");

            Assert.Equal(ExitCodes.Success, exit);
            Assert.StartsWith($"wrote 300 records (", output, StringComparison.Ordinal);
            Assert.Equal(string.Concat(Expected(5, 300, 2, new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero))), first);
            Assert.Equal(first, await File.ReadAllTextAsync(file));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Produce_DurationAtRate_CountsRateTimesSeconds()
    {
        var file = Path.Combine(Path.GetTempPath(), $"producer-{Guid.NewGuid():N}.jsonl");
        try
        {
            var (exit, output, _) = await Run("produce", "--duration", "00:01:00", "--rate", "5", "--out", file);

            Assert.Equal(ExitCodes.Success, exit);
            Assert.Equal(300, (await File.ReadAllLinesAsync(file)).Length);
            Assert.StartsWith("wrote 300 records", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Produce_UnwritableFile_OneLineAndFileError()
    {
        var (exit, _, error) = await Run("produce", "--count", "5", "--out", "/proc/no-such-dir/records.jsonl");

        Assert.Equal(ExitCodes.FileError, exit);
        Assert.StartsWith("Cannot write /proc/no-such-dir/records.jsonl: ", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Theory]
    [InlineData("Give either --count or --duration.", "produce", "--out", "x.jsonl")]
    [InlineData("Give either --count or --duration.", "produce", "--count", "5", "--duration", "00:00:10", "--out", "x.jsonl")]
    [InlineData("Give either --out FILE or --stream NAME.", "produce", "--count", "5")]
    [InlineData("--rate 0: give records per second from 0.01 to 1000000.", "produce", "--count", "5", "--rate", "0", "--out", "x.jsonl")]
    [InlineData("--start applies to --out only: records sent to a stream carry the time they are sent.", "produce", "--count", "5", "--stream", "s", "--start", "2026-11-28T00:00:00Z")]
    [InlineData("--stream Invalid/Name: a stream name is 1 to 128 letters, digits, underscores, hyphens and periods (the DataLake stack's output StreamName).", "produce", "--count", "5", "--stream", "Invalid/Name")]
    [InlineData("--rate 0.001: give records per second from 0.01 to 1000000.", "send", "--file", "x.jsonl", "--stream", "s", "--rate", "0.001")]
    [InlineData("--rate 1E+300: give records per second from 0.01 to 1000000.", "produce", "--count", "5", "--stream", "s", "--rate", "1e300")]
    [InlineData("--max-retries takes 0 to 20, --request-timeout 1 to 600 (seconds).", "produce", "--count", "5", "--stream", "s", "--request-timeout", "0")]
    public async Task Produce_InvalidArguments_OneLineAndInvalidArguments(string message, params string[] args)
    {
        var (exit, _, error) = await Run(args);

        Assert.Equal((ExitCodes.InvalidArguments, message + "\n"), (exit, error));
    }

    [Fact]
    public async Task Produce_UnknownOption_InvalidArguments()
    {
        var (exit, _, error) = await Run("produce", "--count", "5", "--colour", "red");

        Assert.Equal(ExitCodes.InvalidArguments, exit);
        Assert.StartsWith("Invalid arguments: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_DayOfRawBackup_PutsEveryRecordBackAsSent()
    {
        var day = Expected(3, 40, 1, new DateTimeOffset(2026, 11, 27, 23, 59, 50, TimeSpan.Zero));
        await aws.PutAsync("raw/telemetry/ingest_date=2026-11-28/telemetry-1-2026-11-28-00-00-00-a", Gzip(string.Concat(day.Take(25))));
        await aws.PutAsync("raw/telemetry/ingest_date=2026-11-28/telemetry-1-2026-11-28-00-05-00-b", Gzip(string.Concat(day.Skip(25))));
        await aws.PutAsync("raw/telemetry/ingest_date=2026-11-29/telemetry-1-2026-11-29-00-00-00-c", Gzip(string.Concat(Expected(4, 10, 1, Now))));

        var (exit, output, error) = await Run("replay", "--date", "2026-11-28", "--bucket", LocalAws.Bucket, "--stream", LocalAws.ReplayStream,
            "--endpoint-url", aws.Kinesis.Endpoint.ToString());

        Assert.Equal((ExitCodes.Success, string.Empty), (exit, error));
        Assert.StartsWith("sent 40, retried 0, failed 0, not sent 0, possible duplicates 0, ", output, StringComparison.Ordinal);
        Assert.Equal(day, (await aws.ReadAllAsync(LocalAws.ReplayStream)).Select(Encoding.UTF8.GetString));
    }

    [Fact]
    public async Task Replay_MissingStreamOption_InvalidArguments()
    {
        var (exit, _, error) = await Run("replay", "--date", "2026-11-28", "--bucket", LocalAws.Bucket);

        Assert.Equal((ExitCodes.InvalidArguments, "Give --stream NAME (the DataLake stack's output StreamName).\n"), (exit, error));
    }

    // The stream exists and refuses every record for throughput.
    private sealed class ThrottlingAws(LocalAws servers) : AwsEnvironment
    {
        public override string Region(string? given) => servers.Aws.Region(given);

        public override IKinesisClient Kinesis(HttpClient http, string region, Uri? endpoint) => new Throttling();

        private sealed class Throttling : IKinesisClient
        {
            public Task DescribeStreamSummaryAsync(string streamName, CancellationToken cancellationToken) => Task.CompletedTask;

            public Task<PutRecordsResult> PutRecordsAsync(string streamName, IReadOnlyList<KinesisRecord> records, CancellationToken cancellationToken) =>
                Task.FromResult(new PutRecordsResult([.. records.Select(_ => new PutRecordsResultEntry(null, "ProvisionedThroughputExceededException", "Rate exceeded"))]));
        }
    }

    private static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return buffer.ToArray();
    }
}
