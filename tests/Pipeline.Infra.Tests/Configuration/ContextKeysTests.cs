using Pipeline.Infra.Configuration;

namespace Pipeline.Infra.Tests.Configuration;

public sealed class ContextKeysTests
{
    [Theory]
    [InlineData("@aws-cdk/core:checkSecretUsage")]
    [InlineData("@aws-cdk-containers/ecs-service-extensions:enableDefaultLogDriver")]
    [InlineData("aws:cdk:bundling-stacks")]
    [InlineData("aws-cdk:enableDiffNoFail")]
    [InlineData("cdk-migrate")]
    [InlineData("acknowledged-issue-numbers")]
    [InlineData("cli-telemetry")]
    [InlineData("availability-zones:account=123456789012:region=us-west-1")]
    [InlineData("hosted-zone:account=123456789012:domainName=example.com:region=us-east-1")]
    public void IsCdkKey_KeysTheCdkOwns_AreRecognised(string key)
    {
        Assert.True(ContextKeys.IsCdkKey(key));
    }

    [Theory]
    [InlineData("profile")]
    [InlineData("stream.retentionHours")]
    [InlineData("aws-cdk")]
    [InlineData("availability-zones")]
    [InlineData("@aws-cdkx/flag")]
    [InlineData("AWS:CDK:bundling-stacks")]
    public void IsCdkKey_OtherKeys_AreNotTheCdks(string key)
    {
        Assert.False(ContextKeys.IsCdkKey(key));
    }

    [Fact]
    public void ClosestKnownKey_CaseInsensitiveMatch_WinsOverAnyDistance()
    {
        Assert.Equal("stream.mode", ContextKeys.ClosestKnownKey("Stream.Mode", ["stream.mod", "stream.mode"]));
    }

    [Fact]
    public void ClosestKnownKey_KeyWithoutItsSection_FindsTheSectionedKey()
    {
        Assert.Equal("training.minimumAuc", ContextKeys.ClosestKnownKey("minimumauc", ["profile", "prefix", "training.minimumAuc"]));
    }

    [Fact]
    public void ClosestKnownKey_Tie_GoesToTheEarlierKey()
    {
        Assert.Equal("ab", ContextKeys.ClosestKnownKey("aa", ["ab", "ba"]));
    }

    [Fact]
    public void ClosestKnownKey_NoKnownKeys_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => ContextKeys.ClosestKnownKey("x", []));

        Assert.Equal("At least one known key is needed. (Parameter 'knownKeys')", ex.Message);
    }
}
