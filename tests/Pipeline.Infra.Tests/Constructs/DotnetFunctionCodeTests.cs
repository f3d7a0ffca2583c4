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

    private string Hash() => DotnetFunctionCode.SourceHash(_root, ["lambdas/Fn", "src/Lib"], "linux-arm64");

    private void Write(string relative, string content)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
