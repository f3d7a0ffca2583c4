using Pipeline.Infra.Configuration;
using Pipeline.Infra.Tests.Support;
using static Pipeline.Infra.Tests.Configuration.Overrides;

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
    public void FromEnvironment_NullFromCdkJsonsOverlongNumber_IsRefusedAsNull()
    {
        // The CLI parses cdk.json's 1e400 as Infinity and writes it to CDK_CONTEXT_JSON as null.
        var error = Refused("""{ "endpoint.safetyFactor": null }""");

        AssertRefused(error, ConfigurationErrorCode.NullValue, "endpoint.safetyFactor", null, "remove the key");
    }

    [Fact]
    public void FromEnvironment_NestedSectionObject_PointsToEveryFlatKey()
    {
        var error = Refused("""{ "training": { "instanceType": "ml.m5.2xlarge", "tuning": { "maxJobs": 4 } } }""");

        AssertRefused(error, ConfigurationErrorCode.NestedObject, "training", null,
            "\"training.instanceType\", \"training.tuning.maxJobs\"", "-c training.instanceType=");
    }

    [Fact]
    public void FromEnvironment_UnknownKeyInCdkContextJson_SaysItIsThere()
    {
        File.WriteAllText(Path.Combine(_directory.FullName, "cdk.context.json"), """{ "prefx": "foo" }""");

        var error = Assert.Single(Assert.Throws<ConfigurationException>(() => ContextSettings.FromEnvironment(
            name => name == "CDK_CONTEXT_JSON" ? """{ "prefx": "foo" }""" : null, _directory.FullName)).Errors);

        AssertRefused(error, ConfigurationErrorCode.UnknownKey, "prefx", null, "did you mean prefix?", "remove it from cdk.context.json");
    }

    [Fact]
    public void SourceFiles_KeyInCdkJsonContext_IsFoundThere()
    {
        File.WriteAllText(Path.Combine(_directory.FullName, "cdk.json"), """{ "app": "x", "context": { "prefx": "foo" } }""");

        Assert.Equal(("cdk.json", null), (ContextSettings.SourceFiles(_directory.FullName)("prefx"), ContextSettings.SourceFiles(_directory.FullName)("other")));
    }

    [Fact]
    public void FromEnvironment_JsonNumberTooLargeForAWholeNumber_IsOutOfRangeEchoedAsANumber()
    {
        var error = Refused("""{ "stream.retentionHours": 99999999999999999999 }""");

        AssertValueRefused(error, ConfigurationErrorCode.OutOfRange, "stream.retentionHours", "1E+20");
    }

    [Fact]
    public void FromEnvironment_MisspeltKeyInCliContext_FailsNamingTheClosestKey()
    {
        var error = Refused("""{ "profile": "sandbox", "stream.retentionHour": "48", "@aws-cdk/core:checkSecretUsage": true, "aws:cdk:bundling-stacks": [] }""");

        AssertRefused(error, ConfigurationErrorCode.UnknownKey, "stream.retentionHour", null, "did you mean stream.retentionHours?");
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

        var error = Refused("""{ "profile": "sandbox" }""", overflow);

        AssertRefused(error, ConfigurationErrorCode.UnknownKey, "minimumAuc", null, "did you mean training.minimumAuc?");
    }

    [Fact]
    public void FromEnvironment_OverflowFileMissing_NamesTheVariableAndPath()
    {
        var missing = Path.Combine(_directory.FullName, "gone.json");

        var error = Refused("{}", missing);

        AssertRefused(error, ConfigurationErrorCode.UnreadableContext, "CONTEXT_OVERFLOW_LOCATION_ENV", missing, "npx cdk synth");
    }

    [Fact]
    public void FromEnvironment_ContextNotAJsonObject_NamesTheVariableAndWhatItHolds()
    {
        var error = Refused("""["profile"]""");

        AssertRefused(error, ConfigurationErrorCode.UnreadableContext, "CDK_CONTEXT_JSON", null, "npx cdk synth");
        Assert.Contains("JSON array", error.Problem, StringComparison.Ordinal);
    }

    private static ConfigurationError Refused(string? contextJson, string? overflowPath = null) =>
        Assert.Single(Assert.Throws<ConfigurationException>(() => FromEnvironment(contextJson, overflowPath)).Errors);

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
