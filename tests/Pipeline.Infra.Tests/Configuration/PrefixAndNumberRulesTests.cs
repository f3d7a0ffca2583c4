using Pipeline.Infra.Configuration;

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
        AssertSingleProblem(
            $"prefix = \"{prefix}\": would make every bucket name start with {reserved}, a prefix S3 reserves: CloudFormation names the app's buckets after their stacks (\"{prefix}-<profile>-<stack>-<resource>-<random>\"), and S3 refuses a bucket name starting with xn--, sthree-, amzn-s3-demo-. Allowed: {PipelineSettingsLoaderTests.PrefixAllowed}. Fix: pass -c prefix=<value>, or remove the override to use the sandbox default (mlpipe).",
            ("prefix", prefix));
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

        Assert.Equal(
            "makes names longer than their services allow (with the longest profile, production): the SageMaker endpoint \"mlpipe-production-endpoint\" would have 26 characters, more than its limit of 20.",
            PrefixNames.Problem("mlpipe", names));
    }

    [Fact]
    public void Load_ScalingTargetRoundingToZero_NamesBothKeys()
    {
        AssertSingleProblem(
            "endpoint.maxRpsPerInstance and endpoint.safetyFactor: the scaling target 0.1 requests/s x 0.0001 x 60 = 0.0006 invocations per instance per minute rounds to 0 at two decimals, and a target tracking policy needs a target above 0 (with 0 every instance is always over target). Allowed: endpoint.maxRpsPerInstance x endpoint.safetyFactor x 60 >= 0.01. Fix: raise -c endpoint.safetyFactor (SageMaker recommends starting at 0.5) or -c endpoint.maxRpsPerInstance to the load-tested requests per second of one instance.",
            ("endpoint.maxRpsPerInstance", "0.1"), ("endpoint.safetyFactor", "0.0001"));
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
    public void Load_KeyPresentWithNull_SaysTheValueIsNotAFiniteNumber()
    {
        var error = Assert.Throws<ConfigurationException>(() => PipelineSettingsLoader.Load(
            new Dictionary<string, string?> { ["network.azCount"] = null }, ["network.azCount"], new ContextDetails { NullKeys = ["network.azCount"] }));

        Assert.Equal(
            "network.azCount: is null, not a finite number or any other value: the CDK CLI hands the app JSON null for a number JSON cannot hold (1e400 or another number beyond ±1.8e308 in cdk.json, NaN, Infinity) and for an explicit null. Allowed: a whole number from 1 to 3. Fix: write a value as allowed, or remove the key to use the profile's default.",
            Assert.Single(error.Errors).Message);
    }

    private static PipelineSettings Load(params (string Key, string Value)[] values) =>
        PipelineSettingsLoader.Load(values.ToDictionary(v => v.Key, v => (string?)v.Value));

    private static void AssertSingleProblem(string expectedMessage, params (string Key, string Value)[] values)
    {
        var error = Assert.Throws<ConfigurationException>(() => Load(values));

        Assert.Equal(expectedMessage, Assert.Single(error.Errors).Message);
    }
}
