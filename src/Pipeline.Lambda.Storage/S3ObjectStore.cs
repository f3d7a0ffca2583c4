using Amazon.S3;
using Amazon.S3.Model;

namespace Pipeline.Lambda.Storage;

/// <summary>
/// <see cref="IObjectStore"/> over AWSSDK.S3. In Lambda the client resolves credentials and Region from the execution
/// environment (the function role's variables, <c>AWS_REGION</c>) and talks to the Regional S3 endpoint. No encryption
/// headers are sent: the lake bucket encrypts with its default SSE-KMS key.
/// </summary>
public sealed class S3ObjectStore : IObjectStore, IDisposable
{
    /// <summary>
    /// Optional: an S3-compatible endpoint (<c>http://127.0.0.1:port</c>) used with path-style addressing, for tests
    /// and local runs; unset in Lambda. A value that is not an absolute http or https URL fails initialisation.
    /// </summary>
    public const string ServiceUrlVariable = "S3_SERVICE_URL";

    private readonly IAmazonS3 _s3;
    private readonly bool _ownsClient;

    /// <summary>Wraps a client (the caller keeps ownership).</summary>
    /// <param name="s3">The S3 client.</param>
    public S3ObjectStore(IAmazonS3 s3)
    {
        ArgumentNullException.ThrowIfNull(s3);
        _s3 = s3;
    }

    private S3ObjectStore(AmazonS3Client s3, bool ownsClient)
        : this(s3)
    {
        _ownsClient = ownsClient;
    }

    /// <summary>
    /// Creates the store the function uses: the default client, or one for <see cref="ServiceUrlVariable"/> when that is set.
    /// </summary>
    /// <param name="environment">Reads an environment variable (null or empty when unset).</param>
    /// <returns>The store; it owns its client.</returns>
    /// <exception cref="FormatException"><see cref="ServiceUrlVariable"/> is set but not an absolute http or https URL.</exception>
    public static S3ObjectStore FromEnvironment(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return new S3ObjectStore(new AmazonS3Client(CreateConfig(environment(ServiceUrlVariable))), ownsClient: true);
    }

    /// <summary>
    /// The client configuration: the SDK's defaults, or, for a service URL, that endpoint with path-style addressing.
    /// </summary>
    /// <param name="serviceUrl">The endpoint; null or empty for the Regional S3 endpoint.</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="FormatException"><paramref name="serviceUrl"/> is not an absolute http or https URL.</exception>
    public static AmazonS3Config CreateConfig(string? serviceUrl)
    {
        if (string.IsNullOrEmpty(serviceUrl))
        {
            return new AmazonS3Config();
        }

        if (!Uri.TryCreate(serviceUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new FormatException($"{ServiceUrlVariable} is '{serviceUrl}'; expected an absolute http or https URL such as http://127.0.0.1:4568 (or leave it unset in Lambda).");
        }

        return new AmazonS3Config { ServiceURL = serviceUrl, ForcePathStyle = true };
    }

    /// <inheritdoc />
    public async Task PutAsync(string bucket, string key, byte[] content, string contentType, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var body = new MemoryStream(content, writable: false);
        var request = new PutObjectRequest
        {
            BucketName = bucket,
            Key = key,
            InputStream = body,
            ContentType = contentType,
            AutoCloseStream = false,
            // The body is a small array in memory: sign it whole rather than in aws-chunked framing (which some
            // S3-compatible test servers store verbatim; toolchain.md). S3 accepts either.
            UseChunkEncoding = false,
        };
        await _s3.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<byte[]> GetAsync(string bucket, string key, CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await _s3.GetObjectAsync(bucket, key, cancellationToken).ConfigureAwait(false);
            using var content = new MemoryStream();
            await response.ResponseStream.CopyToAsync(content, cancellationToken).ConfigureAwait(false);
            return content.ToArray();
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            // NoSuchKey (with s3:ListBucket) and NoSuchBucket are both 404; without s3:ListBucket a missing key is a 403.
            throw new FileNotFoundException($"s3://{bucket}/{key} does not exist ({ex.ErrorCode}).", $"s3://{bucket}/{key}", ex);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsClient)
        {
            _s3.Dispose();
        }
    }
}
