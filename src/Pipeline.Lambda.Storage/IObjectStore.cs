namespace Pipeline.Lambda.Storage;

/// <summary>Where the function reads and writes its documents: an S3 bucket (<see cref="S3ObjectStore"/>), or a stand-in in tests.</summary>
public interface IObjectStore
{
    /// <summary>Writes (creates or replaces) one object.</summary>
    /// <param name="bucket">The bucket.</param>
    /// <param name="key">The object key.</param>
    /// <param name="content">The object's bytes.</param>
    /// <param name="contentType">The object's <c>Content-Type</c>.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the object is stored.</returns>
    Task PutAsync(string bucket, string key, byte[] content, string contentType, CancellationToken cancellationToken = default);

    /// <summary>Reads one whole object.</summary>
    /// <param name="bucket">The bucket.</param>
    /// <param name="key">The object key.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The object's bytes.</returns>
    /// <exception cref="FileNotFoundException">No object has that key.</exception>
    Task<byte[]> GetAsync(string bucket, string key, CancellationToken cancellationToken = default);
}
