using Pipeline.Infra.Configuration;

namespace Pipeline.Infra.Tests.Configuration;

/// <summary>Unknown keys: a suggestion only when close, otherwise the section's keys; nested objects; the file a key is in.</summary>
public sealed class UnknownKeyTests
{
    private const string Problem =
        "is not a configuration key of this app, nor a key of the AWS CDK. Allowed: the keys listed in README.md (Configuration), and CDK keys (@aws-cdk/..., aws:cdk:..., cdk.context.json lookups).";

    [Fact]
    public void Load_UnknownKeyInAKnownSectionWithNothingClose_ListsTheSectionsKeys()
    {
        var trainingKeys = string.Join(", ", PipelineSettingsLoader.KnownKeys.Where(k => k.StartsWith("training.", StringComparison.Ordinal)));

        Assert.Equal(
            $"training.foo: {Problem} Fix: no key of the app is close to it; the training.* keys are {trainingKeys}. Use one of them, or remove it (from -c, cdk.json or ~/.cdk.json).",
            SingleError(["training.foo"]));
    }

    [Fact]
    public void Load_UnknownKeyWithoutSectionAndNothingClose_ListsTheSections()
    {
        Assert.Equal(
            $"xyz: {Problem} Fix: no key of the app is close to it; the app's keys are profile, prefix and the network.*, stream.*, delivery.*, training.*, endpoint.*, alarms.*, retention.*, catalog.*, drift.*, functions.* keys (README.md, Configuration). Use one of them, or remove it (from -c, cdk.json or ~/.cdk.json).",
            SingleError(["xyz"]));
    }

    [Fact]
    public void Load_UnrelatedWord_GetsNoSuggestion()
    {
        Assert.DoesNotContain("did you mean", SingleError(["unrelated"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownKeyInCdkContextJson_SaysToRemoveItFromThatFile()
    {
        var details = new ContextDetails { SourceOf = k => k == "prefx" ? "cdk.context.json" : null };

        Assert.Equal(
            $"prefx: {Problem} Fix: did you mean prefix? Rename the key or remove it from cdk.context.json, where it is set.",
            SingleError(["prefx"], details));
    }

    [Fact]
    public void Load_NestedObject_PointsToTheFlatKeys()
    {
        var details = new ContextDetails { NestedKeys = new Dictionary<string, IReadOnlyList<string>> { ["training"] = ["training.instanceType"] } };

        Assert.Equal(
            "training: is a nested JSON object, and the app reads only flat keys: its values are not used. Allowed: flat keys at the top level of \"context\", such as \"training.instanceType\": <value>. Fix: write \"training.instanceType\" as flat keys at the top level of \"context\" (or pass -c training.instanceType=<value>) and remove \"training\".",
            SingleError(["training"], details));
    }

    [Theory]
    [InlineData("training.instacneType", "training.instanceType")] // a swap of two letters is one edit
    [InlineData("endpoint.minInstance", "endpoint.minInstances")]
    [InlineData("streams.retentionHours", "stream.retentionHours")]
    [InlineData("TRAINING.MINIMUMAUC", "training.minimumAuc")]
    public void CloseKnownKey_NearMiss_IsSuggested(string key, string expected)
    {
        Assert.Equal(expected, ContextKeys.CloseKnownKey(key, PipelineSettingsLoader.KnownKeys));
    }

    [Theory]
    [InlineData("xyz")]
    [InlineData("unrelated")]
    [InlineData("training.foo")]
    public void CloseKnownKey_NothingClose_IsNull(string key)
    {
        Assert.Null(ContextKeys.CloseKnownKey(key, PipelineSettingsLoader.KnownKeys));
    }

    [Theory]
    [InlineData("ab", "ba", 1)]
    [InlineData("abc", "ca", 3)]
    [InlineData("Prefix", "prefx", 1)]
    public void EditDistance_Pairs_CountsSwapsAsOneEdit(string a, string b, int expected)
    {
        Assert.Equal(expected, ContextKeys.EditDistance(a, b));
    }

    private static string SingleError(string[] keys, ContextDetails? details = null)
    {
        var error = Assert.Throws<ConfigurationException>(() => PipelineSettingsLoader.Load(
            new Dictionary<string, string?>(), keys, details ?? ContextDetails.None));

        return Assert.Single(error.Errors).Message;
    }
}
