using System.Runtime.InteropServices;
using Pipeline.Producer.Cli;

namespace Pipeline.Producer;

/// <summary>Entry point: <c>pipeline-producer produce|replay|send …</c>.</summary>
internal static class Program
{
    // Live as long as the process: a signal handler may still be cancelling them while Main returns.
    private static readonly CancellationTokenSource Stop = new();
    private static readonly CancellationTokenSource Abort = new();

    private static async Task<int> Main(string[] args)
    {
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stopping);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stopping);
        return await ProducerCli.RunAsync(args, cancellationToken: Stop.Token, abort: Abort.Token).ConfigureAwait(false);
    }

    // The first Ctrl-C (or SIGTERM) stops after the request in flight; a second one gives that request up at once. Either
    // way the run ends with its summary, and the records it did not send are counted (and kept with --not-sent).
    private static void Stopping(PosixSignalContext context)
    {
        context.Cancel = true;
        var source = Stop.IsCancellationRequested ? Abort : Stop;
        if (source.IsCancellationRequested)
        {
            return;
        }

        Console.Error.WriteLine(source == Stop
            ? "Stopping after the request in flight (Ctrl-C again to give it up at once)."
            : "Giving up the request in flight.");
        // Cancel on the thread pool: Cancel() would run the rest of the program inside this handler.
        _ = source.CancelAsync();
    }
}
