using Amazon.CDK;
using Pipeline.Core.Configuration;
using Pipeline.Infra.Configuration;
using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Configuration;

[Collection(CdkCollection.Name)]
public sealed class ContextSettingsTests
{
    [Fact]
    public void Read_CommittedCdkJsonContext_SelectsTheSandboxPreset()
    {
        var app = new App(new AppProps { Context = CdkJson.Context() });

        var settings = ContextSettings.Read(app.Node, contextJson: null);

        Assert.Equal(SettingsPresets.Sandbox, settings);
    }

    [Fact]
    public void Read_ProfileAndOverridesAsCliStrings_AppliesThem()
    {
        var app = new App(new AppProps
        {
            Context = new Dictionary<string, object>
            {
                ["profile"] = "production",
                ["stream.retentionHours"] = "336",
                ["network.clientEndpoints"] = "false",
            },
        });

        var settings = ContextSettings.Read(app.Node, contextJson: null);

        Assert.Equal(PipelineProfile.Production, settings.Profile);
        Assert.Equal(336, settings.Stream.RetentionHours);
        Assert.False(settings.Network.ClientEndpoints);
    }

    [Fact]
    public void Read_JsonNumbersAndBooleansFromCdkJson_AreAccepted()
    {
        var app = new App(new AppProps
        {
            Context = new Dictionary<string, object>
            {
                ["network.azCount"] = 1d,
                ["training.useSpot"] = false,
                ["delivery.transformBufferSizeMiB"] = 0.5d,
            },
        });

        var settings = ContextSettings.Read(app.Node, contextJson: null);

        Assert.Equal(1, settings.Network.AzCount);
        Assert.False(settings.Training.UseSpot);
        Assert.Equal(0.5, settings.Delivery.TransformBufferSizeMiB);
    }

    [Fact]
    public void Read_MisspeltKeyInCliContext_FailsNamingTheClosestKey()
    {
        var app = new App();

        var error = Assert.Throws<ConfigurationException>(() =>
            ContextSettings.Read(app.Node, """{ "profile": "sandbox", "stream.retentionHour": "48", "@aws-cdk/core:checkSecretUsage": true }"""));

        var problem = Assert.Single(error.Errors);
        Assert.Equal(
            "stream.retentionHour: is not a configuration key. Allowed: the keys of section stream. listed in README.md. Fix: did you mean stream.retentionHours? Rename the key or remove it.",
            problem.Message);
    }
}
