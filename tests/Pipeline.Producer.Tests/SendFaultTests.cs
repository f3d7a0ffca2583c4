using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Pipeline.Producer.Cli;
using Pipeline.Producer.Tests.Support;
using Xunit.Abstractions;

namespace Pipeline.Producer.Tests;

/// <summary>
/// The producer sending a file of numbered records through a fault-injecting proxy in front of kinesalite: its command
/// line run in this process, and its own process where a signal stops it. Each case counts, by record id, what the stream holds against what the summary and the --not-sent file say: every
/// record is in the stream or in the file (no silent loss), byte for byte (no silent change), and a record is in the
/// stream twice only as often as the summary counts possible duplicates.
/// </summary>
[Collection(LocalAwsCollection.Name)]
public sealed partial class SendFaultTests(LocalAws aws, ITestOutputHelper output) : IDisposable
{
    private const int Count = 40;
    // A 2 s deadline leaves kinesalite room on a loaded machine; cases that wait for it out pass their own when it matters.
    private static readonly string[] Fast = ["--max-retries", "3", "--request-timeout", "2"];
    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-send-faults-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string Line(int id) => $$"""{"device_id":"machine-{{id % 5:000}}","id":{{id}}}""" + "\n";

    private string RecordsFile(int count = Count)
    {
        var file = Path.Combine(_directory, "records.jsonl");
        File.WriteAllText(file, string.Concat(Enumerable.Range(0, count).Select(Line)));
        return file;
    }

    private async Task<(ProducerResult Result, Account Account)> SendAsync(string name, Func<string, int, Fault> plan, params string[] extra)
    {
        var stream = await aws.CreateStreamAsync(name);
        await using var proxy = new FaultProxy(aws.Kinesis.Endpoint, plan);
        var notSent = Path.Combine(_directory, "not-sent.jsonl");
        // Short timeouts and few retries, unless the case gives its own.
        string[] fast = extra.Contains("--max-retries") ? ["--request-timeout", "2"] : Fast;
        var result = await ProducerInProcess.RunAsync(
            aws, ["send", "--file", RecordsFile(), "--stream", stream, "--endpoint-url", proxy.Endpoint.ToString(), "--not-sent", notSent, .. fast, .. extra]);
        return (result, await AccountAsync(name, stream, notSent, result));
    }

    /// <summary>What the stream and the --not-sent file hold, checked against the summary.</summary>
    private sealed record Account(int Landed, int Duplicates, int NotSentFile, int Read);

    private async Task<Account> AccountAsync(string name, string stream, string notSentFile, ProducerResult result)
    {
        var landed = (await aws.ReadAllAsync(stream)).Select(Encoding.UTF8.GetString).ToList();
        var notSent = File.Exists(notSentFile) ? File.ReadAllText(notSentFile).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l + "\n").ToList() : [];
        // A run that stopped says after which line it read no more.
        var read = RestNotRead().Match(result.Error) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : Count;
        var expected = Enumerable.Range(0, read).Select(Line).ToHashSet(StringComparer.Ordinal);

        Assert.All(landed, record => Assert.Contains(record, expected));
        Assert.All(notSent, record => Assert.Contains(record, expected));
        var distinct = landed.ToHashSet(StringComparer.Ordinal);
        Assert.Empty(expected.Except(distinct).Except(notSent));
        var summary = result.Summary;
        Assert.Equal(read, summary.Sent + summary.Failed + summary.NotSent);
        Assert.Equal(summary.Failed + summary.NotSent, notSent.Count);
        Assert.InRange(distinct.Count, summary.Sent, summary.Sent + result.InDoubt);
        Assert.InRange(landed.Count - distinct.Count, 0, summary.PossibleDuplicates);

