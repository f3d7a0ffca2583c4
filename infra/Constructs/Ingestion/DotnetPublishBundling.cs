using System.Diagnostics;
using Amazon.CDK;
using Amazon.JSII.Runtime.Deputy;

namespace Pipeline.Infra.Constructs.Ingestion;

/// <summary>
/// Bundles a .NET Lambda project with <c>dotnet publish</c> on this machine (no Docker): Release, framework-dependent,
/// portable IL that the managed runtime JIT-compiles (with tiered PGO) on either architecture. Derives from
/// <see cref="DeputyBase"/> because jsii only calls back into .NET objects it knows; a plain class would be ignored and
/// CDK would fall back to Docker.
/// </summary>
/// <remarks>
/// Not ReadyToRun: precompiling for linux-arm64 needs the Microsoft.NETCore.App.Runtime.linux-arm64 pack, which the
/// project's NuGet source does not serve (NU1101). Where it is available, add <c>--runtime linux-arm64</c> and
/// <c>-p:PublishReadyToRun=true</c> to the arguments below: nothing else changes.
/// </remarks>
internal sealed class DotnetPublishBundling : DeputyBase, ILocalBundling
{
    private readonly string _projectFile;

    /// <summary>Bundles <paramref name="projectFile"/>.</summary>
    public DotnetPublishBundling(string projectFile)
    {
        _projectFile = projectFile;
    }

    /// <summary>Publishes into <paramref name="outputDir"/>; throws with the build output when the publish fails.</summary>
    public bool TryBundle(string outputDir, IBundlingOptions options)
    {
        var start = new ProcessStartInfo("dotnet",
        [
            "publish", _projectFile,
            "--configuration", "Release",
            "--no-self-contained",
            "-p:GenerateDocumentationFile=false",
            "--output", outputDir,
            "--nologo",
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start `dotnet publish`.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"`dotnet publish {_projectFile}` failed with exit code {process.ExitCode}:{System.Environment.NewLine}{stdout.Result}{stderr.Result}");
        }

        return true;
    }
}
