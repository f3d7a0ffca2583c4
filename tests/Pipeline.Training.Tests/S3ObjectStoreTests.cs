using Amazon.S3;
using Pipeline.Lambda.Storage;
using Pipeline.Training.Tests.Support;

namespace Pipeline.Training.Tests;

/// <summary><see cref="S3ObjectStore.GetAsync"/> against a real S3-protocol server (s3rver on 127.0.0.1).</summary>
[Collection(S3rverCollection.Name)]
public sealed class S3ObjectStoreTests : IDisposable
{
    private readonly AmazonS3Client _client;
    private readonly S3ObjectStore _store;

    public S3ObjectStoreTests(S3rverServer s3)
    {
        s3.ClearAsync().GetAwaiter().GetResult();
        _client = new AmazonS3Client(S3rverServer.Credentials(), s3.Config());
        _store = new S3ObjectStore(_client);
    }

    public void Dispose()
    {
        _client.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task GetAsync_ExistingObject_ReturnsItsBytes()
    {
        byte[] content = [0x7b, 0x00, 0xff, 0x7d];
        await _store.PutAsync(S3rverServer.Bucket, "models/run-1/drift-baseline.json", content, "application/json");

        Assert.Equal(content, await _store.GetAsync(S3rverServer.Bucket, "models/run-1/drift-baseline.json"));
    }

    [Fact]
    public async Task GetAsync_MissingKey_ThrowsFileNotFoundNamingTheObject()
    {
        var ex = await Assert.ThrowsAsync<FileNotFoundException>(() => _store.GetAsync(S3rverServer.Bucket, "models/none/drift-baseline.json"));

        Assert.Equal("s3://pipeline-lake-test/models/none/drift-baseline.json", ex.FileName);
    }
}
