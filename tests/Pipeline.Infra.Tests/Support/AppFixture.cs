using Pipeline.Infra.Configuration;

namespace Pipeline.Infra.Tests.Support;

/// <summary>
/// Synthesizes each configuration once per test run, on first use, and shares it with every test class in the
/// <see cref="CdkCollection"/>.
/// </summary>
public sealed class AppFixture : IDisposable
{
    private readonly Lazy<SynthesizedApp> _sandbox = new(() => SynthesizedApp.Synthesize("sandbox", SettingsPresets.Sandbox));
    private readonly Lazy<SynthesizedApp> _production = new(() => SynthesizedApp.Synthesize("production", SettingsPresets.Production));

    private readonly Lazy<AppGateRuns> _gates;

    /// <summary>Creates the fixture; nothing is synthesized until a test asks.</summary>
    public AppFixture() =>
        _gates = new(() => AppGateRuns.Run([.. Presets.SelectMany(app => app.StackIds.Select(app.TemplateFile))]));

    /// <summary>The policy and deployability gates over every template of both presets, run once.</summary>
    public AppGateRuns Gates => _gates.Value;

    /// <summary>The sandbox preset.</summary>
    public SynthesizedApp Sandbox => _sandbox.Value;

    /// <summary>The production preset.</summary>
    public SynthesizedApp Production => _production.Value;

    /// <summary>The presets users deploy (the policy gates and snapshots cover these).</summary>
    public IEnumerable<SynthesizedApp> Presets => [Sandbox, Production];

    /// <summary>A preset by name.</summary>
    public SynthesizedApp ByName(string name) => name switch
    {
        "sandbox" => Sandbox,
        "production" => Production,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown configuration."),
    };

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var app in new[] { _sandbox, _production }.Where(l => l.IsValueCreated))
        {
            app.Value.Dispose();
        }
    }
}

/// <summary>Every test class that synthesizes CDK joins this collection: one fixture, no parallel jsii calls.</summary>
[CollectionDefinition(Name)]
public sealed class CdkCollection : ICollectionFixture<AppFixture>
{
    /// <summary>The collection name.</summary>
    public const string Name = "cdk";
}
