using System.Security.Cryptography;
using System.Text;
using Amazon.CDK;
using Amazon.CDK.AWS.Lambda;

namespace Pipeline.Infra.Constructs.Ingestion;

/// <summary>
/// Lambda code from a .NET project in this repository, bundled locally with <c>dotnet publish</c> (see
/// <see cref="DotnetPublishBundling"/>). The asset hash is
/// computed from the sources that go into the build (the project folder, the <c>src/</c> libraries it references and
/// the repo-wide build files, without <c>bin/</c>, <c>obj/</c> and Markdown), so two synths of unchanged code produce the same
/// hash and any source change produces a new one.
/// </summary>
public static class DotnetFunctionCode
{
    private static readonly string[] BuildFiles = ["Directory.Build.props", "Directory.Packages.props", "global.json"];

    /// <summary>The code asset for <paramref name="projectDirectory"/> (relative to <paramref name="sourceRoot"/>).</summary>
    /// <param name="sourceRoot">Repository root.</param>
    /// <param name="projectDirectory">The Lambda project's folder, e.g. <c>lambdas/Pipeline.Transform</c>.</param>
    /// <param name="referencedDirectories">Folders of projects it references, e.g. <c>src/Pipeline.Core</c>.</param>
    public static Code FromProject(string sourceRoot, string projectDirectory, IEnumerable<string> referencedDirectories)
    {
        var projectPath = Path.Combine(sourceRoot, projectDirectory);
        var projectFile = Directory.GetFiles(projectPath, "*.csproj").SingleOrDefault()
            ?? throw new ArgumentException($"No single .csproj in {projectPath}; pass the folder of one Lambda project.", nameof(projectDirectory));

        return Code.FromAsset(projectPath, new Amazon.CDK.AWS.S3.Assets.AssetOptions
        {
            AssetHashType = AssetHashType.CUSTOM,
            AssetHash = SourceHash(sourceRoot, [projectDirectory, .. referencedDirectories]),
            Exclude = ["bin", "obj", "*.md"],
            Bundling = new BundlingOptions
            {
                // Required by the API, never pulled: local bundling always succeeds or throws.
                Image = DockerImage.FromRegistry("dotnet-local-bundling-only"),
                Local = new DotnetPublishBundling(projectFile),
            },
        });
    }

    /// <summary>SHA-256 over the relative paths and contents of every source file, in ordinal path order.</summary>
    internal static string SourceHash(string sourceRoot, IEnumerable<string> directories)
    {
        var files = directories
            .SelectMany(d => Directory.EnumerateFiles(Path.Combine(sourceRoot, d), "*", SearchOption.AllDirectories))
            .Concat(BuildFiles.Select(f => Path.Combine(sourceRoot, f)).Where(File.Exists))
            .Select(f => Path.GetRelativePath(sourceRoot, f).Replace('\\', '/'))
            .Where(f => !f.Split('/').Any(part => part is "bin" or "obj") && !f.EndsWith(".md", StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(file + "\n"));
            hash.AppendData(File.ReadAllBytes(Path.Combine(sourceRoot, file)));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
