using System.Runtime.InteropServices;
using Pipeline.Producer.Cli;

namespace Pipeline.Producer;

/// <summary>Entry point: <c>pipeline-producer produce …</c> or <c>pipeline-producer replay …</c>.</summary>
internal static class Program
{
    // Lives as long as the process: a signal handler may still be cancelling it while Main returns.
    private static readonly CancellationTokenSource Stop = new();

    private static async Task<int> Main(string[] args)
    {
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stopping);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stopping);
        return await ProducerCli.RunAsync(args, cancellationToken: Stop.Token).ConfigureAwait(false);
    }

    // The first Ctrl-C (or SIGTERM) stops after the batch in flight, and the summary says what was sent; a second one
    // ends the process at once.
    private static void Stopping(PosixSignalContext context)
    {
        if (Stop.IsCancellationRequested)
        {
            return;
        }

        context.Cancel = true;
        Console.Error.WriteLine("Stopping after the batch in flight (Ctrl-C again to stop at once).");
        // Cancel on the thread pool: Cancel() would run the rest of the program inside this handler.
        _ = Stop.CancelAsync();
    }
}
