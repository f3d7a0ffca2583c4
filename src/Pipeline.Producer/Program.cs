using Pipeline.Producer.Cli;

namespace Pipeline.Producer;

/// <summary>Entry point: <c>pipeline-producer produce …</c> or <c>pipeline-producer replay …</c>.</summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        // Ctrl-C stops after the batch in flight; the summary says what was sent.
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        return await ProducerCli.RunAsync(args, cancellationToken: cancel.Token).ConfigureAwait(false);
    }
}
