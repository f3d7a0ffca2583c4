using System.Net;
using System.Text;
using System.Text.Json;
using Pipeline.Testing;

namespace Pipeline.Lambda.Runtime.Tests;

public sealed class LambdaRuntimeTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 20, 0, 0, 123, TimeSpan.Zero);

    private readonly FakeRuntimeApi _api = new();
    private readonly StringWriter _logSink = new() { NewLine = "\n" };
    private readonly CancellationTokenSource _stop = new();

    public void Dispose()
    {
        _stop.Cancel();
        _api.Dispose();
        _stop.Dispose();
    }

    private static LambdaHandler Echo => (input, _) => ValueTask.FromResult(input);

    private Task<int> Run(Func<LambdaHandler> createHandler) =>
        LambdaRuntime.RunAsync(
            createHandler,
            new LambdaRuntimeOptions { RuntimeApi = _api.HostAndPort, Log = new LambdaLogWriter(_logSink, new FixedClock(Now)) },
            _stop.Token);

    /// <summary>Serves <paramref name="events"/> and returns the requests up to the last event's POST (GETs skipped).</summary>
    private async Task<List<RecordedRequest>> Serve(LambdaHandler handler, params FakeEvent[] events)
    {
        var run = Run(() => handler);
        var posts = new List<RecordedRequest>();
        foreach (var invocation in events)
        {
            _api.Enqueue(invocation);
            Assert.Equal("GET", (await _api.NextRequestAsync(Wait)).Method);
            posts.Add(await _api.NextPostAsync(Wait));
        }

        // The loop is waiting for the next event: stop it.
        Assert.Equal("GET", (await _api.NextRequestAsync(Wait)).Method);
        await _stop.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(Wait));
        return posts;
    }

    [Fact]
    public async Task RunAsync_Invocation_PostsTheHandlersOutputToTheResponsePath()
    {
        var posts = await Serve((input, _) => ValueTask.FromResult<Stream>(new MemoryStream([.. "echo:"u8, .. ReadAll(input)])), new FakeEvent("req-1", "{\"a\":1}"u8.ToArray()));

        var post = Assert.Single(posts);
        Assert.Equal("/2018-06-01/runtime/invocation/req-1/response", post.Path);
        Assert.Equal("echo:{\"a\":1}", post.BodyText);
        Assert.Equal("12", post.Header("Content-Length"));
    }

    [Fact]
    public async Task RunAsync_Invocation_FirstCallIsGetNext()
    {
        var run = Run(() => Echo);

        var first = await _api.NextRequestAsync(Wait);

        Assert.Equal(("GET", "/2018-06-01/runtime/invocation/next"), (first.Method, first.Path));
        await _stop.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(Wait));
    }

    [Fact]
    public async Task RunAsync_Invocation_PassesTheHeadersAsContext()
    {
        LambdaInvocation? seen = null;

        await Serve((input, invocation) => { seen = invocation; return ValueTask.FromResult(input); }, new FakeEvent("req-ctx", []));

        Assert.NotNull(seen);
        Assert.Equal("req-ctx", seen.RequestId);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(FakeEvent.DefaultDeadlineMs), seen.Deadline);
        Assert.Equal(FakeEvent.DefaultTraceId, seen.TraceId);
        Assert.Equal(FakeEvent.DefaultFunctionArn, seen.InvokedFunctionArn);
    }

    [Fact]
    public async Task RunAsync_InvocationWithTraceId_SetsTraceIdVariableDuringTheHandler()
    {
        string? seen = null;

        await Serve((input, _) => { seen = Environment.GetEnvironmentVariable("_X_AMZN_TRACE_ID"); return ValueTask.FromResult(input); }, new FakeEvent("req-1", []));

        Assert.Equal(FakeEvent.DefaultTraceId, seen);
    }

    [Fact]
    public async Task RunAsync_InvocationWithoutTraceId_ClearsThePreviousTraceId()
    {
        var seen = new List<string?>();

        await Serve(
            (input, _) => { seen.Add(Environment.GetEnvironmentVariable("_X_AMZN_TRACE_ID")); return ValueTask.FromResult(input); },
            new FakeEvent("req-1", []),
            new FakeEvent("req-2", [], TraceId: null));

        Assert.Equal([FakeEvent.DefaultTraceId, null], seen);
    }

    [Fact]
    public async Task RunAsync_HandlerThrows_PostsTheErrorToTheErrorPath()
    {
        var posts = await Serve((_, _) => throw new InvalidOperationException("Boom \"quoted\"."), new FakeEvent("req-1", []));

        var post = Assert.Single(posts);
        Assert.Equal("/2018-06-01/runtime/invocation/req-1/error", post.Path);
        Assert.Equal("InvalidOperationException", post.Header("Lambda-Runtime-Function-Error-Type"));
        Assert.Equal("application/vnd.aws.lambda.error+json", post.Header("Content-Type"));
        using var body = JsonDocument.Parse(post.Body);
        Assert.Equal(["errorMessage", "errorType", "stackTrace"], body.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Boom \"quoted\".", body.RootElement.GetProperty("errorMessage").GetString());
        Assert.Equal("InvalidOperationException", body.RootElement.GetProperty("errorType").GetString());
        var frames = body.RootElement.GetProperty("stackTrace").EnumerateArray().Select(f => f.GetString()!).ToList();
        Assert.NotEmpty(frames);
        Assert.All(frames, frame => Assert.StartsWith("at ", frame, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_HandlerCompletesLater_PostsItsResult()
    {
        var posts = await Serve(
            async (input, _) =>
            {
                await Task.Yield();
                return input;
            },
            new FakeEvent("req-1", "later"u8.ToArray()));

        var post = Assert.Single(posts);
        Assert.Equal(("/2018-06-01/runtime/invocation/req-1/response", "later"), (post.Path, post.BodyText));
    }

    [Fact]
    public async Task RunAsync_HandlerFailsAfterAwaiting_PostsTheErrorToTheErrorPath()
    {
        var posts = await Serve(
            async (_, _) =>
            {
                await Task.Yield();
                throw new FormatException("late");
            },
            new FakeEvent("req-1", []));

        var post = Assert.Single(posts);
        Assert.Equal(
            ("/2018-06-01/runtime/invocation/req-1/error", "FormatException"),
            (post.Path, post.Header("Lambda-Runtime-Function-Error-Type")));
    }

    [Fact]
    public async Task RunAsync_StoppedDuringAnInvocation_CancelsTheHandlersTokenAndEndsWithoutPosting()
    {
        var started = new TaskCompletionSource();
        var run = Run(() => async (input, invocation) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, invocation.CancellationToken);
            return input;
        });
        _api.Enqueue(new FakeEvent("req-1", []));
        await _api.NextRequestAsync(Wait);
        await started.Task.WaitAsync(Wait);

        await _stop.CancelAsync();

        Assert.Equal(0, await run.WaitAsync(Wait));
        Assert.Equal(string.Empty, _logSink.ToString());
        await Assert.ThrowsAsync<TimeoutException>(() => _api.NextRequestAsync(TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public async Task RunAsync_HandlerThrows_ServesTheNextInvocation()
    {
        var calls = 0;

        var posts = await Serve(
            (input, _) => ++calls == 1 ? throw new InvalidOperationException("first fails") : ValueTask.FromResult(input),
            new FakeEvent("req-1", []),
            new FakeEvent("req-2", "ok"u8.ToArray()));

        Assert.Equal(
            ["/2018-06-01/runtime/invocation/req-1/error", "/2018-06-01/runtime/invocation/req-2/response"],
            posts.Select(p => p.Path));
        Assert.Equal("ok", posts[1].BodyText);
    }

    [Fact]
    public async Task RunAsync_HandlerThrows_LogsOneErrorEntryWithTheRequestId()
    {
        await Serve((_, _) => throw new FormatException("bad input"), new FakeEvent("req-9", []));

        var line = Assert.Single(_logSink.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var entry = JsonDocument.Parse(line);
        Assert.Equal(
            ["timestamp", "requestId", "traceId", "level", "message", "errorMessage", "errorType", "stackTrace"],
            entry.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("2026-11-29T20:00:00.123Z", entry.RootElement.GetProperty("timestamp").GetString());
        Assert.Equal("req-9", entry.RootElement.GetProperty("requestId").GetString());
        Assert.Equal("ERROR", entry.RootElement.GetProperty("level").GetString());
        Assert.Equal("Invocation failed: bad input", entry.RootElement.GetProperty("message").GetString());
        Assert.Equal("FormatException", entry.RootElement.GetProperty("errorType").GetString());
    }

    [Fact]
    public async Task RunAsync_ResponseRefusedAsTooLarge_PostsResponseSizeTooLargeError()
    {
        _api.RefuseResponses = true;
        var run = Run(() => (_, _) => ValueTask.FromResult<Stream>(new MemoryStream(new byte[1000])));
        _api.Enqueue(new FakeEvent("req-big", []));
        await _api.NextRequestAsync(Wait);

        var refused = await _api.NextPostAsync(Wait);
        var error = await _api.NextPostAsync(Wait);

        Assert.Equal("/2018-06-01/runtime/invocation/req-big/response", refused.Path);
        Assert.Equal("/2018-06-01/runtime/invocation/req-big/error", error.Path);
        Assert.Equal("Function.ResponseSizeTooLarge", error.Header("Lambda-Runtime-Function-Error-Type"));
        Assert.Equal(
            "{\"errorMessage\":\"The Runtime API refused the 1000-byte response as too large (413): Response payload size exceeded maximum allowed payload size (6291556 bytes).\"," +
            "\"errorType\":\"Function.ResponseSizeTooLarge\",\"stackTrace\":[]}",
            error.BodyText);
        await _api.NextRequestAsync(Wait);
        await _stop.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(Wait));
    }

    [Fact]
    public async Task RunAsync_ResponseRefusedAsTooLarge_ServesTheNextInvocation()
    {
        _api.RefuseResponses = true;
        var run = Run(() => Echo);
        _api.Enqueue(new FakeEvent("req-1", []));
        await _api.NextRequestAsync(Wait);
        await _api.NextPostAsync(Wait);
        await _api.NextPostAsync(Wait);

        var next = await _api.NextRequestAsync(Wait);

        Assert.Equal(("GET", "/2018-06-01/runtime/invocation/next"), (next.Method, next.Path));
        await _stop.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(Wait));
    }

    [Fact]
    public async Task RunAsync_HandlerFactoryThrows_PostsInitErrorAndReturnsOne()
    {
        var run = Run(() => throw new ArgumentOutOfRangeException("MaxRejectionLogLines", -1, "must be 0 or more."));

        var post = await _api.NextRequestAsync(Wait);

        Assert.Equal(1, await run.WaitAsync(Wait));
        Assert.Equal(("POST", "/2018-06-01/runtime/init/error"), (post.Method, post.Path));
        Assert.Equal("ArgumentOutOfRangeException", post.Header("Lambda-Runtime-Function-Error-Type"));
        using var body = JsonDocument.Parse(post.Body);
        Assert.Equal(
            "must be 0 or more. (Parameter 'MaxRejectionLogLines')\nActual value was -1.",
            body.RootElement.GetProperty("errorMessage").GetString());
    }

    [Fact]
    public async Task RunAsync_HandlerFactoryThrows_LogsAFatalEntry()
    {
        var run = Run(() => throw new InvalidOperationException("no config"));
        await _api.NextRequestAsync(Wait);
        await run.WaitAsync(Wait);

        using var entry = JsonDocument.Parse(_logSink.ToString());

        Assert.Equal(
            ("FATAL", "Function initialisation failed: no config", false),
            (entry.RootElement.GetProperty("level").GetString(), entry.RootElement.GetProperty("message").GetString(),
             entry.RootElement.TryGetProperty("requestId", out _)));
    }

    [Fact]
    public async Task RunAsync_NextAnswers500_ThrowsRuntimeApiException()
    {
        var run = Run(() => Echo);
        _api.Enqueue(new FakeEvent("req-1", [], Status: 500));

        var ex = await Assert.ThrowsAsync<LambdaRuntimeApiException>(() => run.WaitAsync(Wait));

        Assert.Equal(HttpStatusCode.InternalServerError, ex.StatusCode);
        Assert.Equal("GET /runtime/invocation/next: the Runtime API answered 500 Internal Server Error.", ex.Message);
    }

    [Fact]
    public async Task RunAsync_NoRuntimeApi_Throws()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(
            () => LambdaRuntime.RunAsync(() => Echo, new LambdaRuntimeOptions { RuntimeApi = " ", Log = new LambdaLogWriter(TextWriter.Null, TimeProvider.System) }));

        Assert.Equal(
            "AWS_LAMBDA_RUNTIME_API is not set: this program is a Lambda function and runs inside Lambda's execution environment.",
            ex.Message);
    }

    [Fact]
    public void RemainingTime_BeforeTheDeadline_IsTheDifference()
    {
        var invocation = new LambdaInvocation("r", Now.AddSeconds(3), null, "arn");

        Assert.Equal(TimeSpan.FromSeconds(3), invocation.RemainingTime(new FixedClock(Now)));
    }

    private static byte[] ReadAll(Stream stream)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
