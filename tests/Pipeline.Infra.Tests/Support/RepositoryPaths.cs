namespace Pipeline.Infra.Tests.Support;

/// <summary>Locates files of the repository from the test's output directory.</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Pipeline.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName
            ?? throw new InvalidOperationException($"Pipeline.sln not found above {AppContext.BaseDirectory}.");
    });

    /// <summary>The repository root (the folder holding Pipeline.sln).</summary>
    public static string Root => RootPath.Value;

    /// <summary>A path relative to the repository root.</summary>
    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);
}
