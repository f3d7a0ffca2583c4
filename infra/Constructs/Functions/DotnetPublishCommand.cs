namespace Pipeline.Infra.Constructs.Functions;

/// <summary>
/// The <c>dotnet publish</c> command a Lambda package is built with. It has no CDK dependency, so the start-up tests
/// and the cold-start benchmark compile this same file and publish exactly as the bundling does.
/// </summary>
internal static class DotnetPublishCommand
{
    /// <summary>The <c>dotnet</c> arguments that publish <paramref name="projectFile"/> into <paramref name="outputDir"/>.</summary>
    internal static IReadOnlyList<string> Arguments(string projectFile, string sourceRoot, string runtimeIdentifier, string outputDir) =>
    [
        "publish", projectFile,
        "--configuration", "Release",
        "--runtime", runtimeIdentifier,
        "--no-self-contained",
        "-p:PublishReadyToRun=true",
        "-p:GenerateDocumentationFile=false",
        // The build already ran the analyzers on this code, and they change nothing in the package: a third of the publish's CPU.
        "-p:RunAnalyzers=false",
        // Compiler paths (in the .pdb and the .dll's debug directory) relative to /_/, not this machine's checkout.
        "-p:PathMap=" + Path.TrimEndingDirectorySeparator(Path.GetFullPath(sourceRoot)) + "/=/_/",
        "--output", outputDir,
        "--nologo",
    ];
}
