using System.Diagnostics;
using System.Runtime.InteropServices;
using Pipeline.Infra.Constructs.Functions;
using Pipeline.Tests.Support;

namespace Pipeline.Transform.Tests.Support;

/// <summary>
/// Publishes a Lambda project with CDK's local bundling's command (<see cref="DotnetPublishCommand"/>),
/// for this machine's architecture so that the ReadyToRun code runs here (an arm64 image does not load on x64).
/// </summary>
internal static class LambdaPublish
{
    private static readonly Lazy<string> Root = new(() =>
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Pipeline.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException($"Pipeline.sln not found above {AppContext.BaseDirectory}.");
    });

    public static string RepositoryRoot => Root.Value;

    /// <summary>linux-x64 or linux-arm64: the Lambda target matching this machine.</summary>
    public static string HostRuntimeIdentifier => "linux-" + RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();

    /// <summary>Publishes the project at <paramref name="projectPath"/> (relative to the repository) into a new temporary folder.</summary>
    public static string Publish(string projectPath, string tempPrefix)
    {
        var output = Directory.CreateTempSubdirectory(tempPrefix).FullName;
        var start = new ProcessStartInfo("dotnet", DotnetPublishCommand.Arguments(Path.Combine(RepositoryRoot, projectPath), RepositoryRoot, HostRuntimeIdentifier, output))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var publishing = PublishLock.Acquire();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start `dotnet publish`.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            Directory.Delete(output, recursive: true);
            throw new InvalidOperationException($"`dotnet publish {projectPath}` failed ({process.ExitCode}):\n{stdout.Result}{stderr.Result}");
        }

        return output;
    }
}
