using System.Text;
using Pipeline.Testing;

namespace Pipeline.Training.Tests.Support;

/// <summary>The SageMaker API payloads under Fixtures (linked from the Core tests), and small helpers.</summary>
internal static class Payloads
{
    public static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    public static MemoryStream Stream(string json) => new(Encoding.UTF8.GetBytes(json));

    public static string Text(Stream stream)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>The repository file's text (for READMEs and scripts).</summary>
    public static string RepositoryFile(string path) => File.ReadAllText(Path.Combine(LambdaPublish.RepositoryRoot, path));
}

/// <summary>An <see cref="Lambda.Storage.IObjectStore"/> that records writes and serves the objects it was given or written.</summary>
internal sealed class RecordingStore : Lambda.Storage.IObjectStore
{
    public List<(string Bucket, string Key, byte[] Content, string ContentType)> Puts { get; } = [];

    /// <summary>Objects to serve, by bucket and key (writes are served too).</summary>
    public Dictionary<(string Bucket, string Key), byte[]> Objects { get; } = [];

    public List<(string Bucket, string Key)> Gets { get; } = [];

    public Task<byte[]> GetAsync(string bucket, string key, CancellationToken cancellationToken = default)
    {
        Gets.Add((bucket, key));
        return Objects.TryGetValue((bucket, key), out var content)
            ? Task.FromResult(content)
            : Task.FromException<byte[]>(new FileNotFoundException($"s3://{bucket}/{key} does not exist (NoSuchKey).", $"s3://{bucket}/{key}"));
    }

    public Task PutAsync(string bucket, string key, byte[] content, string contentType, CancellationToken cancellationToken = default)
    {
        Puts.Add((bucket, key, content, contentType));
        Objects[(bucket, key)] = content;
        return Task.CompletedTask;
    }
}

/// <summary>
/// Assertions on what a message names (the field, the value, the setting to change) rather than on its wording, which
/// may be reworded freely.
/// </summary>
internal static class Messages
{
    public static void AssertNames(string message, params string[] parts) =>
        Assert.All(parts, part => Assert.Contains(part, message, StringComparison.Ordinal));

    /// <summary>An event's field problem: the message starts with the field's path and names the given values.</summary>
    public static void AssertField(string message, string field, params string[] values)
    {
        Assert.StartsWith(field + " ", message, StringComparison.Ordinal);
        AssertNames(message, values);
    }
}
