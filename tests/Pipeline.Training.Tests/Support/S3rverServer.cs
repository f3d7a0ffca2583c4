using System.Net;
using Amazon.Runtime;
using Pipeline.Testing;
using Amazon.S3;
using Amazon.S3.Model;

namespace Pipeline.Training.Tests.Support;

/// <summary>
/// An s3rver 3.7.1 process (npm, pinned in the root package.json) on 127.0.0.1 with a port the OS picks and the lake
/// bucket <see cref="Bucket"/>, storing into a new temporary directory. Started by <c>Support/s3rver-host.js</c> as a
/// <see cref="NodeServer"/>; disposing stops it and deletes the directory.
/// </summary>
public sealed class S3rverServer : IDisposable
{
    /// <summary>The lake bucket the functions are configured with.</summary>
    public const string Bucket = "pipeline-lake-test";

    /// <summary>The dummy access key and secret (s3rver accepts any well-formed signature with these).</summary>
    public const string AccessKey = "S3RVER";

    private readonly NodeServer _server;
    private readonly AmazonS3Client _client;

    public S3rverServer()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("pipeline-s3rver-").FullName;
        _server = NodeServer.Start("tests/Pipeline.Training.Tests/Support/s3rver-host.js", Directory, Bucket);
        _client = new AmazonS3Client(Credentials(), Config());
    }

    /// <summary>The port s3rver listens on (127.0.0.1 only).</summary>
    public int Port => _server.Port;

    /// <summary>The endpoint, for <c>S3_SERVICE_URL</c>.</summary>
    public string ServiceUrl => $"http://127.0.0.1:{Port}";

    /// <summary>The directory s3rver stores into.</summary>
    public string Directory { get; }

    /// <summary>The variables a started function needs to reach this server: endpoint and dummy credentials.</summary>
    public IReadOnlyDictionary<string, string> FunctionEnvironment => new Dictionary<string, string>
    {
        ["S3_SERVICE_URL"] = ServiceUrl,
        ["AWS_ACCESS_KEY_ID"] = AccessKey,
        ["AWS_SECRET_ACCESS_KEY"] = AccessKey,
        ["AWS_EC2_METADATA_DISABLED"] = "true",
    };

    /// <summary>Dummy static credentials.</summary>
    public static AWSCredentials Credentials() => new BasicAWSCredentials(AccessKey, AccessKey);

    /// <summary>A client configuration for this server, as the functions build it for <c>S3_SERVICE_URL</c>.</summary>
    public AmazonS3Config Config()
    {
        var config = Lambda.Storage.S3ObjectStore.CreateConfig(ServiceUrl);
        config.AuthenticationRegion = "us-east-1";
        return config;
    }

    /// <summary>An object's bytes and content type.</summary>
    public async Task<(byte[] Content, string ContentType)> GetAsync(string key)
    {
        using var response = await _client.GetObjectAsync(Bucket, key);
        using var content = new MemoryStream();
        await response.ResponseStream.CopyToAsync(content);
        return (content.ToArray(), response.Headers.ContentType);
    }

    /// <summary>Whether an object exists.</summary>
    public async Task<bool> ExistsAsync(string key)
    {
        try
        {
            await _client.GetObjectMetadataAsync(Bucket, key);
            return true;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>Deletes every object in the bucket (between tests).</summary>
    public async Task ClearAsync()
    {
        var listing = await _client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket });
        foreach (var item in listing.S3Objects ?? [])
        {
            await _client.DeleteObjectAsync(Bucket, item.Key);
        }
    }

    public void Dispose()
    {
        _client.Dispose();
        _server.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}

/// <summary>The test classes that share the one s3rver process.</summary>
[CollectionDefinition(Name)]
public sealed class S3rverCollection : ICollectionFixture<S3rverServer>
{
    public const string Name = "s3rver";
}
