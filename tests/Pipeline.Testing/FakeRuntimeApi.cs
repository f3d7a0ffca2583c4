using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace Pipeline.Testing;

/// <summary>One event the fake Runtime API hands out on <c>GET /runtime/invocation/next</c>.</summary>
public sealed record FakeEvent(
    string RequestId,
    byte[] Body,
    long DeadlineMs = FakeEvent.DefaultDeadlineMs,
    string? TraceId = FakeEvent.DefaultTraceId,
    string FunctionArn = FakeEvent.DefaultFunctionArn,
    int Status = 200)
{
    public const long DefaultDeadlineMs = 1795262190123;
    public const string DefaultTraceId = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
    public const string DefaultFunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:mlpipe-sandbox-transform";
}

/// <summary>A request the fake Runtime API received.</summary>
public sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string BodyText => Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// A stand-in for the Lambda Runtime API on 127.0.0.1 (a free port, loopback only), for tests of a runtime loop
/// in-process or in a started <c>dotnet exec</c> process. <c>GET /2018-06-01/runtime/invocation/next</c> waits for an
/// event from <see cref="Enqueue"/>; POSTs to the response, error and init-error paths are answered 202 (a response
/// 413 while <see cref="RefuseResponses"/> is set). Every request is recorded, in order. Disposing stops it.
/// </summary>
public sealed class FakeRuntimeApi : IDisposable
{
    /// <summary>The body of a 413, as Lambda writes it.</summary>
    public const string TooLargeBody =
        "{\"errorMessage\":\"Response payload size exceeded maximum allowed payload size (6291556 bytes).\",\"errorType\":\"Function.ResponseSizeTooLarge\"}";

    private readonly HttpListener _listener = new();
    private readonly Channel<FakeEvent> _events = Channel.CreateUnbounded<FakeEvent>();
    private readonly Channel<RecordedRequest> _requests = Channel.CreateUnbounded<RecordedRequest>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;

    public FakeRuntimeApi()
    {
        // A port the OS reports free on the loopback interface; the listener binds 127.0.0.1 only.
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public int Port { get; }

    /// <summary>The value of <c>AWS_LAMBDA_RUNTIME_API</c>.</summary>
    public string HostAndPort => $"127.0.0.1:{Port}";

    /// <summary>When set, <c>POST …/response</c> is answered 413 with <see cref="TooLargeBody"/>.</summary>
    public bool RefuseResponses { get; set; }

    public void Enqueue(FakeEvent invocation) => _events.Writer.TryWrite(invocation);

    /// <summary>The next request received, in order; fails after <paramref name="timeout"/>.</summary>
    public async Task<RecordedRequest> NextRequestAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            return await _requests.Reader.ReadAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No request reached the fake Runtime API within {timeout}.");
        }
    }

    /// <summary>The next request, which must be a POST (skipping nothing); fails on any other.</summary>
    public async Task<RecordedRequest> NextPostAsync(TimeSpan timeout)
    {
        var request = await NextRequestAsync(timeout);
        return request.Method == "POST"
            ? request
            : throw new InvalidOperationException($"Expected a POST; the fake Runtime API received {request.Method} {request.Path}.");
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _listener.Close();
        try
        {
            _serving.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The serving loop ends with the listener's ObjectDisposedException or HttpListenerException.
        }

        _stop.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            // One task per request: a GET next waits for an event while others may come in.
            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        using var body = new MemoryStream();
        await request.InputStream.CopyToAsync(body);
        var headers = request.Headers.AllKeys
            .Where(k => k is not null)
            .ToDictionary(k => k!, k => request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
        _requests.Writer.TryWrite(new RecordedRequest(request.HttpMethod, request.RawUrl ?? string.Empty, headers, body.ToArray()));

        var response = context.Response;
        try
        {
            if (request.HttpMethod == "GET" && request.RawUrl == "/2018-06-01/runtime/invocation/next")
            {
                var next = await _events.Reader.ReadAsync(_stop.Token);
                response.StatusCode = next.Status;
                response.Headers["Lambda-Runtime-Aws-Request-Id"] = next.RequestId;
                response.Headers["Lambda-Runtime-Deadline-Ms"] = next.DeadlineMs.ToString(CultureInfo.InvariantCulture);
                response.Headers["Lambda-Runtime-Invoked-Function-Arn"] = next.FunctionArn;
                if (next.TraceId is not null)
                {
                    response.Headers["Lambda-Runtime-Trace-Id"] = next.TraceId;
                }

                Write(response, next.Body);
            }
            else if (request.HttpMethod == "POST" && RefuseResponses && request.RawUrl!.EndsWith("/response", StringComparison.Ordinal))
            {
                response.StatusCode = 413;
                Write(response, Encoding.UTF8.GetBytes(TooLargeBody));
            }
            else if (request.HttpMethod == "POST")
            {
                response.StatusCode = 202;
                Write(response, "{\"status\":\"OK\"}"u8.ToArray());
            }
            else
            {
                response.StatusCode = 404;
                Write(response, []);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpListenerException or ObjectDisposedException)
        {
            // Stopped while a GET next was waiting, or the client went away.
            response.Abort();
        }
    }

    private static void Write(HttpListenerResponse response, byte[] body)
    {
        response.ContentType = "application/json";
        response.ContentLength64 = body.Length;
        response.OutputStream.Write(body);
        response.Close();
    }
}
