using Pipeline.Lambda.Runtime;
using Pipeline.Lambda.Storage;

namespace Pipeline.Evaluate;

/// <summary>
/// The process the managed <c>dotnet10</c> runtime starts for the handler string <c>Pipeline.Evaluate</c>
/// (<c>dotnet exec /var/task/Pipeline.Evaluate.dll</c>): it runs the Runtime API loop with one <see cref="Function"/>.
/// </summary>
internal static class Program
{
    private static Task<int> Main() => LambdaRuntime.RunAsync(CreateHandler);

    /// <summary>
    /// The function's initialisation: reads and checks the settings (a bad value fails initialisation, naming the
    /// variable), builds the S3 client once and creates the one <see cref="Function"/>.
    /// </summary>
    internal static LambdaHandler CreateHandler()
    {
        var configuration = EvaluateConfiguration.FromEnvironment(Environment.GetEnvironmentVariable);
        // Lives as long as the execution environment; the process ends without disposing it.
        var store = S3ObjectStore.FromEnvironment(Environment.GetEnvironmentVariable);
        // Console.Out is the runtime's JSON log by now (LambdaRuntime.RunAsync installed it).
        var function = new Function(configuration, store, TimeProvider.System, Console.Out);
        return (input, invocation) => new ValueTask<Stream>(function.HandleAsync(input, invocation.CancellationToken));
    }
}
