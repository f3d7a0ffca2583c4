namespace Pipeline.Lambda.Runtime;

/// <summary>
/// Handles one invocation: reads the raw event payload and returns the raw response payload, which the runtime posts
/// to the Runtime API. An exception fails the invocation (the runtime posts it as an invocation error).
/// </summary>
/// <param name="input">The event payload as the Runtime API delivered it (seekable, read-only).</param>
/// <param name="invocation">The invocation's request id, deadline, trace id and function ARN.</param>
/// <returns>The response payload; read once, after the handler returns.</returns>
public delegate Stream LambdaHandler(Stream input, LambdaInvocation invocation);

/// <summary>
/// What the Runtime API tells about one invocation, from the headers of <c>GET /runtime/invocation/next</c>.
/// </summary>
public sealed class LambdaInvocation
{
    /// <summary>Creates the context of one invocation.</summary>
    /// <param name="requestId">The request id (<c>Lambda-Runtime-Aws-Request-Id</c>).</param>
    /// <param name="deadline">When the function times out (<c>Lambda-Runtime-Deadline-Ms</c>).</param>
    /// <param name="traceId">The X-Ray trace header (<c>Lambda-Runtime-Trace-Id</c>), if any.</param>
    /// <param name="invokedFunctionArn">The ARN the caller invoked (<c>Lambda-Runtime-Invoked-Function-Arn</c>).</param>
    public LambdaInvocation(string requestId, DateTimeOffset deadline, string? traceId, string invokedFunctionArn)
    {
        ArgumentException.ThrowIfNullOrEmpty(requestId);
        ArgumentNullException.ThrowIfNull(invokedFunctionArn);
        RequestId = requestId;
        Deadline = deadline;
        TraceId = traceId;
        InvokedFunctionArn = invokedFunctionArn;
    }

    /// <summary>The request id: the path segment of the response and error calls, and <c>requestId</c> in logs.</summary>
    public string RequestId { get; }

    /// <summary>When Lambda stops the invocation (UTC, millisecond precision).</summary>
    public DateTimeOffset Deadline { get; }

    /// <summary>The X-Ray tracing header for this invocation (also in <c>_X_AMZN_TRACE_ID</c>), or null.</summary>
    public string? TraceId { get; }

    /// <summary>The function ARN the caller invoked, with its version or alias qualifier if it used one.</summary>
    public string InvokedFunctionArn { get; }

    /// <summary>The time left before <see cref="Deadline"/> by <paramref name="clock"/> (negative once passed).</summary>
    /// <param name="clock">The clock to read now from.</param>
    public TimeSpan RemainingTime(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return Deadline - clock.GetUtcNow();
    }
}
