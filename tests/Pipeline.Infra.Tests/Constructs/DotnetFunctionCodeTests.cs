using Pipeline.Infra.Constructs.Ingestion;

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

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Hash() => DotnetFunctionCode.SourceHash(_root, ["lambdas/Fn", "src/Lib"]);

    private void Write(string relative, string content)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
