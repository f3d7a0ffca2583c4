using Amazon.CDK;
using Amazon.CDK.Assertions;
using Pipeline.Infra.Configuration;

namespace Pipeline.Infra.Tests.Support;

/// <summary>
/// The whole app synthesized once for one configuration, exactly as Program.cs composes it, into a temporary cloud
/// assembly. Tests read <see cref="Template"/>s parsed from the written template files; the policy gates read the files.
/// </summary>
public sealed class SynthesizedApp : IDisposable
{
    private readonly Dictionary<string, Lazy<Template>> _templates = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _templateFiles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TemplateJson> _json = new(StringComparer.Ordinal);

    private SynthesizedApp(string name, PipelineSettings settings, string outputDirectory)
    {
        Name = name;
        Settings = settings;
        OutputDirectory = outputDirectory;
    }

    /// <summary>Name of the configuration (used in snapshot file names).</summary>
    public string Name { get; }

    /// <summary>The configuration synthesized.</summary>
    public PipelineSettings Settings { get; }

    /// <summary>The cloud assembly directory.</summary>
    public string OutputDirectory { get; }

    /// <summary>
    /// The deletion policy of the data and logs this configuration keeps (<see cref="PipelineSettings.RetainData"/>):
    /// <c>Retain</c>, or <c>Delete</c> with the stack.
    /// </summary>
    public string DeletionPolicy => Settings.RetainData ? "Retain" : "Delete";

    /// <summary>Construct ids of the stacks, in deployment order.</summary>
    public IReadOnlyList<string> StackIds => [.. _templateFiles.Keys];

    /// <summary>Synthesizes the app for <paramref name="settings"/>.</summary>
    public static SynthesizedApp Synthesize(string name, PipelineSettings settings)
    {
        var outputDirectory = Directory.CreateTempSubdirectory($"pipeline-{name}-").FullName;
        var context = CdkJson.Context();
        // Unit tests never bundle Lambda assets (that is the CLI's job); the templates still reference the assets.
        context["aws:cdk:bundling-stacks"] = Array.Empty<string>();
        var app = new App(new AppProps { Outdir = outputDirectory, Context = context, AnalyticsReporting = false });
        var pipeline = PipelineApp.Compose(app, settings, RepositoryPaths.Root);
        app.Synth();

        var synthesized = new SynthesizedApp(name, settings, outputDirectory);
        foreach (var stack in pipeline.Stacks)
        {
            var file = Path.Combine(outputDirectory, stack.TemplateFile);
            synthesized._templateFiles[stack.Node.Id] = file;
            var json = File.ReadAllText(file);
            // Marshalled to the jsii kernel only when a test asks for the assertion view.
            synthesized._templates[stack.Node.Id] = new(() => Amazon.CDK.Assertions.Template.FromString(json));
            synthesized._json[stack.Node.Id] = new TemplateJson(json);
        }

        return synthesized;
    }

    /// <summary>The assertion view of a stack's template.</summary>
    public Template Template(string stackId) => _templates[stackId].Value;

    /// <summary>The JSON view of a stack's template.</summary>
    public TemplateJson Json(string stackId) => _json[stackId];

    /// <summary>The cloud assembly manifest.</summary>
    public System.Text.Json.Nodes.JsonObject Manifest() =>
        System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(OutputDirectory, "manifest.json")))!.AsObject();

    /// <summary>Path of a stack's template file.</summary>
    public string TemplateFile(string stackId) => _templateFiles[stackId];

    /// <summary>Raw JSON of a stack's template.</summary>
    public string TemplateJson(string stackId) => File.ReadAllText(_templateFiles[stackId]);

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            Directory.Delete(OutputDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is harmless.
        }
    }
}
