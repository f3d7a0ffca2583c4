using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Pipeline.Producer.Cli;
using Pipeline.Producer.Kinesis;
using Pipeline.Testing;

namespace Pipeline.Producer.Tests.Support;

/// <summary>
/// kinesalite and s3rver (bucket <see cref="Bucket"/>) on 127.0.0.1, shared by the tests that talk to them. Streams:
/// <see cref="Stream"/> with two shards; <see cref="ReplayStream"/>, <see cref="ProgressStream"/> and
/// <see cref="InterruptedStream"/> <c>-int</c> and <c>-term</c> with one each. A test that reads a stream back writes to
/// it alone.
/// </summary>
public sealed class LocalAws : IDisposable
{
    public const string Stream = "telemetry-test";

    public const string ReplayStream = "telemetry-replay";

    public const string ProgressStream = "telemetry-progress";

    /// <summary>The prefix of the streams the signal tests write to: one per signal.</summary>
    public const string InterruptedStream = "telemetry-interrupted";

    public const string Bucket = "pipeline-lake-test";

    private readonly string _s3Directory = Directory.CreateTempSubdirectory("pipeline-producer-s3-").FullName;

    public LocalAws()
    {
        Kinesis = NodeServer.Start("tests/Pipeline.Producer.Tests/Support/kinesalite-host.js", $"{Stream}:2", $"{ReplayStream}:1", $"{ProgressStream}:1", $"{InterruptedStream}-int:1", $"{InterruptedStream}-term:1");
        S3 = NodeServer.Start("tests/Pipeline.Training.Tests/Support/s3rver-host.js", _s3Directory, Bucket);
    }

    public NodeServer Kinesis { get; }

    public NodeServer S3 { get; }

    /// <summary>Region, dummy credentials and clients for the local servers.</summary>
    public Environment Aws => new(this);

    /// <summary>A client for the local S3 (path-style, no chunked uploads, which s3rver would store as they are).</summary>
    public AmazonS3Client S3Client() => new(new BasicAWSCredentials("S3RVER", "S3RVER"), new AmazonS3Config
    {
        ServiceURL = S3.Endpoint.ToString(),
        ForcePathStyle = true,
        AuthenticationRegion = "us-east-1",
    });

    /// <summary>Puts an object into the bucket.</summary>
    public async Task PutAsync(string key, byte[] content)
    {
        using var s3 = S3Client();
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, InputStream = new MemoryStream(content), UseChunkEncoding = false });
    }

    /// <summary>Creates a stream of one shard for one test and waits until it is active.</summary>
    public async Task<string> CreateStreamAsync(string name)
    {
        using var http = new HttpClient();
        var client = (SigV4KinesisClient)Aws.Kinesis(http, "us-east-1", Kinesis.Endpoint);
        (await client.CallAsync("CreateStream", json =>
        {
            json.WriteString("StreamName", name);
            json.WriteNumber("ShardCount", 1);
        }, CancellationToken.None)).Dispose();
        while (true)
        {
            using var summary = await client.CallAsync("DescribeStreamSummary", json => json.WriteString("StreamName", name), CancellationToken.None);
            if (summary.RootElement.GetProperty("StreamDescriptionSummary").GetProperty("StreamStatus").GetString() == "ACTIVE")
            {
                return name;
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Every record in the stream, shard by shard, in sequence order.</summary>
    public async Task<List<byte[]>> ReadAllAsync(string stream)
    {
        using var http = new HttpClient();
        var client = (SigV4KinesisClient)Aws.Kinesis(http, "us-east-1", Kinesis.Endpoint);
        using var shards = await client.CallAsync("ListShards", json => json.WriteString("StreamName", stream), CancellationToken.None);
        var records = new List<byte[]>();
        foreach (var shard in shards.RootElement.GetProperty("Shards").EnumerateArray().Select(s => s.GetProperty("ShardId").GetString()!))
        {
            using var iterator = await client.CallAsync("GetShardIterator", json =>
            {
                json.WriteString("StreamName", stream);
                json.WriteString("ShardId", shard);
                json.WriteString("ShardIteratorType", "TRIM_HORIZON");
            }, CancellationToken.None);
            var next = iterator.RootElement.GetProperty("ShardIterator").GetString();
            while (next is not null)
            {
                using var page = await client.CallAsync("GetRecords", json => json.WriteString("ShardIterator", next), CancellationToken.None);
                var batch = page.RootElement.GetProperty("Records").EnumerateArray().Select(r => r.GetProperty("Data").GetBytesFromBase64()).ToList();
                records.AddRange(batch);
                next = batch.Count == 0 ? null : page.RootElement.GetProperty("NextShardIterator").GetString();
            }
        }

        return records;
    }

    public void Dispose()
    {
        Kinesis.Dispose();
        S3.Dispose();
        Directory.Delete(_s3Directory, recursive: true);
    }

    /// <summary>Region us-east-1, dummy credentials, and the local S3 whatever endpoint is asked for.</summary>
    public sealed class Environment(LocalAws servers) : AwsEnvironment
    {
        public override string Region(string? given) => given ?? "us-east-1";

        public override Task<ImmutableCredentials> CredentialsAsync(CancellationToken cancellationToken) =>
            Task.FromResult(new ImmutableCredentials("LOCAL", "LOCAL", null));

        public override IAmazonS3 S3(string region, Uri? endpoint) => servers.S3Client();
    }
}

[CollectionDefinition(Name)]
public sealed class LocalAwsCollection : ICollectionFixture<LocalAws>
{
    public const string Name = "local AWS";
}
