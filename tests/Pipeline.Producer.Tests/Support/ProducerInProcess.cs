using Pipeline.Producer.Cli;
using Pipeline.Producer.Kinesis;

namespace Pipeline.Producer.Tests.Support;

/// <summary>
/// The producer's command line run in this process as <c>Program.Main</c> runs it, with the local servers' region and
/// credentials and millisecond pauses between retries: the same parsing, sending and accounting as the process, without
/// a process start or seconds of back-off per case.
/// </summary>
public static class ProducerInProcess
{
    private static readonly KinesisSenderOptions ShortPauses = new() { FirstRetryDelay = TimeSpan.FromMilliseconds(1), MaxRetryDelay = TimeSpan.FromMilliseconds(2) };

    /// <summary>Runs <paramref name="args"/> to the end against <paramref name="aws"/>.</summary>
    public static async Task<ProducerResult> RunAsync(LocalAws aws, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await ProducerCli.RunAsync(args, aws.Aws, output, error, retries: ShortPauses);
        return new ProducerResult(exit, output.ToString(), error.ToString());
    }
}
