using Pipeline.Lambda.Runtime;

namespace Pipeline.EmptyFunction;

/// <summary>A Lambda function that answers every invocation with its input, through the same loop as the transform.</summary>
internal static class Program
{
    private static Task<int> Main() => LambdaRuntime.RunAsync(() => (input, _) => ValueTask.FromResult(input));
}
