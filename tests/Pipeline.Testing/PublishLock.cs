namespace Pipeline.Testing;

/// <summary>
/// A machine-wide lock around <c>dotnet publish</c> of the repository's Lambda projects. Test assemblies run in
/// parallel, and two publishes of the same project (linux-arm64 through CDK bundling in the infra tests, linux-x64 in
/// the start-up tests) would otherwise build the shared Release output of the libraries it references at the same time.
/// </summary>
public static class PublishLock
{
    private static readonly string LockFile = Path.Combine(Path.GetTempPath(), "pipeline-dotnet-publish.lock");

    /// <summary>Waits for the lock (at most ten minutes) and holds it until the result is disposed.</summary>
    public static IDisposable Acquire()
    {
        var deadline = DateTime.UtcNow.AddMinutes(10);
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive advisory lock (flock) on Unix, visible to every process.
                return new FileStream(LockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(200);
            }
        }
    }
}
