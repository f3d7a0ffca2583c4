using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Pipeline.Producer.Tests.Support;

/// <summary>What the proxy does with one Kinesis call.</summary>
public abstract record Fault
{
    /// <summary>Forwards the call and returns the answer.</summary>
    public static Fault None { get; } = new Forward();

    /// <summary>Forwards the call and returns kinesalite's answer as it is.</summary>
    public sealed record Forward : Fault;

    /// <summary>
    /// Writes only the records not chosen by <paramref name="Fails"/> and answers with per-entry failures for the others,
    /// as Kinesis does; <paramref name="ReportedFailedCount"/> overrides the answer's FailedRecordCount.
    /// </summary>
    public sealed record Entries(string Code, Func<int, bool> Fails, int? ReportedFailedCount = null) : Fault;

    /// <summary>Answers with a status and body without writing anything, or after writing when <paramref name="AfterWriting"/>.</summary>
    public sealed record Answer(int Status, string ContentType, string Body, bool AfterWriting = false) : Fault;

    /// <summary>Writes, then answers only after <paramref name="Delay"/> (the client has given up by then).</summary>
    public sealed record Late(TimeSpan Delay) : Fault;

    /// <summary>Reads the request and never answers, nor closes the connection.</summary>
    public sealed record Silent : Fault;

    /// <summary>Closes the connection without writing (<paramref name="AfterWriting"/> false) or after writing.</summary>
    public sealed record Drop(bool AfterWriting) : Fault;

    /// <summary>Kinesis's JSON error, e.g. ("ExpiredTokenException", 400).</summary>
    public static Fault Error(string type, int status = 400) =>
        new Answer(status, "application/x-amz-json-1.1", $$"""{"__type":"{{type}}","message":"{{type}} (injected)"}""");
}

