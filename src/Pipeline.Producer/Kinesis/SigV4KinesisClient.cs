using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Auth;

namespace Pipeline.Producer.Kinesis;

/// <summary>
/// A Kinesis Data Streams client on the service's JSON protocol (<c>X-Amz-Target: Kinesis_20131202.*</c>,
/// <c>application/x-amz-json-1.1</c>), signed with Signature Version 4 by AWSSDK.Core's signer.
/// </summary>
public sealed class SigV4KinesisClient : IKinesisClient
{
    private const string Service = "kinesis";
    private const string ContentType = "application/x-amz-json-1.1";

    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly string _region;
    private readonly Func<CancellationToken, Task<ImmutableCredentials>> _credentials;
    private readonly TimeProvider _time;

    /// <summary>Creates the client.</summary>
    /// <param name="http">The HTTP client (owned by the caller).</param>
    /// <param name="endpoint">The service endpoint, e.g. <c>https://kinesis.eu-west-1.amazonaws.com/</c>.</param>
    /// <param name="region">The Region requests are signed for.</param>
    /// <param name="credentials">Where the credentials come from (asked before every request, so refreshed ones are used).</param>
    /// <param name="time">The clock the signature is dated with.</param>
    public SigV4KinesisClient(HttpClient http, Uri endpoint, string region, Func<CancellationToken, Task<ImmutableCredentials>> credentials, TimeProvider? time = null)
    {
        _http = http ?? throw new ArgumentNullException(nameof(http));
        _endpoint = endpoint ?? throw new ArgumentNullException(nameof(endpoint));
        _region = region ?? throw new ArgumentNullException(nameof(region));
        _credentials = credentials ?? throw new ArgumentNullException(nameof(credentials));
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The public endpoint of Kinesis Data Streams in a Region.</summary>
    public static Uri EndpointFor(string region) => new($"https://kinesis.{region}.amazonaws.com/");

    /// <inheritdoc />
    public async Task DescribeStreamSummaryAsync(string streamName, CancellationToken cancellationToken)
    {
        using var response = await CallAsync("DescribeStreamSummary", json => json.WriteString("StreamName", streamName), cancellationToken).ConfigureAwait(false);
        if (response.RootElement.ValueKind != JsonValueKind.Object || !response.RootElement.TryGetProperty("StreamDescriptionSummary", out _))
        {
            throw new KinesisException("DescribeStreamSummary answered without a StreamDescriptionSummary.", KinesisException.UnexpectedResponse, HttpStatusCode.OK);
        }
    }

    /// <inheritdoc />
    public async Task<PutRecordsResult> PutRecordsAsync(string streamName, IReadOnlyList<KinesisRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        using var response = await CallAsync("PutRecords", json =>
        {
            json.WriteString("StreamName", streamName);
            json.WriteStartArray("Records");
            foreach (var record in records)
            {
                json.WriteStartObject();
                json.WriteBase64String("Data", record.Data.Span);
                json.WriteString("PartitionKey", record.PartitionKey);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }, cancellationToken).ConfigureAwait(false);

        // An answer without one entry per record cannot say which records were written: the request may have been applied.
        if (response.RootElement.ValueKind != JsonValueKind.Object
            || !response.RootElement.TryGetProperty("Records", out var answered) || answered.ValueKind != JsonValueKind.Array
            || answered.GetArrayLength() != records.Count)
        {
            throw new KinesisException($"PutRecords answered without one entry per record ({records.Count} sent).", KinesisException.UnexpectedResponse, HttpStatusCode.OK);
        }

        return new PutRecordsResult([.. answered.EnumerateArray().Select(Entry)]);
    }

    private static PutRecordsResultEntry Entry(JsonElement entry)
    {
        var sequence = Text(entry, "SequenceNumber");
        var code = Text(entry, "ErrorCode");
        return sequence is null && code is null
            ? new PutRecordsResultEntry(null, KinesisException.UnexpectedResponse, "The entry has neither a sequence number nor an error.")
            : new PutRecordsResultEntry(code is null ? sequence : null, code, Text(entry, "ErrorMessage"));
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>Calls one action of the JSON API and returns its answer (the two calls above, and others in tests).</summary>
    internal async Task<JsonDocument> CallAsync(string action, Action<Utf8JsonWriter> writeBody, CancellationToken cancellationToken)
    {
        var body = new MemoryStream();
        using (var json = new Utf8JsonWriter(body))
        {
            json.WriteStartObject();
            writeBody(json);
            json.WriteEndObject();
        }

        var payload = body.ToArray();
        var credentials = await _credentials(cancellationToken).ConfigureAwait(false);
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = new ByteArrayContent(payload) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(ContentType);
        Sign(request, payload, $"Kinesis_20131202.{action}", credentials);

        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var (code, message) = Error(text, response);
            throw new KinesisException($"{action} failed: {code}: {message}", code, response.StatusCode);
        }

        try
        {
            // Some actions (CreateStream, for one) answer with no body at all.
            return JsonDocument.Parse(text.Length == 0 ? "{}" : text);
        }
        catch (JsonException e)
        {
            throw new KinesisException($"{action} answered HTTP {(int)response.StatusCode} with a body that is not JSON: {Excerpt(text)}", KinesisException.UnexpectedResponse, response.StatusCode, e);
        }
    }

    private static string Excerpt(string text)
    {
        var flat = string.Join(' ', text.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        return flat.Length > 120 ? flat[..120] + "…" : flat;
    }

    // Signature Version 4 over the headers that identify the call (AWS General Reference, "Create a signed AWS API request").
    private void Sign(HttpRequestMessage request, byte[] payload, string target, ImmutableCredentials credentials)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var amzDate = now.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var host = _endpoint.IsDefaultPort ? _endpoint.Host : $"{_endpoint.Host}:{_endpoint.Port}";
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["content-type"] = ContentType,
            ["host"] = host,
            ["x-amz-date"] = amzDate,
            ["x-amz-target"] = target,
        };
        if (!string.IsNullOrEmpty(credentials.Token))
        {
            headers["x-amz-security-token"] = credentials.Token;
        }

        var signedHeaders = string.Join(';', headers.Keys);
        var canonicalRequest = string.Join('\n',
            "POST",
            string.IsNullOrEmpty(_endpoint.AbsolutePath) ? "/" : _endpoint.AbsolutePath,
            string.Empty,
            string.Concat(headers.Select(h => $"{h.Key}:{h.Value}\n")),
            signedHeaders,
            Convert.ToHexStringLower(SHA256.HashData(payload)));
        var signature = AWS4Signer.ComputeSignature(credentials, _region, now, Service, signedHeaders, canonicalRequest);

        request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
        request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        if (!string.IsNullOrEmpty(credentials.Token))
        {
            request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", credentials.Token);
        }

        request.Headers.TryAddWithoutValidation("Authorization", signature.ForAuthorizationHeader);
    }

    // A Kinesis error is a JSON object with __type; anything else (an HTML page, a proxy's text) is not a Kinesis answer.
    private static (string Code, string Message) Error(string text, HttpResponseMessage response)
    {
        try
        {
            using var error = JsonDocument.Parse(text);
            if (Text(error.RootElement, "__type") is { Length: > 0 } type)
            {
                var message = Text(error.RootElement, "message") ?? Text(error.RootElement, "Message") ?? string.Empty;
                // The JSON protocol may prefix the type with its namespace: "com.amazonaws.kinesis.v20131202#ResourceNotFoundException".
                return (type[(type.LastIndexOf('#') + 1)..], message);
            }
        }
        catch (JsonException)
        {
        }

        var contentType = response.Content.Headers.ContentType?.MediaType ?? "no content type";
        return (KinesisException.UnexpectedResponse, $"HTTP {(int)response.StatusCode} ({contentType}): {Excerpt(text)}");
    }
}
