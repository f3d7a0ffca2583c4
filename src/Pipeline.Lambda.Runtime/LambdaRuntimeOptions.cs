namespace Pipeline.Lambda.Runtime;

/// <summary>Settings of <see cref="LambdaRuntime.RunAsync"/>; the defaults are those of a function in Lambda.</summary>
public sealed class LambdaRuntimeOptions
{
    /// <summary>The Runtime API's <c>host:port</c>; null to read <c>AWS_LAMBDA_RUNTIME_API</c>.</summary>
    public string? RuntimeApi { get; init; }

    /// <summary>
    /// The log; null to wrap the process's standard output in a <see cref="LambdaLogWriter"/> and install it as
    /// <see cref="Console.Out"/>, so that everything the function writes to the console is a JSON entry.
    /// </summary>
    public LambdaLogWriter? Log { get; init; }

    /// <summary>The clock for log timestamps when <see cref="Log"/> is null.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