/// <summary>
/// An HTTP/1.1 proxy on 127.0.0.1 in front of kinesalite that injects faults into the producer's Kinesis calls: per-entry
/// failures, error answers, late and missing answers, dropped connections, answers that are not Kinesis's. The plan
/// decides per call, from the call's action and the number of PutRecords calls before it.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Uri _upstream;
    private readonly Func<string, int, Fault> _plan;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<TcpClient> _held = [];
    private readonly Task _accepting;
    private int _putRecordsCalls;

    /// <summary>Starts the proxy in front of <paramref name="upstream"/>.</summary>
    /// <param name="upstream">kinesalite's endpoint.</param>
    /// <param name="plan">The fault for a call: its action (e.g. <c>PutRecords</c>) and how many PutRecords calls came before it.</param>
    public FaultProxy(Uri upstream, Func<string, int, Fault> plan)
    {
        _upstream = upstream;
        _plan = plan;
        _listener.Start();
        Endpoint = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _accepting = AcceptAsync();
    }

    /// <summary>Where the producer sends.</summary>
    public Uri Endpoint { get; }

    /// <summary>PutRecords calls received.</summary>
    public int PutRecordsCalls => Volatile.Read(ref _putRecordsCalls);

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        var keep = false;
        try
        {
            var stream = client.GetStream();
            while (await ReadRequestAsync(stream) is { } request)
            {
                var action = request.Target[(request.Target.IndexOf('.', StringComparison.Ordinal) + 1)..];
                var fault = _plan(action, action == "PutRecords" ? Interlocked.Increment(ref _putRecordsCalls) - 1 : PutRecordsCalls);
                switch (fault)
                {
                    case Fault.Silent:
                        lock (_held)
                        {
                            _held.Add(client);
                        }

                        keep = true;
                        return;
                    case Fault.Drop drop:
                        if (drop.AfterWriting)
                        {
                            _ = await ForwardAsync(request, request.Body);
                        }

                        return;
                    case Fault.Answer answer:
                        if (answer.AfterWriting)
                        {
                            _ = await ForwardAsync(request, request.Body);
                        }

                        await WriteAsync(stream, answer.Status, answer.ContentType, Encoding.UTF8.GetBytes(answer.Body));
                        break;
                    case Fault.Late late:
                        var (status, body) = await ForwardAsync(request, request.Body);
                        await Task.Delay(late.Delay, _stopping.Token);
                        await WriteAsync(stream, status, "application/x-amz-json-1.1", body);
                        break;
                    case Fault.Entries entries:
                        await WriteAsync(stream, 200, "application/x-amz-json-1.1", await PartlyAsync(request, entries));
                        break;
                    default:
                        var (forwardedStatus, forwardedBody) = await ForwardAsync(request, request.Body);
                        await WriteAsync(stream, forwardedStatus, "application/x-amz-json-1.1", forwardedBody);
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            if (!keep)
            {
                client.Dispose();
            }
        }
    }

    // Writes the records the plan lets through and answers for all of them in request order, as Kinesis does.
    private async Task<byte[]> PartlyAsync(Request request, Fault.Entries entries)
    {
        var body = JsonNode.Parse(request.Body)!.AsObject();
        var records = body["Records"]!.AsArray();
        var failing = Enumerable.Range(0, records.Count).Where(entries.Fails).ToHashSet();
        var kept = new JsonArray([.. records.Where((_, i) => !failing.Contains(i)).Select(r => r!.DeepClone())]);
        var written = new Queue<JsonNode?>();
        if (kept.Count > 0)
        {
            var forwarded = new JsonObject { ["StreamName"] = body["StreamName"]!.DeepClone(), ["Records"] = kept };
            var (_, answer) = await ForwardAsync(request, Encoding.UTF8.GetBytes(forwarded.ToJsonString()));
            foreach (var entry in JsonNode.Parse(answer)!["Records"]!.AsArray())
            {
                written.Enqueue(entry!.DeepClone());
            }
        }

        var result = new JsonArray();
        for (var i = 0; i < records.Count; i++)
        {
            result.Add(failing.Contains(i)
                ? new JsonObject { ["ErrorCode"] = entries.Code, ["ErrorMessage"] = $"{entries.Code} (injected)" }
                : written.Dequeue());
        }

        return Encoding.UTF8.GetBytes(new JsonObject
        {
            ["FailedRecordCount"] = entries.ReportedFailedCount ?? failing.Count,
            ["Records"] = result,
        }.ToJsonString());
    }

    private async Task<(int Status, byte[] Body)> ForwardAsync(Request request, byte[] body)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, _upstream) { Content = new ByteArrayContent(body) };
        foreach (var (name, value) in request.Headers)
        {
            if (name is not ("host" or "content-length" or "content-type" or "connection"))
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        message.Content.Headers.TryAddWithoutValidation("Content-Type", request.Headers.GetValueOrDefault("content-type", "application/x-amz-json-1.1"));
        using var response = await _http.SendAsync(message, _stopping.Token);
        return ((int)response.StatusCode, await response.Content.ReadAsByteArrayAsync(_stopping.Token));
    }

    private static async Task WriteAsync(NetworkStream stream, int status, string contentType, byte[] body)
    {
        var head = $"HTTP/1.1 {status} {(status == 200 ? "OK" : "Error")}\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\nx-amzn-RequestId: proxy\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(body);
    }

    private sealed record Request(string Target, Dictionary<string, string> Headers, byte[] Body);

    // One HTTP/1.1 request with a Content-Length body (what HttpClient sends the producer's calls as), or null at the end.
    private static async Task<Request?> ReadRequestAsync(NetworkStream stream)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (!(head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
        {
            if (await stream.ReadAsync(one) == 0)
            {
                return null;
            }

            head.Add(one[0]);
        }

        var lines = Encoding.ASCII.GetString([.. head]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim().ToLowerInvariant(), p => p[1].Trim());
        var body = new byte[int.Parse(headers.GetValueOrDefault("content-length", "0"), System.Globalization.CultureInfo.InvariantCulture)];
        await stream.ReadExactlyAsync(body);
        return new Request(headers.GetValueOrDefault("x-amz-target", string.Empty), headers, body);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _accepting;
        lock (_held)
        {
            _held.ForEach(c => c.Dispose());
        }

        _http.Dispose();
        _stopping.Dispose();
    }
}
