using Pipeline.Infra.Configuration;
using static Pipeline.Infra.Tests.Configuration.Overrides;

namespace Pipeline.Infra.Tests.Configuration;

/// <summary>Unknown keys: a suggestion only when close, otherwise the section's keys; nested objects; the file a key is in.</summary>
public sealed class UnknownKeyTests
{
    [Fact]
    public void Load_UnknownKeyInAKnownSectionWithNothingClose_ListsTheSectionsKeys()
    {
        var error = KeyRefusal(["training.foo"]);

        AssertRefused(error, ConfigurationErrorCode.UnknownKey, "training.foo", null,
            [.. PipelineSettingsLoader.KnownKeys.Where(k => k.StartsWith("training.", StringComparison.Ordinal))]);
        Assert.DoesNotContain("did you mean", error.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownKeyWithoutSectionAndNothingClose_ListsTheSections()
    {
        var sections = PipelineSettingsLoader.KnownKeys.Select(ContextKeys.SectionOf).OfType<string>().Distinct().Select(s => s + ".*");

        AssertRefused(KeyRefusal(["xyz"]), ConfigurationErrorCode.UnknownKey, "xyz", null, ["profile", "prefix", .. sections]);
    }

    [Fact]
    public void Load_UnrelatedWord_GetsNoSuggestion()
    {
        Assert.DoesNotContain("did you mean", KeyRefusal(["unrelated"]).Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownKeyInCdkContextJson_SaysToRemoveItFromThatFile()
    {
        var details = new ContextDetails { SourceOf = k => k == "prefx" ? "cdk.context.json" : null };

        AssertRefused(KeyRefusal(["prefx"], details), ConfigurationErrorCode.UnknownKey, "prefx", null, "did you mean prefix?", "remove it from cdk.context.json");
    }

    [Fact]
    public void Load_NestedObject_PointsToTheFlatKeys()
    {
        var details = new ContextDetails { NestedKeys = new Dictionary<string, IReadOnlyList<string>> { ["training"] = ["training.instanceType"] } };

        AssertRefused(KeyRefusal(["training"], details), ConfigurationErrorCode.NestedObject, "training", null,
            "\"training.instanceType\"", "-c training.instanceType=", "remove \"training\"");
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
}
