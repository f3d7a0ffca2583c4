using System.Diagnostics;
using System.Globalization;
using Amazon.CDK;
using Amazon.JSII.Runtime.Deputy;

namespace Pipeline.Infra.Constructs.Functions;

/// <summary>
/// Bundles a .NET Lambda project with <c>dotnet publish</c> on this machine (no Docker): Release, for the
/// function's architecture (<c>linux-arm64</c> or <c>linux-x64</c>), framework-dependent, ReadyToRun (precompiled
/// native code, so the cold start JIT-compiles little), with source paths mapped to <c>/_/</c> so that no
/// build-machine path ends up in the package. Derives from <see cref="DeputyBase"/> because jsii only calls back into
/// .NET objects it knows; a plain class would be ignored and CDK would fall back to Docker.
/// </summary>
internal sealed class DotnetPublishBundling : DeputyBase, ILocalBundling
{
    private readonly string _projectFile;
    private readonly string _sourceRoot;
    private readonly string _runtimeIdentifier;

    /// <summary>Bundles <paramref name="projectFile"/>.</summary>
    /// <param name="projectFile">The Lambda project.</param>
    /// <param name="sourceRoot">The repository root, mapped to <c>/_/</c> in the assemblies and .pdb files.</param>
    /// <param name="runtimeIdentifier">The target, e.g. <c>linux-arm64</c>.</param>
    public DotnetPublishBundling(string projectFile, string sourceRoot, string runtimeIdentifier)
    {
        _projectFile = projectFile;
        _sourceRoot = sourceRoot;
        _runtimeIdentifier = runtimeIdentifier;
    }

    /// <summary>The runtime identifier for a Lambda architecture name (<c>arm64</c> or <c>x86_64</c>).</summary>
    /// <exception cref="ArgumentException">Any other name.</exception>
    internal static string RuntimeIdentifierFor(string architectureName) => architectureName switch
    {
        "arm64" => "linux-arm64",
        "x86_64" => "linux-x64",
        _ => throw new ArgumentException($"No .NET runtime identifier for the Lambda architecture '{architectureName}'.", nameof(architectureName)),
    };

    /// <summary>Publishes into <paramref name="outputDir"/>; throws with the build output when the publish fails.</summary>
    public bool TryBundle(string outputDir, IBundlingOptions options)
    {
        // A first synth compiles every function for Lambda, tens of seconds each on a small machine: say which and how long.
        var project = Path.GetFileNameWithoutExtension(_projectFile);
        var clock = Stopwatch.StartNew();
        Progress.WriteLine($"Publishing {project} for Lambda ({_runtimeIdentifier}, Release, ReadyToRun)...");
        var start = new ProcessStartInfo("dotnet", DotnetPublishCommand.Arguments(_projectFile, _sourceRoot, _runtimeIdentifier, outputDir))
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

        Progress.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Published {project} in {clock.Elapsed.TotalSeconds:0.0} s."));
        return true;
    }

    /// <summary>Where progress goes: standard error, which the CDK CLI shows while it synthesizes and keeps out of templates.</summary>
    internal static TextWriter Progress { get; set; } = Console.Error;
}