        var account = new Account(distinct.Count, landed.Count - distinct.Count, notSent.Count, read);
        output.WriteLine($"| {name} | {account.Landed} | {account.Duplicates} | 0 | {result.Exit} | {result.Output.Trim()} |");
        return account;
    }

    [GeneratedRegex(@"after \S+ line (\d+) was not read")]
    private static partial Regex RestNotRead();

    // The per-entry codes PutRecords documents, and the KMS throttling an encrypted stream adds, one request after another.
    private static readonly string[] EntryCodes = ["ProvisionedThroughputExceededException", "InternalFailure", "KMSThrottlingException"];

    [Fact]
    public async Task Send_EntriesFailOnceWithEachCode_RetriesThemAndWritesEveryRecordOnce()
    {
        var (result, account) = await SendAsync("entries-once", (action, put) =>
            action == "PutRecords" && put < EntryCodes.Length ? new Fault.Entries(EntryCodes[put], i => put == 0 ? i % 4 == 1 : i == 0) : Fault.None);

        Assert.Equal((ExitCodes.Success, string.Empty), (result.Exit, result.Error));
        Assert.Equal((40L, 12L, 0L, 0L, 0L), result.Summary);
        Assert.Equal(new Account(40, 0, 0, 40), account);
    }

    [Theory]
    [InlineData("ProvisionedThroughputExceededException", ExitCodes.Throttled)]
    [InlineData("InternalFailure", ExitCodes.NotAllSent)]
    public async Task Send_EntriesKeepFailing_CountsThemFailedAndKeepsThemInTheNotSentFile(string code, int exit)
    {
        var (result, account) = await SendAsync($"entries-always-{code.ToLowerInvariant()}", (action, _) =>
            action == "PutRecords" ? new Fault.Entries(code, i => i < 3) : Fault.None);

        Assert.Equal(exit, result.Exit);
        Assert.Equal((37L, 9L, 3L, 0L, 0L), result.Summary);
        Assert.Contains($"3 records were not written", result.Error, StringComparison.Ordinal);
        Assert.Contains($"(3 {code})", result.Error, StringComparison.Ordinal);
        Assert.Equal(new Account(37, 0, 3, 40), account);
    }

    [Fact]
    public async Task Send_FailedRecordCountDisagreesWithTheEntries_JudgedByTheEntries()
    {
        var (result, account) = await SendAsync("entries-miscounted", (action, put) =>
            action == "PutRecords" && put == 0 ? new Fault.Entries("InternalFailure", i => i == 7, ReportedFailedCount: 0) : Fault.None);

        Assert.Equal((ExitCodes.Success, (40L, 1L, 0L, 0L, 0L)), (result.Exit, result.Summary));
        Assert.Equal(new Account(40, 0, 0, 40), account);
    }

    // Whole-request refusals that a retry can cure: service errors, throttling by the stream or its KMS key, a key in transition.
    private static readonly (string Type, int Status)[] Transient =
    [
        ("InternalFailure", 500), ("ServiceUnavailable", 503), ("ProvisionedThroughputExceededException", 400),
        ("KMSThrottlingException", 400), ("KMSInvalidStateException", 400), ("LimitExceededException", 400),
    ];

    [Fact]
    public async Task Send_RequestRefusedWithEachRetryableCodeInTurn_RetriedUntilWrittenOnce()
    {
        var (result, account) = await SendAsync("request-refused-in-turn", (action, put) =>
            action == "PutRecords" && put < Transient.Length ? Fault.Error(Transient[put].Type, Transient[put].Status) : Fault.None, "--max-retries", "6");

        Assert.Equal((ExitCodes.Success, 40L, 240L, 0L), (result.Exit, result.Summary.Sent, result.Summary.Retried, result.Summary.Failed));
        Assert.Equal(new Account(40, 0, 0, 40), account);
    }

    [Theory]
    [InlineData("AccessDeniedException", ExitCodes.Credentials)]
    [InlineData("KMSDisabledException", ExitCodes.Credentials)]
    [InlineData("ResourceNotFoundException", ExitCodes.NotFound)]
    [InlineData("InvalidArgumentException", ExitCodes.NotAllSent)]
    public async Task Send_RequestRefusedForGood_StopsWithTheSummaryAndKeepsWhatItRead(string type, int exit)
    {
        var (result, account) = await SendAsync($"request-stop-{type.ToLowerInvariant()}", (action, _) =>
            action == "PutRecords" ? Fault.Error(type) : Fault.None);

        Assert.Equal(exit, result.Exit);
        Assert.Equal((0L, 0L, 0L, 40L, 0L), result.Summary);
        Assert.Contains(type, result.Error, StringComparison.Ordinal);
        Assert.Equal(new Account(0, 0, 40, 40), account);
    }

    [Fact]
    public async Task Send_AnswerLaterThanTheTimeout_RetriedAndTheDuplicateCounted()
    {
        var (result, account) = await SendAsync("late-answer", (action, put) =>
            action == "PutRecords" && put == 0 ? new Fault.Late(TimeSpan.FromSeconds(5)) : Fault.None);

        Assert.Equal((ExitCodes.Success, (40L, 40L, 0L, 0L, 40L)), (result.Exit, result.Summary));
        Assert.Equal(new Account(40, 40, 0, 40), account);
        Assert.Contains("40 records were sent again after a request that got no usable answer: the stream may hold them twice.", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_NeverAnswered_StopsUnreachableWithEveryRecordInTheNotSentFile()
    {
        var (result, account) = await SendAsync("never-answers", (action, _) => action == "PutRecords" ? new Fault.Silent() : Fault.None, "--max-retries", "1");

        Assert.Equal(ExitCodes.Unreachable, result.Exit);
        Assert.Equal((0L, 40L, 0L, 40L, 40L), result.Summary);
        Assert.Equal(40, result.InDoubt);
        Assert.Contains("Stopped: Kinesis at ", result.Error, StringComparison.Ordinal);
        Assert.Contains("no answer within 2 s", result.Error, StringComparison.Ordinal);
        Assert.Equal(new Account(0, 0, 40, 40), account);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Send_ConnectionDroppedOnce_RetriedWithAnyDuplicateCounted(bool afterWriting)
    {
        var (result, account) = await SendAsync($"dropped-{(afterWriting ? "after" : "before")}", (action, put) =>
            action == "PutRecords" && put == 0 ? new Fault.Drop(afterWriting) : Fault.None);

        Assert.Equal((ExitCodes.Success, (40L, 40L, 0L, 0L, 40L)), (result.Exit, result.Summary));
        Assert.Equal(new Account(40, afterWriting ? 40 : 0, 0, 40), account);
    }

    [Fact]
    public async Task Send_GarbledAnswerAfterWriting_RetriedAndTheDuplicateCounted()
    {
        var (result, account) = await SendAsync("garbled", (action, put) =>
            action == "PutRecords" && put == 0 ? new Fault.Answer(200, "application/x-amz-json-1.1", "{\"Records\": [oops", AfterWriting: true) : Fault.None);

        Assert.Equal((ExitCodes.Success, (40L, 40L, 0L, 0L, 40L)), (result.Exit, result.Summary));
        Assert.Equal(new Account(40, 40, 0, 40), account);
    }

    [Fact]
    public async Task Send_AnswerWithoutAnEntryPerRecord_RetriedAndTheDuplicateCounted()
    {
        var (result, account) = await SendAsync("short-answer", (action, put) =>
            action == "PutRecords" && put == 0 ? new Fault.Answer(200, "application/x-amz-json-1.1", """{"FailedRecordCount":0,"Records":[]}""", AfterWriting: true) : Fault.None);

        Assert.Equal((ExitCodes.Success, (40L, 40L, 0L, 0L, 40L)), (result.Exit, result.Summary));
        Assert.Equal(new Account(40, 40, 0, 40), account);
    }

    [Fact]
    public async Task Send_CredentialsExpireMidRun_StopsWithTheSummaryAndTheRecordsItRead()
    {
        // Batches of 20 at 50 records/s: the first is written, every later request meets expired credentials.
        var (result, account) = await SendAsync("credentials-expire", (action, put) =>
            action == "PutRecords" && put > 0 ? Fault.Error("ExpiredTokenException") : Fault.None, "--rate", "20");

        Assert.Equal(ExitCodes.Credentials, result.Exit);
        Assert.Equal((20L, 60L, 0L, 20L, 0L), result.Summary);
        Assert.Contains("Stopped: AWS refused the credentials (the credentials expired and the credential chain gave no fresh ones", result.Error, StringComparison.Ordinal);
        Assert.Equal(new Account(20, 0, 20, 40), account);
    }

    [Fact]
    public async Task Send_EndpointNotKinesis_OneLineUnreachableNothingSent()
    {
        var stream = await aws.CreateStreamAsync("not-kinesis");
        await using var proxy = new FaultProxy(aws.Kinesis.Endpoint, (_, _) => new Fault.Answer(404, "text/html", "<html><body>Not Found</body></html>"));

        var result = await ProducerInProcess.RunAsync(aws, "send", "--file", RecordsFile(), "--stream", stream, "--endpoint-url", proxy.Endpoint.ToString());

        Assert.Equal(ExitCodes.Unreachable, result.Exit);
        Assert.Equal($"{proxy.Endpoint} does not answer as Kinesis: DescribeStreamSummary failed: UnexpectedResponse: HTTP 404 (text/html): <html><body>Not Found</body></html>. Check --endpoint-url.\n", result.Error);
        Assert.Empty(await aws.ReadAllAsync(stream));
    }

    [Fact]
    public async Task Send_EndpointAcceptsAndNeverAnswers_OneLineUnreachableWithinTheTimeouts()
    {
        var stream = await aws.CreateStreamAsync("silent-endpoint");
        await using var proxy = new FaultProxy(aws.Kinesis.Endpoint, (_, _) => new Fault.Silent());

        var result = await ProducerInProcess.RunAsync(aws, "send", "--file", RecordsFile(), "--stream", stream, "--endpoint-url", proxy.Endpoint.ToString(), "--request-timeout", "1");

        Assert.Equal((ExitCodes.Unreachable, string.Empty), (result.Exit, result.Output));
        Assert.Equal($"Cannot reach Kinesis at {proxy.Endpoint}: no answer within 1 s. Check --endpoint-url, --region and the network.\n", result.Error);
    }

    [Fact]
    public async Task Send_NothingListening_CannotReachIsNotDoesNotExist()
    {
        using var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();

        var result = await ProducerInProcess.RunAsync(aws, "send", "--file", RecordsFile(), "--stream", "nowhere", "--endpoint-url", $"http://127.0.0.1:{port}/", "--request-timeout", "1");

        Assert.Equal(ExitCodes.Unreachable, result.Exit);
        Assert.StartsWith($"Cannot reach Kinesis at http://127.0.0.1:{port}/: ", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task Send_SignalledTwiceDuringAHungRequest_GivesItUpAndEndsWithTheSummary(string signal)
    {
        var stream = await aws.CreateStreamAsync($"hung-{signal.ToLowerInvariant()}");
        await using var proxy = new FaultProxy(aws.Kinesis.Endpoint, (action, _) => action == "PutRecords" ? new Fault.Silent() : Fault.None);
        var notSent = Path.Combine(_directory, "not-sent.jsonl");
        using var producer = ProducerProcess.Start(
            "send", "--file", RecordsFile(), "--stream", stream, "--endpoint-url", proxy.Endpoint.ToString(), "--not-sent", notSent, "--request-timeout", "600");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (proxy.PutRecordsCalls == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "The producer sent nothing.");
            await Task.Delay(50);
        }

        await ProducerProcess.SignalAsync(producer, signal);
        await Task.Delay(200);
        await ProducerProcess.SignalAsync(producer, signal);
        var result = await ProducerProcess.FinishAsync(producer);

        Assert.Equal(ExitCodes.Cancelled, result.Exit);
        Assert.Equal((0L, 0L, 0L, 40L, 0L), result.Summary);
        Assert.StartsWith("Stopping after the request in flight (Ctrl-C again to give it up at once).\nGiving up the request in flight.\n", result.Error, StringComparison.Ordinal);
        Assert.Equal(40, result.InDoubt);
        Assert.Equal(new Account(0, 0, 40, 40), await AccountAsync($"hung-{signal}", stream, notSent, result));
    }

    [Fact]
    public async Task Send_NotSentFileSentAgain_WritesExactlyTheRecordsTheFirstRunDidNot()
    {
        var stream = await aws.CreateStreamAsync("resend");
        var notSent = Path.Combine(_directory, "first-not-sent.jsonl");
        await using (var proxy = new FaultProxy(aws.Kinesis.Endpoint, (action, _) => action == "PutRecords" ? new Fault.Entries("InternalFailure", i => i % 3 == 0) : Fault.None))
        {
            var first = await ProducerInProcess.RunAsync(
                aws, "send", "--file", RecordsFile(), "--stream", stream, "--endpoint-url", proxy.Endpoint.ToString(), "--not-sent", notSent, "--max-retries", "0");
            Assert.Equal((ExitCodes.NotAllSent, 26L, 14L), (first.Exit, first.Summary.Sent, first.Summary.Failed));
        }

        var second = await ProducerInProcess.RunAsync(aws, "send", "--file", notSent, "--stream", stream, "--endpoint-url", aws.Kinesis.Endpoint.ToString());

        Assert.Equal((ExitCodes.Success, string.Empty, 14L), (second.Exit, second.Error, second.Summary.Sent));
        var landed = (await aws.ReadAllAsync(stream)).Select(Encoding.UTF8.GetString).Order(StringComparer.Ordinal);
        Assert.Equal(Enumerable.Range(0, Count).Select(Line).Order(StringComparer.Ordinal), landed);
    }

}
