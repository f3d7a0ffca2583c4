namespace Pipeline.Lambda.Runtime;

/// <summary>
/// Handles one invocation: reads the raw event payload and returns the raw response payload, which the runtime posts
/// to the Runtime API. An exception fails the invocation (the runtime posts it as an invocation error). A CPU-bound
/// handler returns a completed task (<see cref="ValueTask.FromResult{TResult}(TResult)"/>); one that calls other
/// services awaits them with <see cref="LambdaInvocation.CancellationToken"/>.
/// </summary>
/// <param name="input">The event payload as the Runtime API delivered it (seekable, read-only).</param>
/// <param name="invocation">The invocation's request id, deadline, trace id, function ARN and cancellation token.</param>
/// <returns>The response payload; read once, after the task completes.</returns>
public delegate ValueTask<Stream> LambdaHandler(Stream input, LambdaInvocation invocation);

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
    /// <param name="cancellationToken">Cancelled when the runtime is stopped (see <see cref="CancellationToken"/>).</param>
    public LambdaInvocation(
        string requestId, DateTimeOffset deadline, string? traceId, string invokedFunctionArn, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(requestId);
        ArgumentNullException.ThrowIfNull(invokedFunctionArn);
        RequestId = requestId;
        Deadline = deadline;
        TraceId = traceId;
        InvokedFunctionArn = invokedFunctionArn;
        CancellationToken = cancellationToken;
    }

    /// <summary>The request id: the path segment of the response and error calls, and <c>requestId</c> in logs.</summary>
    public string RequestId { get; }

    /// <summary>When Lambda stops the invocation (UTC, millisecond precision).</summary>
    public DateTimeOffset Deadline { get; }

    /// <summary>The X-Ray tracing header for this invocation (also in <c>_X_AMZN_TRACE_ID</c>), or null.</summary>
    public string? TraceId { get; }

    /// <summary>The function ARN the caller invoked, with its version or alias qualifier if it used one.</summary>
    public string InvokedFunctionArn { get; }

    /// <summary>
    /// The token the handler passes to what it awaits: cancelled when the runtime loop is stopped (the token given to
    /// <see cref="LambdaRuntime.RunAsync"/>). It does not fire at <see cref="Deadline"/>: Lambda ends a timed-out
    /// invocation itself, and the deadline is another machine's clock, so a local timer could only cut work short.
    /// </summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>The time left before <see cref="Deadline"/> by <paramref name="clock"/> (negative once passed).</summary>
    /// <param name="clock">The clock to read now from.</param>
    public TimeSpan RemainingTime(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return Deadline - clock.GetUtcNow();
    }
}
