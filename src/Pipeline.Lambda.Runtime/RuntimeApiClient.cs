using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Pipeline.Lambda.Runtime;

/// <summary>
/// The four calls of the Lambda Runtime API (version 2018-06-01) that a function runtime needs, over plain HTTP to
/// the <c>host:port</c> in <c>AWS_LAMBDA_RUNTIME_API</c>.
/// </summary>
/// <remarks>
/// The API is on the execution environment's loopback interface: no proxy is used (an <c>HTTP_PROXY</c> in the
/// function's environment must not capture it) and there is no request timeout, because
/// <c>GET /runtime/invocation/next</c> blocks until the next event arrives, which can be much later.
/// </remarks>
internal sealed class RuntimeApiClient : IDisposable
{
    public const string RequestIdHeader = "Lambda-Runtime-Aws-Request-Id";
    public const string DeadlineHeader = "Lambda-Runtime-Deadline-Ms";
    public const string TraceIdHeader = "Lambda-Runtime-Trace-Id";
    public const string FunctionArnHeader = "Lambda-Runtime-Invoked-Function-Arn";
    public const string ErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";
    public const string ErrorContentType = "application/vnd.aws.lambda.error+json";

    private readonly HttpClient _http;

    public RuntimeApiClient(string hostAndPort)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(hostAndPort);
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        _http = new HttpClient(handler)
        {
            BaseAddress = new Uri("http://" + hostAndPort + "/2018-06-01/runtime/"),
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary><c>GET /runtime/invocation/next</c>: waits for the next event; returns its context and payload.</summary>
    public async Task<(LambdaInvocation Invocation, byte[] Payload)> NextAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync("invocation/next", cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw Unexpected("GET /runtime/invocation/next", response);
        }

        var requestId = Header(response, RequestIdHeader)
            ?? throw new LambdaRuntimeApiException($"GET /runtime/invocation/next: no {RequestIdHeader} header.");
        var deadlineText = Header(response, DeadlineHeader);
        if (!long.TryParse(deadlineText, NumberStyles.None, CultureInfo.InvariantCulture, out var deadlineMs))
        {
            throw new LambdaRuntimeApiException(
                $"GET /runtime/invocation/next: {DeadlineHeader} is '{deadlineText}', not milliseconds since the Unix epoch.");
        }

        var invocation = new LambdaInvocation(
            requestId,
            DateTimeOffset.FromUnixTimeMilliseconds(deadlineMs),
            Header(response, TraceIdHeader),
            Header(response, FunctionArnHeader) ?? string.Empty,
            cancellationToken);
        var payload = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return (invocation, payload);
    }

    /// <summary>
    /// <c>POST /runtime/invocation/{id}/response</c>. Returns null when accepted, or the API's reason when it refused
    /// the payload as too large (413), which the caller turns into an invocation error. The payload stream is disposed
    /// once sent.
    /// </summary>
    public async Task<string?> PostResponseAsync(string requestId, Stream payload, CancellationToken cancellationToken)
    {
        using var content = new StreamContent(payload);
        if (payload.CanSeek)
        {
            // A known length is sent as Content-Length instead of chunked encoding.
            content.Headers.ContentLength = payload.Length - payload.Position;
        }

        using var response = await _http.PostAsync(InvocationPath(requestId, "response"), content, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.RequestEntityTooLarge)
        {
            return await ErrorMessageOf(response, cancellationToken).ConfigureAwait(false);
        }

        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw Unexpected($"POST /runtime/invocation/{requestId}/response", response);
        }

        return null;
    }

    /// <summary><c>POST /runtime/invocation/{id}/error</c>: fails the invocation with <paramref name="error"/>.</summary>
    public Task PostInvocationErrorAsync(string requestId, LambdaError error, CancellationToken cancellationToken) =>
        PostErrorAsync(InvocationPath(requestId, "error"), error, cancellationToken);

    /// <summary><c>POST /runtime/init/error</c>: reports that the function could not start.</summary>
    public Task PostInitErrorAsync(LambdaError error, CancellationToken cancellationToken) =>
        PostErrorAsync("init/error", error, cancellationToken);

    public void Dispose() => _http.Dispose();

    private async Task PostErrorAsync(string path, LambdaError error, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(error.ToJson());
        content.Headers.ContentType = new MediaTypeHeaderValue(ErrorContentType);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.TryAddWithoutValidation(ErrorTypeHeader, error.ErrorType);
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw Unexpected("POST /runtime/" + path, response);
        }
    }

    private static string InvocationPath(string requestId, string call) =>
        "invocation/" + Uri.EscapeDataString(requestId) + "/" + call;

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    /// <summary>The <c>errorMessage</c> of an ErrorResponse body, or the body itself when it is not one.</summary>
    private static async Task<string> ErrorMessageOf(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (JsonSerializer.Deserialize(body, RuntimeJsonContext.Default.ErrorResponse)?.ErrorMessage is { } message)
            {
                return message;
            }
        }
        catch (JsonException)
        {
            // Not the documented ErrorResponse: fall back to the raw text.
        }

        return Encoding.UTF8.GetString(body);
    }

    private static LambdaRuntimeApiException Unexpected(string call, HttpResponseMessage response) =>
        new($"{call}: the Runtime API answered {(int)response.StatusCode} {response.ReasonPhrase}.", response.StatusCode);
}
