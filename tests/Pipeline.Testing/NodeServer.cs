using System.Diagnostics;
using System.Text.Json;

namespace Pipeline.Testing;

/// <summary>
/// A local AWS-protocol server run by a node script of the repository (npm packages pinned in the root package.json):
/// the script binds 127.0.0.1 on a port the OS picks and prints one line, <c>{"port":N}</c>; disposing closes its
/// standard input (it stops) and kills it if it lingers.
/// </summary>
public sealed class NodeServer : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;

    private NodeServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    /// <summary>The repository root (the folder with Pipeline.sln).</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The port the server listens on (127.0.0.1 only).</summary>
    public int Port { get; }

    /// <summary>The server's endpoint.</summary>
    public Uri Endpoint => new($"http://127.0.0.1:{Port}/");

    /// <summary>Starts <paramref name="script"/> (relative to the repository root) with <paramref name="args"/>.</summary>
    public static NodeServer Start(string script, params string[] args)
    {
        // The AWS SDK must never look for credentials or a Region on the instance metadata service (a non-loopback address).
        Environment.SetEnvironmentVariable("AWS_EC2_METADATA_DISABLED", "true");
        var start = new ProcessStartInfo("node", [Path.Combine(RepositoryRoot, script), .. args])
        {
            WorkingDirectory = RepositoryRoot,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        var stderr = process.StandardError.ReadToEndAsync();
        var line = process.StandardOutput.ReadLineAsync();
        if (!line.Wait(StartTimeout) || line.Result is null)
        {
            Stop(process);
            throw new InvalidOperationException(
                $"{script} did not start (run `npm ci` in the repository root): {(stderr.Wait(TimeSpan.FromSeconds(5)) ? stderr.Result : string.Empty)}");
        }

        using var ready = JsonDocument.Parse(line.Result);
        return new NodeServer(process, ready.RootElement.GetProperty("port").GetInt32());
    }

    /// <inheritdoc />
    public void Dispose() => Stop(_process);

    private static void Stop(Process process)
    {
        try
        {
            process.StandardInput.Close();
            if (!process.WaitForExit(5000))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        finally
        {
            process.Dispose();
        }
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Pipeline.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Pipeline.sln not found above " + AppContext.BaseDirectory);
    }
}
