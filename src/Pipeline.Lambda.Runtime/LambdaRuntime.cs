using System.Globalization;

namespace Pipeline.Lambda.Runtime;

/// <summary>
/// The invocation loop of an executable-assembly Lambda function: the program's <c>Main</c> calls
/// <see cref="RunAsync"/>, which serves the documented Lambda Runtime API (2018-06-01) at
/// <c>AWS_LAMBDA_RUNTIME_API</c>.
/// </summary>
/// <remarks>
/// <para>
/// On the managed <c>dotnet10</c> runtime a handler string without <c>::</c> (here <c>Pipeline.Transform</c>) makes
/// the bootstrap run <c>dotnet exec /var/task/&lt;handler&gt;.dll</c>; that program is then the runtime. This loop:
/// creates the handler once (a failure posts <c>/runtime/init/error</c> and ends with exit code 1); then, forever,
/// <c>GET /runtime/invocation/next</c>, sets <c>_X_AMZN_TRACE_ID</c> from <c>Lambda-Runtime-Trace-Id</c>, calls the
/// handler and awaits it, and posts its result to <c>/runtime/invocation/{id}/response</c>. A handler exception is logged and
/// posted to <c>/runtime/invocation/{id}/error</c> (errorType, errorMessage, stackTrace and the
/// <c>Lambda-Runtime-Function-Error-Type</c> header), and the loop goes on; so does a response the API refuses as
/// too large (413), posted as the error <c>Function.ResponseSizeTooLarge</c>. Any other unexpected answer of the API
/// throws <see cref="LambdaRuntimeApiException"/> and ends the process, as the API asks.
/// </para>
/// <para>
/// Replaceable: this is the shape of <c>Amazon.Lambda.RuntimeSupport.LambdaBootstrap</c>, which this project cannot
/// use today (no <c>Amazon.Lambda.*</c> package is obtainable from its NuGet source). With that package, <c>Main</c>
/// becomes <c>new LambdaBootstrap(HandlerWrapper.GetHandlerWrapper((Stream input, ILambdaContext context) =&gt;
/// handler(input, …).AsTask()), initializer).RunAsync()</c>: the handler factory maps to the initializer, <see cref="LambdaInvocation"/>
/// to <c>ILambdaContext</c>, and <see cref="LambdaLogWriter"/> to the runtime's own JSON logger. No function code
/// below <c>Main</c> changes.
/// </para>
/// <para>
/// One invocation at a time (the on-demand model); no response streaming, no SnapStart hooks.
/// </para>
/// </remarks>
public static class LambdaRuntime
{
    /// <summary>The variable that holds the Runtime API's <c>host:port</c>.</summary>
    public const string RuntimeApiVariable = "AWS_LAMBDA_RUNTIME_API";

    /// <summary>The variable the X-Ray SDKs read the current trace header from.</summary>
    public const string TraceIdVariable = "_X_AMZN_TRACE_ID";

    /// <summary>The variable with the function's memory size in MB.</summary>
    public const string MemorySizeVariable = "AWS_LAMBDA_FUNCTION_MEMORY_SIZE";

    /// <summary>The error type posted when the Runtime API refuses a response as too large (Lambda's own name for it).</summary>
    public const string ResponseTooLargeErrorType = "Function.ResponseSizeTooLarge";

