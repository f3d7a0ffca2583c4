using System.Globalization;
using Pipeline.Ingestion;
using Pipeline.Lambda.Runtime;

namespace Pipeline.Transform;

/// <summary>
/// The process the managed <c>dotnet10</c> runtime starts for the handler string <c>Pipeline.Transform</c>
/// (<c>dotnet exec /var/task/Pipeline.Transform.dll</c>): it runs the Runtime API loop with one <see cref="Function"/>.
/// </summary>
internal static class Program
{
    /// <summary>
    /// Optional: the most rejection log lines per invocation (a whole number, 0 or more; default
    /// <see cref="FirehoseTransformerOptions.DefaultMaxRejectionLogLines"/>). A bad value fails initialisation.
    /// </summary>
    internal const string MaxRejectionLogLinesVariable = "PIPELINE_MAX_REJECTION_LOG_LINES";

    private static Task<int> Main() => LambdaRuntime.RunAsync(CreateHandler);

    /// <summary>The function's initialisation: reads its settings and creates the one <see cref="Function"/>.</summary>
    internal static LambdaHandler CreateHandler()
    {
        // Console.Out is the runtime's JSON log by now (LambdaRuntime.RunAsync installed it).
        var function = new Function(TimeProvider.System, Console.Out, OptionsFromEnvironment());
        return (input, _) => function.Handle(input);
    }

    internal static FirehoseTransformerOptions OptionsFromEnvironment()
    {
        var text = Environment.GetEnvironmentVariable(MaxRejectionLogLinesVariable);
        if (string.IsNullOrEmpty(text))
        {
            return new FirehoseTransformerOptions();
        }

        // Parsed with a sign allowed, so that "-1" reaches the options' own range check and its message.
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var lines))
        {
            throw new FormatException($"{MaxRejectionLogLinesVariable} is '{text}'; expected a whole number, 0 or more.");
        }

        return new FirehoseTransformerOptions { MaxRejectionLogLines = lines };
    }
}
