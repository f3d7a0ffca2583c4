using Pipeline.Infra.Configuration;
using static Pipeline.Infra.Tests.Configuration.Overrides;

namespace Pipeline.Infra.Tests.Configuration;

/// <summary>Prefixes that make names S3 reserves or names too long, and derived numbers a service refuses.</summary>
public sealed class PrefixAndNumberRulesTests
{
    [Theory]
    [InlineData("sthree", "sthree-")]
    [InlineData("sthree-lake", "sthree-")]
    [InlineData("amzn-s3-demo", "amzn-s3-demo-")]
    [InlineData("amzn-s3-demo-x", "amzn-s3-demo-")]
    public void Load_PrefixMakingAReservedBucketPrefix_NamesTheReservedPrefix(string prefix, string reserved)
    {
        var error = Refusal(("prefix", prefix));

        AssertValueRefused(error, ConfigurationErrorCode.NotAllowed, "prefix", prefix);
        Assert.Contains($"start with {reserved},", error.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sthreex")]
    [InlineData("amzn-s3")]
    [InlineData("abcdefghijklmnopqrst")]
    public void Load_PrefixCloseToReservedOrAtTheLengthLimit_IsAccepted(string prefix)
    {
        Assert.Equal(prefix, Load(("prefix", prefix)).Prefix);
    }

    [Fact]
    public void PrefixNames_LongestPrefix_FitsEveryLimit()
    {
        Assert.Null(PrefixNames.Problem(new string('a', 20)));
    }

    [Fact]
    public void PrefixNames_NameOverItsLimit_NamesTheResourceTheNameAndTheLimit()
    {
        var names = new[] { new PrefixNames.DerivedName("SageMaker endpoint", (p, profile) => $"{p}-{profile}-endpoint", 20) };

        var problem = PrefixNames.Problem("mlpipe", names);

        // The resource, the name as built with the longest profile, its length and the limit.
        Assert.NotNull(problem);
        Assert.All(["SageMaker endpoint", "\"mlpipe-production-endpoint\"", "26 characters", "limit of 20"],
            part => Assert.Contains(part, problem, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_ScalingTargetRoundingToZero_NamesBothKeys()
    {
        // 0.1 requests/s x 0.0001 x 60 = 0.0006 invocations per minute, 0 at two decimals.
        AssertRefused(Refusal(("endpoint.maxRpsPerInstance", "0.1"), ("endpoint.safetyFactor", "0.0001")), ConfigurationErrorCode.Conflict,
            "endpoint.maxRpsPerInstance and endpoint.safetyFactor", null, "-c endpoint.safetyFactor", "-c endpoint.maxRpsPerInstance");
    }

    [Fact]
    public void Load_SmallestScalingTargetThatSurvivesRounding_IsAccepted()
    {
        Assert.Equal(0.01, Load(("endpoint.maxRpsPerInstance", "0.1"), ("endpoint.safetyFactor", "0.0017")).Endpoint.TargetInvocationsPerInstance);
    }

    [Fact]
    public void Load_NegativeZero_IsReadAsZero()
    {
        var settings = Load(("stream.recordsPerSecond", "-0"));

        Assert.Equal("0", settings.Stream.RecordsPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Load_KeyPresentWithNull_IsRefusedWithWhatTheKeyAllows()
    {
        var error = Assert.Single(Assert.Throws<ConfigurationException>(() => PipelineSettingsLoader.Load(
            new Dictionary<string, string?> { ["network.azCount"] = null }, ["network.azCount"], new ContextDetails { NullKeys = ["network.azCount"] })).Errors);

        AssertRefused(error, ConfigurationErrorCode.NullValue, "network.azCount", null);
        Assert.Equal(SettingDefinitions.All.Single(d => d.Key == "network.azCount").Allowed, error.Allowed);
    }
}
