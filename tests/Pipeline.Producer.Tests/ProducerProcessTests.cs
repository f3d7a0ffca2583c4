using System.Diagnostics;
using System.Text;
using Pipeline.Producer.Cli;
using Pipeline.Producer.Tests.Support;

namespace Pipeline.Producer.Tests;

/// <summary>The producer as a user runs it: its own process, stopped by Ctrl-C (SIGINT) or SIGTERM.</summary>
[Collection(LocalAwsCollection.Name)]
public sealed class ProducerProcessTests(LocalAws aws)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task Produce_Signalled_StopsWithTheSummaryOfWhatTheStreamHolds(string signal)
    {
        var stream = $"{LocalAws.InterruptedStream}-{signal.ToLowerInvariant()}";
        var notSentFile = Path.Combine(Path.GetTempPath(), $"pipeline-interrupted-{signal}-{Guid.NewGuid():N}.jsonl");
        var start = new ProcessStartInfo("dotnet",
        [
            "exec", Path.Combine(AppContext.BaseDirectory, "pipeline-producer.dll"),
            "produce", "--duration", "01:00:00", "--rate", "200", "--stream", stream,
            "--region", "us-east-1", "--endpoint-url", aws.Kinesis.Endpoint.ToString(), "--not-sent", notSentFile,
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Credentials from the environment, the first place the default chain looks; nothing from the user's profiles.
        start.Environment["AWS_ACCESS_KEY_ID"] = "LOCAL";
        start.Environment["AWS_SECRET_ACCESS_KEY"] = "LOCAL";
        start.Environment.Remove("AWS_SESSION_TOKEN");
        start.Environment.Remove("AWS_PROFILE");

        using var producer = Process.Start(start)!;
        var output = producer.StandardOutput.ReadToEndAsync();
        var error = producer.StandardError.ReadToEndAsync();
        try
        {
            await UntilAsync(async () => (await aws.ReadAllAsync(stream)).Count >= 200);
            await Signal(producer.Id, signal);
            using var exited = new CancellationTokenSource(Patience);
            await producer.WaitForExitAsync(exited.Token);
        }
        finally
        {
            if (!producer.HasExited)
            {
                producer.Kill(entireProcessTree: true);
            }
        }

        var held = (await aws.ReadAllAsync(stream)).Select(Encoding.UTF8.GetString).ToList();
        var (stdout, stderr) = (await output, await error);
        // A signal during the pause that keeps the rate leaves the batch read for it unsent, counted and kept.
        var notSent = File.ReadAllLines(notSentFile).Length;
        File.Delete(notSentFile);
        Assert.True(
            producer.ExitCode == ExitCodes.Cancelled && stderr.StartsWith("Stopping after the request in flight (Ctrl-C again to give it up at once).\n", StringComparison.Ordinal),
            $"exit code {producer.ExitCode}, standard error: {stderr}");
        Assert.StartsWith($"sent {held.Count}, retried 0, failed 0, not sent {notSent}, possible duplicates 0, ", stdout, StringComparison.Ordinal);
        Assert.True(notSent is 0 or 200, $"{notSent} records not sent");
        Assert.All(held, line => Assert.EndsWith("}\n", line, StringComparison.Ordinal));
    }

    private static async Task UntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The producer sent nothing to the stream.");
            await Task.Delay(100);
        }
    }

    // Ctrl-C sends a foreground process SIGINT; here kill(1) sends it.
    private static async Task Signal(int processId, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", processId.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }
}
