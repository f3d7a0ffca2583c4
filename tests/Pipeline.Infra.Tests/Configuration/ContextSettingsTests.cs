using Pipeline.Infra.Configuration;
using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Configuration;

/// <summary>Reading context as the CLI passes it; no CDK object (and no jsii kernel) is involved.</summary>
public sealed class ContextSettingsTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("pipeline-context-");

    /// <inheritdoc />
    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void FromEnvironment_CommittedCdkJsonContext_SelectsTheSandboxPreset()
    {
        var settings = FromEnvironment(CdkJson.Root.GetProperty("context").GetRawText());

        Assert.Equal(SettingsPresets.Sandbox, settings);
    }

    [Fact]
    public void FromEnvironment_NoContext_SelectsTheSandboxPreset()
    {
        // The app run without the CLI (dotnet run): new App() sees no context either.
        Assert.Equal(SettingsPresets.Sandbox, FromEnvironment(null));
    }

    [Fact]
    public void FromEnvironment_ProfileAndOverridesAsCliStrings_AppliesThem()
    {
        var settings = FromEnvironment("""{ "profile": "production", "stream.retentionHours": "336", "network.clientEndpoints": "false" }""");

        Assert.Equal(PipelineProfile.Production, settings.Profile);
        Assert.Equal(336, settings.Stream.RetentionHours);
        Assert.False(settings.Network.ClientEndpoints);
    }

    [Fact]
    public void FromEnvironment_JsonNumbersAndBooleansFromCdkJson_AreAccepted()
    {
        var settings = FromEnvironment("""{ "network.azCount": 1.0, "training.useSpot": false, "delivery.transformBufferSizeMiB": 0.5 }""");

        Assert.Equal(1, settings.Network.AzCount);
        Assert.False(settings.Training.UseSpot);
        Assert.Equal(0.5, settings.Delivery.TransformBufferSizeMiB);
    }

    [Fact]
    public void FromEnvironment_NullFromCdkJsonsOverlongNumber_SaysItIsNotAFiniteNumber()
    {
        // The CLI parses cdk.json's 1e400 as Infinity and writes it to CDK_CONTEXT_JSON as null.
        var error = Assert.Throws<ConfigurationException>(() => FromEnvironment("""{ "endpoint.safetyFactor": null }"""));

        Assert.StartsWith(
            "endpoint.safetyFactor: is null, not a finite number or any other value: the CDK CLI hands the app JSON null for a number JSON cannot hold (1e400 or another number beyond ±1.8e308 in cdk.json, NaN, Infinity) and for an explicit null. Allowed: a number greater than 0",
            Assert.Single(error.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromEnvironment_NestedSectionObject_PointsToTheFlatKey()
    {
        var error = Assert.Throws<ConfigurationException>(() => FromEnvironment("""{ "training": { "instanceType": "ml.m5.2xlarge", "tuning": { "maxJobs": 4 } } }"""));

        Assert.Equal(
            "training: is a nested JSON object, and the app reads only flat keys: its values are not used. Allowed: flat keys at the top level of \"context\", such as \"training.instanceType\": <value>. Fix: write \"training.instanceType\", \"training.tuning.maxJobs\" as flat keys at the top level of \"context\" (or pass -c training.instanceType=<value>) and remove \"training\".",
            Assert.Single(error.Errors).Message);
    }

    [Fact]
    public void FromEnvironment_UnknownKeyInCdkContextJson_SaysItIsThere()
    {
        File.WriteAllText(Path.Combine(_directory.FullName, "cdk.context.json"), """{ "prefx": "foo" }""");

        var error = Assert.Throws<ConfigurationException>(() => ContextSettings.FromEnvironment(
            name => name == "CDK_CONTEXT_JSON" ? """{ "prefx": "foo" }""" : null, _directory.FullName));

        Assert.EndsWith("Fix: did you mean prefix? Rename the key or remove it from cdk.context.json, where it is set.", Assert.Single(error.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SourceFiles_KeyInCdkJsonContext_IsFoundThere()
    {
        File.WriteAllText(Path.Combine(_directory.FullName, "cdk.json"), """{ "app": "x", "context": { "prefx": "foo" } }""");

        Assert.Equal(("cdk.json", null), (ContextSettings.SourceFiles(_directory.FullName)("prefx"), ContextSettings.SourceFiles(_directory.FullName)("other")));
    }

    [Fact]
    public void FromEnvironment_JsonNumberTooLargeForAWholeNumber_SaysSo()
    {
        var error = Assert.Throws<ConfigurationException>(() => FromEnvironment("""{ "stream.retentionHours": 99999999999999999999 }"""));

        Assert.Equal(
            """stream.retentionHours = "1E+20": is too large for a whole number (at most 2147483647). Allowed: a whole number of hours from 24 to 8760 (365 days). Fix: pass -c stream.retentionHours=<value>, or remove the override to use the sandbox default (24).""",
            Assert.Single(error.Errors).Message);
    }

    [Fact]
    public void FromEnvironment_MisspeltKeyInCliContext_FailsNamingTheClosestKey()
    {
        var error = Assert.Throws<ConfigurationException>(() =>
            FromEnvironment("""{ "profile": "sandbox", "stream.retentionHour": "48", "@aws-cdk/core:checkSecretUsage": true, "aws:cdk:bundling-stacks": [] }"""));

        Assert.Equal(
            "stream.retentionHour: is not a configuration key of this app, nor a key of the AWS CDK. Allowed: the keys listed in README.md (Configuration), and CDK keys (@aws-cdk/..., aws:cdk:..., cdk.context.json lookups). Fix: did you mean stream.retentionHours? Rename the key or remove it (from -c, cdk.json or ~/.cdk.json).",
            Assert.Single(error.Errors).Message);
    }

    [Fact]
    public void FromEnvironment_OverflowFile_IsMergedOverTheVariable()
    {
        var overflow = WriteFile("""{ "stream.retentionHours": "48", "@aws-cdk/aws-iam:minimizePolicies": true }""");

        var settings = FromEnvironment("""{ "profile": "sandbox", "stream.retentionHours": "72" }""", overflow);

        Assert.Equal(48, settings.Stream.RetentionHours);
    }

    [Fact]
    public void FromEnvironment_UnknownKeyInTheOverflowFile_IsReported()
    {
        var overflow = WriteFile("""{ "minimumAuc": "0.4" }""");

        var error = Assert.Throws<ConfigurationException>(() => FromEnvironment("""{ "profile": "sandbox" }""", overflow));

        Assert.StartsWith("minimumAuc: is not a configuration key", Assert.Single(error.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromEnvironment_OverflowFileMissing_NamesTheVariableAndPath()
    {
        var missing = Path.Combine(_directory.FullName, "gone.json");

        var error = Assert.Throws<ConfigurationException>(() => FromEnvironment("{}", missing));

        Assert.Equal(
            $"CONTEXT_OVERFLOW_LOCATION_ENV = \"{missing}\": names a context file that cannot be read (Could not find file '{missing}'.). Allowed: the file the CDK CLI wrote. Fix: run the app through the CDK CLI (npx cdk synth), which writes and removes this file.",
            Assert.Single(error.Errors).Message);
    }

    [Fact]
    public void FromEnvironment_ContextNotAJsonObject_NamesTheVariable()
    {
        var error = Assert.Throws<ConfigurationException>(() => FromEnvironment("""["profile"]"""));

        Assert.Equal(
            """CDK_CONTEXT_JSON: is not a JSON object of context values (the root is a JSON array). Allowed: the JSON object the CDK CLI writes. Fix: run the app through the CDK CLI (npx cdk synth), or pass a JSON object such as {"profile":"sandbox"}.""",
            Assert.Single(error.Errors).Message);
    }

    private static PipelineSettings FromEnvironment(string? contextJson, string? overflowPath = null) =>
        ContextSettings.FromEnvironment(name => name switch
        {
            "CDK_CONTEXT_JSON" => contextJson,
            "CONTEXT_OVERFLOW_LOCATION_ENV" => overflowPath,
            _ => null,
        });

    private string WriteFile(string json)
    {
        var path = Path.Combine(_directory.FullName, "context-overflow.json");
        File.WriteAllText(path, json);
        return path;
    }
}
