using System.IO.Compression;
using System.Text;
using Pipeline.Producer.Cli;
using Pipeline.Producer.Tests.Support;
using Xunit.Abstractions;

namespace Pipeline.Producer.Tests;

/// <summary>
/// The producer's own process replaying days of hostile raw-backup objects from s3rver into kinesalite: every record is
/// put back byte for byte, and every object that cannot be read completely is named with how far it got.
/// </summary>
[Collection(LocalAwsCollection.Name)]
public sealed class ReplayFaultTests(LocalAws aws, ITestOutputHelper output) : IDisposable
{
    private const string Day = "raw/telemetry/ingest_date=";
    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-replay-faults-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static byte[] Line(string name, int id) => Encoding.UTF8.GetBytes($$"""{"device_id":"machine-{{id % 5:000}}","object":"{{name}}","id":{{id}}}""" + "\n");

    private static byte[][] Lines(string name, int count) => [.. Enumerable.Range(0, count).Select(i => Line(name, i))];

    private static byte[] Gzip(params byte[][] lines)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
        {
            foreach (var line in lines)
            {
                gzip.Write(line);
            }
        }

        return buffer.ToArray();
    }

    private async Task<ProducerResult> ReplayAsync(string date, string stream, params string[] extra) =>
        await ProducerProcess.RunAsync(
        [
            "replay", "--date", date, "--bucket", LocalAws.Bucket, "--stream", stream, "--endpoint-url", aws.Kinesis.Endpoint.ToString(),
            "--s3-endpoint-url", aws.S3.Endpoint.ToString(), .. extra,
        ]);

    private static string Url(string key) => $"s3://{LocalAws.Bucket}/{key}";

    [Fact]
    public async Task Replay_HostileDay_EveryReadableRecordPutBackExactlyAndEveryFaultNamed()
    {
        var stream = await aws.CreateStreamAsync("replay-hostile");
        var key = (string name) => $"{Day}2026-10-01/telemetry-1-2026-10-01-{name}";
        // Bytes that are not text, or not the usual text, pass through untouched.
        byte[][] odd =
        [
            Line("a", 0),
            Encoding.UTF8.GetBytes("{\"device_id\":\"machine-001\",\"object\":\"a\",\"id\":1}\r\n"),
            Encoding.UTF8.GetBytes("{\"device_id\":\"machine-002\",\"object\":\"a\",\"id\":2,\"note\":\"bare\rreturn\"}\n"),
            [.. "{\"device_id\":\"machine-003\",\"object\":\"a\",\"id\":3,\"raw\":\""u8, 0xff, 0xfe, 0xc3, .. "\"}\n"u8],
        ];
        var multi = Lines("b", 6);
        var truncated = Lines("c", 3000);
        var truncatedObject = Gzip(truncated);
        var corrupt = Lines("d", 3000);
        var corruptObject = Gzip(corrupt);
        corruptObject[corruptObject.Length / 2] ^= 0x5a;
        corruptObject[(corruptObject.Length / 2) + 1] ^= 0xa5;
        var oversized = Encoding.UTF8.GetBytes("{\"device_id\":\"machine-004\",\"object\":\"g\",\"pad\":\"" + new string('x', 1_100_000) + "\"}\n");
        var unterminated = Lines("h", 2);
        await aws.PutAsync(key("a"), Gzip(odd));
        await aws.PutAsync(key("b"), [.. Gzip(multi[..3]), .. Gzip(multi[3..])]);
        await aws.PutAsync(key("c"), truncatedObject[..(truncatedObject.Length / 2)]);
        await aws.PutAsync(key("d"), corruptObject);
        await aws.PutAsync(key("e"), []);
        await aws.PutAsync(key("f"), [.. Lines("f", 2).SelectMany(l => l)]);
        await aws.PutAsync(key("g"), Gzip(Line("g", 0), oversized, Line("g", 2)));
        await aws.PutAsync(key("h"), Gzip(unterminated[0], unterminated[1][..^1]));
        var notSent = Path.Combine(_directory, "not-sent.jsonl");

        var result = await ReplayAsync("2026-10-01", stream, "--not-sent", notSent);

        var landed = (await aws.ReadAllAsync(stream)).ToList();
        output.WriteLine($"exit {result.Exit}\n{result.Output}{result.Error}");
        Assert.Equal(ExitCodes.SourceUnreadable, result.Exit);
        var errors = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // c, cut short: the complete lines before the cut were sent, a prefix of the object, and the report says how many.
        // d, corrupt: gzip's checksum disowns its bytes only at the end, so none of them were sent.
        var fromC = landed.Where(r => Encoding.UTF8.GetString(r).Contains("\"object\":\"c\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(truncated.Take(fromC.Count), fromC);
        Assert.InRange(fromC.Count, 1, 2999);
        Assert.Equal(
            [.. odd, .. multi, .. fromC, Line("g", 0), Line("g", 2), unterminated[0]],
            landed);
        Assert.Contains(errors, e => e.StartsWith($"unreadable: {Url(key("c"))}: truncated (", StringComparison.Ordinal)
            && e.Contains($"); read {fromC.Count} complete lines", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith($"unreadable: {Url(key("d"))}: not a valid gzip object (", StringComparison.Ordinal)
            && e.Contains("its content cannot be trusted, none of it was sent; decoded ", StringComparison.Ordinal));
        Assert.Contains($"unreadable: {Url(key("e"))}: is empty (0 bytes), not a gzip object", errors);
        Assert.Contains(errors, e => e.StartsWith($"unreadable: {Url(key("f"))}: not a valid gzip object (", StringComparison.Ordinal)
            && e.EndsWith("decoded 0 complete lines (0 bytes) before it", StringComparison.Ordinal));
        Assert.Contains($"unreadable: {Url(key("h"))}: ends without a newline: the {unterminated[1].Length - 1} bytes after line 1 are not a complete record and were not sent", errors);
        Assert.Contains($"not sent: {Url(key("g"))} line 2: {oversized.Length + 11} bytes with its partition key; Kinesis takes at most 1048576 (1 MiB) per record", errors);
        Assert.Equal(oversized, File.ReadAllBytes(notSent));
        Assert.StartsWith(
            $"sent {landed.Count}, retried 0, failed 0, not sent 1, possible duplicates 0, ", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_OversizedLineWithFailFast_SendsWhatCameBeforeAndStopsThere()
    {
        var stream = await aws.CreateStreamAsync("replay-fail-fast");
        var oversized = Encoding.UTF8.GetBytes("{\"device_id\":\"machine-004\",\"pad\":\"" + new string('x', 1_100_000) + "\"}\n");
        await aws.PutAsync($"{Day}2026-10-02/telemetry-1", Gzip(Line("a", 0), oversized, Line("a", 2)));

        var result = await ReplayAsync("2026-10-02", stream, "--fail-fast");

        Assert.Equal(ExitCodes.NotAllSent, result.Exit);
        Assert.Equal([Line("a", 0)], await aws.ReadAllAsync(stream));
        Assert.StartsWith("sent 1, retried 0, failed 0, not sent 1, possible duplicates 0, ", result.Output, StringComparison.Ordinal);
        Assert.Contains($"Stopped at the first record that cannot be put: {Url($"{Day}2026-10-02/telemetry-1")} line 2: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_DayWithoutObjects_SaysSoAndNotFound()
    {
        var result = await ReplayAsync("2026-10-03", LocalAws.ReplayStream);

        Assert.Equal(ExitCodes.NotFound, result.Exit);
        Assert.Equal(
            $"Nothing to replay: no objects under {Url($"{Day}2026-10-03/")}. Check --date (the UTC day Firehose received the records) and --table.\n",
            result.Error);
        Assert.Empty(result.Output);
    }

    [Fact]
    public async Task Replay_MissingBucket_OneLineAndNotFound()
    {
        var result = await ProducerProcess.RunAsync(
            "replay", "--date", "2026-10-01", "--bucket", "no-such-bucket", "--stream", LocalAws.ReplayStream,
            "--endpoint-url", aws.Kinesis.Endpoint.ToString(), "--s3-endpoint-url", aws.S3.Endpoint.ToString());

        Assert.Equal(
            (ExitCodes.NotFound, "Bucket no-such-bucket does not exist in us-east-1: check --bucket (the DataLake stack's output LakeBucketName) and --region.\n"),
            (result.Exit, result.Error));
    }
}
