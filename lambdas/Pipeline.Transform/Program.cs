using Pipeline.Lambda.Runtime;

namespace Pipeline.Transform;

/// <summary>
/// The process the managed <c>dotnet10</c> runtime starts for the handler string <c>Pipeline.Transform</c>
/// (<c>dotnet exec /var/task/Pipeline.Transform.dll</c>): it runs the Runtime API loop with one <see cref="Function"/>.
/// </summary>
internal static class Program
{
    // Console.Out is the runtime's JSON log by the time the handler is created (LambdaRuntime.RunAsync installs it).
    private static Task<int> Main() => LambdaRuntime.RunAsync(() =>
    {
        var function = new Function(TimeProvider.System, Console.Out);
        return (input, _) => function.Handle(input);
    });
}
