using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Pipeline.Producer.Tests.Support;

/// <summary>What a producer process ended with.</summary>
/// <param name="Exit">Its exit code.</param>
/// <param name="Output">Standard output: the summary line.</param>
/// <param name="Error">Standard error: one line per problem.</param>
public sealed partial record ProducerResult(int Exit, string Output, string Error)
{
    /// <summary>The summary's counts: sent, retried, failed, not sent, possible duplicates.</summary>
    public (long Sent, long Retried, long Failed, long NotSent, long PossibleDuplicates) Summary
    {
        get
        {
            var match = SummaryLine().Match(Output);
            Assert.True(match.Success, $"No summary line. Exit {Exit}. Output: {Output} Error: {Error}");
            long Count(int group) => long.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);
            return (Count(1), Count(2), Count(3), Count(4), Count(5));
        }
    }

    /// <summary>Records the summary says may have been written although counted failed or not sent.</summary>
    public long InDoubt => InDoubtLine().Match(Error) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;

    [GeneratedRegex(@"^sent (\d+), retried (\d+), failed (\d+), not sent (\d+), possible duplicates (\d+), ")]
    private static partial Regex SummaryLine();

    [GeneratedRegex(@"(\d+) of the records not written may have been written after all")]
    private static partial Regex InDoubtLine();
}

/// <summary>The producer as a user runs it: <c>dotnet exec pipeline-producer.dll</c>, with credentials from the environment only.</summary>
public static class ProducerProcess
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    /// <summary>Starts the producer with <paramref name="args"/>.</summary>
    public static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", ["exec", Path.Combine(AppContext.BaseDirectory, "pipeline-producer.dll"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Credentials from the environment, the first place the default chain looks; nothing from the user's profiles.
        // s3rver checks signatures against its own default key; kinesalite only checks that a request is signed.
        start.Environment["AWS_ACCESS_KEY_ID"] = "S3RVER";
        start.Environment["AWS_SECRET_ACCESS_KEY"] = "S3RVER";
        start.Environment["AWS_REGION"] = "us-east-1";
        start.Environment.Remove("AWS_SESSION_TOKEN");
        start.Environment.Remove("AWS_PROFILE");
        return Process.Start(start)!;
    }

    /// <summary>Runs the producer to its end.</summary>
    public static async Task<ProducerResult> RunAsync(params string[] args)
    {
        using var producer = Start(args);
        return await FinishAsync(producer);
    }

    /// <summary>Waits for a started producer and collects what it printed.</summary>
    public static async Task<ProducerResult> FinishAsync(Process producer)
    {
        var output = producer.StandardOutput.ReadToEndAsync();
        var error = producer.StandardError.ReadToEndAsync();
        using (var patience = new CancellationTokenSource(Patience))
        {
            try
            {
                await producer.WaitForExitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                producer.Kill(entireProcessTree: true);
                Assert.Fail($"The producer did not finish within {Patience.TotalSeconds} s. Output so far: {await output} {await error}");
            }
        }

        return new ProducerResult(producer.ExitCode, await output, await error);
    }

    /// <summary>Sends a signal as kill(1) does (Ctrl-C sends a foreground process SIGINT).</summary>
    public static async Task SignalAsync(Process process, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }
}
