using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Amazon.CDK;
using Amazon.CDK.AWS.Lambda;

namespace Pipeline.Infra.Constructs.Functions;

/// <summary>
/// Lambda code from a .NET project in this repository, bundled locally with <c>dotnet publish</c> for the function's
/// architecture (see <see cref="DotnetPublishBundling"/>). The asset hash is computed from what goes into the build:
/// the target runtime, the project folder, the folders of the projects it references (found by following
/// <c>ProjectReference</c> items, so a package holds exactly what it builds from) and the repo-wide build files, without <c>bin/</c>,
/// <c>obj/</c> and Markdown; so two synths of unchanged code produce the same hash and any source change produces a
/// new one.
/// </summary>
public static class DotnetFunctionCode
{
    private static readonly string[] BuildFiles = ["Directory.Build.props", "Directory.Packages.props", "global.json"];

    /// <summary>The code asset for <paramref name="projectDirectory"/> (relative to <paramref name="sourceRoot"/>).</summary>
    /// <param name="sourceRoot">Repository root.</param>
    /// <param name="projectDirectory">The Lambda project's folder, e.g. <c>lambdas/Pipeline.Transform</c>.</param>
    /// <param name="architecture">The function's architecture, which the package is precompiled for; arm64 when null.</param>
    public static Code FromProject(
        string sourceRoot,
        string projectDirectory,
        Architecture? architecture = null)
    {
        var projectPath = Path.Combine(sourceRoot, projectDirectory);
        var projectFile = ProjectFile(projectPath);
        var runtimeIdentifier = DotnetPublishBundling.RuntimeIdentifierFor((architecture ?? Architecture.ARM_64).Name);

        return Code.FromAsset(projectPath, new Amazon.CDK.AWS.S3.Assets.AssetOptions
        {
            AssetHashType = AssetHashType.CUSTOM,
            AssetHash = SourceVersion(sourceRoot, projectDirectory, architecture),
            Exclude = ["bin", "obj", "*.md"],
            Bundling = new BundlingOptions
            {
                // Required by the API, never pulled: local bundling always succeeds or throws.
                Image = DockerImage.FromRegistry("dotnet-local-bundling-only"),
                Local = new DotnetPublishBundling(projectFile, sourceRoot, runtimeIdentifier),
            },
        });
    }

    /// <summary>
    /// The version of a function's code: the hash its asset carries (64 hex digits), which changes exactly when a source
    /// file of the function or of a project it references changes. Recorded with what the code produces (lineage).
    /// </summary>
    /// <param name="sourceRoot">Repository root.</param>
    /// <param name="projectDirectory">The Lambda project's folder.</param>
    /// <param name="architecture">The function's architecture; arm64 when null.</param>
    public static string SourceVersion(
        string sourceRoot,
        string projectDirectory,
        Architecture? architecture = null)
    {
        var projectFile = ProjectFile(Path.Combine(sourceRoot, projectDirectory));
        var runtimeIdentifier = DotnetPublishBundling.RuntimeIdentifierFor((architecture ?? Architecture.ARM_64).Name);
        return SourceHash(sourceRoot, [projectDirectory, .. ReferencedProjectDirectories(sourceRoot, projectFile)], runtimeIdentifier);
    }

    private static string ProjectFile(string projectPath) => Directory.GetFiles(projectPath, "*.csproj").SingleOrDefault()
        ?? throw new ArgumentException($"No single .csproj in {projectPath}; pass the folder of one Lambda project.", nameof(projectPath));

    /// <summary>
    /// SHA-256 over the runtime identifier, then the relative paths and contents of every source file, in ordinal
    /// path order.
    /// </summary>
    internal static string SourceHash(string sourceRoot, IEnumerable<string> directories, string runtimeIdentifier)
    {
        var files = directories
            .SelectMany(d => Directory.EnumerateFiles(Path.Combine(sourceRoot, d), "*", SearchOption.AllDirectories))
            .Concat(BuildFiles.Select(f => Path.Combine(sourceRoot, f)).Where(File.Exists))
            .Select(f => Path.GetRelativePath(sourceRoot, f).Replace('\\', '/'))
            .Where(f => !f.Split('/').Any(part => part is "bin" or "obj") && !f.EndsWith(".md", StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes("runtime:" + runtimeIdentifier + "\n"));
        foreach (var file in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(file + "\n"));
            hash.AppendData(File.ReadAllBytes(Path.Combine(sourceRoot, file)));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>
    /// The folders (relative to <paramref name="sourceRoot"/>, '/'-separated) of every project that
    /// <paramref name="projectFile"/> references, directly or through other references.
    /// </summary>
    internal static IReadOnlyList<string> ReferencedProjectDirectories(string sourceRoot, string projectFile)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([Path.GetFullPath(projectFile)]);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (pending.Count > 0)
        {
            var project = pending.Pop();
            if (!seen.Add(project))
            {
                continue;
            }

            var directory = Path.GetDirectoryName(project)!;
            foreach (var reference in XDocument.Load(project).Descendants("ProjectReference"))
            {
                var include = ((string?)reference.Attribute("Include"))?.Replace('\\', '/');
                if (string.IsNullOrWhiteSpace(include))
                {
                    continue;
                }

                var referenced = Path.GetFullPath(Path.Combine(directory, include));
                found.Add(Path.GetRelativePath(sourceRoot, Path.GetDirectoryName(referenced)!).Replace('\\', '/'));
                pending.Push(referenced);
            }
        }

        return [.. found];
    }
}
