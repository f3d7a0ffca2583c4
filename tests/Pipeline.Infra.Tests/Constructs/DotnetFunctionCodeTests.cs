using Pipeline.Infra.Constructs.Functions;
using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Constructs;

public sealed class DotnetFunctionCodeTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("pipeline-hash-").FullName;

    public DotnetFunctionCodeTests()
    {
        Write("lambdas/Fn/Fn.csproj", "<Project />");
        Write("lambdas/Fn/Function.cs", "class F {}");
        Write("src/Lib/Lib.cs", "class L {}");
        Write("Directory.Build.props", "<Project />");
    }

    [Fact]
    public void SourceHash_UnchangedSources_IsStable()
    {
        Assert.Equal(Hash(), Hash());
    }

    [Fact]
    public void SourceHash_BuildOutputOrDocumentationChanges_IsUnchanged()
    {
        var before = Hash();
        Write("lambdas/Fn/bin/Release/Fn.dll", "binary");
        Write("src/Lib/obj/project.assets.json", "{}");
        Write("lambdas/Fn/README.md", "# notes");

        Assert.Equal(before, Hash());
    }

    [Theory]
    [InlineData("lambdas/Fn/Function.cs")]
    [InlineData("src/Lib/Lib.cs")]
    [InlineData("Directory.Build.props")]
    [InlineData("lambdas/Fn/New.cs")]
    public void SourceHash_AnySourceChange_ChangesTheHash(string file)
    {
        var before = Hash();
        Write(file, "changed");

        Assert.NotEqual(before, Hash());
    }

    [Fact]
    public void SourceHash_OtherRuntimeIdentifier_ChangesTheHash()
    {
        Assert.NotEqual(Hash(), DotnetFunctionCode.SourceHash(_root, ["lambdas/Fn", "src/Lib"], "linux-x64"));
    }

    [Fact]
    public void ReferencedProjectDirectories_ReferencesOfReferences_AreAllFoundOnce()
    {
        Write("lambdas/Fn/Fn.csproj", """<Project><ItemGroup><ProjectReference Include="../../src/Lib/Lib.csproj" /><ProjectReference Include="..\..\src\Runtime\Runtime.csproj" /></ItemGroup></Project>""");
        Write("src/Lib/Lib.csproj", """<Project><ItemGroup><ProjectReference Include="../Base/Base.csproj" /></ItemGroup></Project>""");
        Write("src/Runtime/Runtime.csproj", """<Project><ItemGroup><ProjectReference Include="../Base/Base.csproj" /></ItemGroup></Project>""");
        Write("src/Base/Base.csproj", "<Project />");

        var directories = DotnetFunctionCode.ReferencedProjectDirectories(_root, Path.Combine(_root, "lambdas/Fn/Fn.csproj"));

        Assert.Equal(["src/Base", "src/Lib", "src/Runtime"], directories);
    }

    [Fact]
    public void ReferencedProjectDirectories_TransformFunction_IncludesTheRuntimeLoop()
    {
        var project = Path.Combine(RepositoryPaths.Root, "lambdas/Pipeline.Transform/Pipeline.Transform.csproj");

        var directories = DotnetFunctionCode.ReferencedProjectDirectories(RepositoryPaths.Root, project);

        Assert.Equal(["src/Pipeline.Ingestion", "src/Pipeline.Lambda.Runtime", "src/Pipeline.Schema"], directories);
    }

    [Fact]
    public void SourceVersion_EveryInfraFileEdited_EveryFunctionKeepsItsVersion()
    {
        var copy = RepositoryCopy();
        var before = FunctionVersions(copy);

        // Configuration (help texts, presets, rules), constructs and stacks: none of it is in a function's package.
        foreach (var file in Directory.EnumerateFiles(Path.Combine(copy, "infra"), "*.cs", SearchOption.AllDirectories))
        {
            File.AppendAllText(file, "// edited\n");
        }

        Assert.Equal(before, FunctionVersions(copy));
    }

    [Theory]
    [InlineData("src/Pipeline.Schema/Pipeline.Schema.csproj", "Pipeline.Transform,Pipeline.PrepareRun,Pipeline.Evaluate,Pipeline.Drift")]
    [InlineData("src/Pipeline.Ingestion/Pipeline.Ingestion.csproj", "Pipeline.Transform")]
    [InlineData("src/Pipeline.Training/Pipeline.Training.csproj", "Pipeline.PrepareRun,Pipeline.Evaluate,Pipeline.Drift")]
    [InlineData("src/Pipeline.Lambda.Storage/Pipeline.Lambda.Storage.csproj", "Pipeline.PrepareRun,Pipeline.Evaluate,Pipeline.Drift")]
    [InlineData("src/Pipeline.Lambda.Runtime/Pipeline.Lambda.Runtime.csproj", "Pipeline.Transform,Pipeline.PrepareRun,Pipeline.Evaluate,Pipeline.Drift")]
    [InlineData("lambdas/Pipeline.Drift/Pipeline.Drift.csproj", "Pipeline.Drift")]
    public void SourceVersion_LibraryEdited_ChangesExactlyTheFunctionsThatRunIt(string file, string changed)
    {
        var copy = RepositoryCopy();
        var before = FunctionVersions(copy);

        File.AppendAllText(Path.Combine(copy, file), "<!-- edited -->\n");

        var after = FunctionVersions(copy);
        Assert.Equal(changed.Split(','), Functions.Where(f => before[f] != after[f]));
    }

    [Fact]
    public void PublishArguments_Arm64_PublishesReadyToRunFrameworkDependentWithMappedPaths()
    {
        var arguments = DotnetPublishCommand.Arguments("/src/lambdas/Fn/Fn.csproj", "/src/", "linux-arm64", "/out");

        Assert.Equal(
            [
                "publish", "/src/lambdas/Fn/Fn.csproj", "--configuration", "Release", "--runtime", "linux-arm64",
                "--no-self-contained", "-p:PublishReadyToRun=true", "-p:GenerateDocumentationFile=false",
                "-p:RunAnalyzers=false", "-p:PathMap=/src/=/_/", "--output", "/out", "--nologo",
            ],
            arguments);
    }

    [Theory]
    [InlineData("arm64", "linux-arm64")]
    [InlineData("x86_64", "linux-x64")]
    public void RuntimeIdentifierFor_LambdaArchitecture_IsTheLinuxRuntime(string architecture, string expected)
    {
        Assert.Equal(expected, DotnetPublishBundling.RuntimeIdentifierFor(architecture));
    }

    [Fact]
    public void RuntimeIdentifierFor_UnknownArchitecture_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => DotnetPublishBundling.RuntimeIdentifierFor("s390x"));

        Assert.StartsWith("No .NET runtime identifier for the Lambda architecture 's390x'.", ex.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static readonly string[] Functions = ["Pipeline.Transform", "Pipeline.PrepareRun", "Pipeline.Evaluate", "Pipeline.Drift"];

    /// <summary>Each function's version, as the stacks compute it.</summary>
    private static Dictionary<string, string> FunctionVersions(string root) =>
        Functions.ToDictionary(f => f, f => DotnetFunctionCode.SourceVersion(root, "lambdas/" + f));

    /// <summary>The repository's source folders and build files (no bin/ or obj/), copied under the test's folder.</summary>
    private string RepositoryCopy()
    {
        var copy = Path.Combine(_root, "repo");
        foreach (var folder in new[] { "src", "lambdas", "infra" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, folder), "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(RepositoryPaths.Root, file);
                if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
                {
                    continue;
                }

                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(copy, relative))!);
                File.Copy(file, Path.Combine(copy, relative));
            }
        }

        foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", "global.json" })
        {
            File.Copy(Path.Combine(RepositoryPaths.Root, file), Path.Combine(copy, file));
        }

        return copy;
    }

    private string Hash() => DotnetFunctionCode.SourceHash(_root, ["lambdas/Fn", "src/Lib"], "linux-arm64");

    private void Write(string relative, string content)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