    /// <summary>
    /// Runs the function: creates the handler, then serves invocations until <paramref name="cancellationToken"/>
    /// is cancelled (in Lambda, never: the environment is frozen or stopped).
    /// </summary>
    /// <param name="createHandler">Creates the handler (the function's initialisation); called once.</param>
    /// <param name="options">Where the API is and where logs go; null for Lambda's environment and standard output.</param>
    /// <param name="cancellationToken">
    /// Stops the loop (for tests and tools); handlers see it as <see cref="LambdaInvocation.CancellationToken"/>, and an
    /// invocation it cancels ends the loop without an error post.
    /// </param>
    /// <returns>The process exit code: 1 when the handler could not be created, 0 when cancelled.</returns>
    /// <exception cref="LambdaRuntimeApiException">The Runtime API answered in a way the loop cannot continue from.</exception>
    public static async Task<int> RunAsync(
        Func<LambdaHandler> createHandler,
        LambdaRuntimeOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(createHandler);
        options ??= new LambdaRuntimeOptions();
        var api = options.RuntimeApi ?? Environment.GetEnvironmentVariable(RuntimeApiVariable);
        if (string.IsNullOrWhiteSpace(api))
        {
            throw new InvalidOperationException(
                $"{RuntimeApiVariable} is not set: this program is a Lambda function and runs inside Lambda's execution environment.");
        }

        var log = options.Log ?? RedirectConsole(options.TimeProvider);
        using var client = new RuntimeApiClient(api);

        LambdaHandler handler;
        try
        {
            ApplyMemoryLimit(log);
            handler = createHandler();
        }
        catch (Exception ex)
        {
            // Init errors are reported, then the process ends: Lambda serves the error to the first invoke.
            var error = LambdaError.From(ex);
            log.WriteEntry("FATAL", "Function initialisation failed: " + ex.Message, error);
            await client.PostInitErrorAsync(error, cancellationToken).ConfigureAwait(false);
            return 1;
        }

        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var (invocation, payload) = await client.NextAsync(cancellationToken).ConfigureAwait(false);
                await InvokeAsync(client, handler, invocation, payload, log, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped by the caller, possibly mid-call: a clean end.
        }

        return 0;
    }

    private static async Task InvokeAsync(
        RuntimeApiClient client,
        LambdaHandler handler,
        LambdaInvocation invocation,
        byte[] payload,
        LambdaLogWriter log,
        CancellationToken cancellationToken)
    {
        // One invocation at a time, so the process-wide variable is this invocation's (as the managed runtime does).
        Environment.SetEnvironmentVariable(TraceIdVariable, invocation.TraceId);
        log.RequestId = invocation.RequestId;
        log.TraceId = invocation.TraceId;
        try
        {
            Stream response;
            try
            {
                response = await handler(new MemoryStream(payload, writable: false), invocation).ConfigureAwait(false);
            }
            // A handler cancelled because the loop is stopping is not a failed invocation: the stop ends the loop quietly.
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var error = LambdaError.From(ex);
                log.WriteEntry("ERROR", "Invocation failed: " + ex.Message, error);
                await client.PostInvocationErrorAsync(invocation.RequestId, error, cancellationToken).ConfigureAwait(false);
                return;
            }

            var length = response.CanSeek ? response.Length - response.Position : -1;
            var refusal = await client.PostResponseAsync(invocation.RequestId, response, cancellationToken).ConfigureAwait(false);
            if (refusal is not null)
            {
                var size = length >= 0 ? length.ToString(CultureInfo.InvariantCulture) + "-byte " : string.Empty;
                var error = new LambdaError(
                    ResponseTooLargeErrorType,
                    $"The Runtime API refused the {size}response as too large (413): {refusal}",
                    []);
                log.WriteEntry("ERROR", error.ErrorMessage, error);
                await client.PostInvocationErrorAsync(invocation.RequestId, error, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            log.RequestId = null;
            log.TraceId = null;
        }
    }

    /// <summary>Routes <see cref="Console.Out"/> through a <see cref="LambdaLogWriter"/>, so every line is a JSON entry.</summary>
    private static LambdaLogWriter RedirectConsole(TimeProvider clock)
    {
        var log = new LambdaLogWriter(Console.Out, clock);
        Console.SetOut(log);
        return log;
    }

    /// <summary>
    /// Tells the GC the function's memory size: the runtime does not see Lambda's limit otherwise, and the managed
    /// runtime's bootstrap does the same. A failure is logged, not fatal.
    /// </summary>
    private static void ApplyMemoryLimit(LambdaLogWriter log)
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable(MemorySizeVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var megabytes)
            || megabytes <= 0)
        {
            return;
        }

        var bytes = (ulong)megabytes * 1024 * 1024;
        if ((ulong)GC.GetGCMemoryInfo().TotalAvailableMemoryBytes <= bytes)
        {
            return;
        }

        try
        {
            AppContext.SetData("GCHeapHardLimit", bytes);
            GC.RefreshMemoryLimit();
        }
        catch (InvalidOperationException ex)
        {
            log.WriteEntry("WARN", $"Could not set the GC heap limit to {megabytes} MB: {ex.Message}");
        }
    }
}
