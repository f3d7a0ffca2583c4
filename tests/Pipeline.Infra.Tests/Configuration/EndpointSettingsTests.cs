using Pipeline.Infra.Configuration;
using static Pipeline.Infra.Tests.Configuration.Overrides;

namespace Pipeline.Infra.Tests.Configuration;

/// <summary>The endpoint keys: presets, each kind of bad value, and the rules between them.</summary>
public sealed class EndpointSettingsTests
{
    [Fact]
    public void Presets_Sandbox_OneInstanceShiftsAllTrafficAtOnce()
    {
        var endpoint = SettingsPresets.Sandbox.Endpoint;

        Assert.Equal((1, false), (endpoint.InitialInstances, endpoint.UsesCanary));
    }

    [Fact]
    public void Presets_Production_TwoInstancesRunAOneInstanceCanary()
    {
        var endpoint = SettingsPresets.Production.Endpoint;

        Assert.Equal((2, true, 1), (endpoint.InitialInstances, endpoint.UsesCanary, endpoint.MinInstances * endpoint.CanaryPercent / 100));
    }

    [Theory]
    [InlineData("sandbox")]
    [InlineData("production")]
    public void Presets_EbsOnlyInstanceWithAnEncryptedVolume(string profile)
    {
        var endpoint = Load(("profile", profile)).Endpoint;

        Assert.Equal((false, true), (endpoint.HasLocalNvmeStorage, endpoint.EncryptVolume));
    }

    [Fact]
    public void Allowed_EndpointInstanceType_ListsEveryFamilyServedOn()
    {
        var allowed = SettingDefinitions.All.Single(d => d.Key == ConfigurationKeys.EndpointInstanceType).Allowed;

        Assert.All(SettingDefinitions.EndpointCpuFamilies.Concat(SettingDefinitions.EndpointGpuFamilies),
            family => Assert.Contains($"ml.{family}.{{", allowed, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("0.5", 600)]
    [InlineData("1", 1200)]
    [InlineData("0.25", 300)]
    public void TargetInvocationsPerInstance_UsesTheSafetyFactor(string safetyFactor, double target)
    {
        // MAX_RPS 20 x safety factor x 60 seconds.
        Assert.Equal(target, Load(("endpoint.safetyFactor", safetyFactor)).Endpoint.TargetInvocationsPerInstance);
    }

    [Theory]
    [InlineData("endpoint.safetyFactor", "0", ConfigurationErrorCode.OutOfRange)]
    [InlineData("endpoint.safetyFactor", "-0.5", ConfigurationErrorCode.OutOfRange)]
    [InlineData("endpoint.safetyFactor", "1.01", ConfigurationErrorCode.OutOfRange)]
    [InlineData("endpoint.safetyFactor", "half", ConfigurationErrorCode.NotANumber)]
    [InlineData("endpoint.scaleInCooldownSeconds", "-1", ConfigurationErrorCode.OutOfRange)]
    [InlineData("endpoint.scaleOutCooldownSeconds", "3601", ConfigurationErrorCode.OutOfRange)]
    [InlineData("endpoint.canaryWaitMinutes", "61", ConfigurationErrorCode.OutOfRange)]
    [InlineData("endpoint.terminationWaitMinutes", "61", ConfigurationErrorCode.OutOfRange)]
    [InlineData("endpoint.maximumExecutionTimeoutMinutes", "9", ConfigurationErrorCode.OutOfRange)]
    [InlineData("endpoint.maximumExecutionTimeoutMinutes", "481", ConfigurationErrorCode.OutOfRange)]
    [InlineData("endpoint.dataCapturePercent", "101", ConfigurationErrorCode.OutOfRange)]
    [InlineData("endpoint.encryptVolume", "kms", ConfigurationErrorCode.NotAllowed)]
    public void Load_BadEndpointValue_IsRefusedWithItsCode(string key, string value, ConfigurationErrorCode code)
    {
        AssertValueRefused(Refusal((key, value)), code, key, value);
    }

    [Theory]
    [InlineData("51")]
    [InlineData("100")]
    [InlineData("-1")]
    public void Load_CanaryPercentBeyondHalfTheFleet_IsOutOfRange(string value)
    {
        AssertValueRefused(Refusal(("profile", "production"), ("endpoint.canaryPercent", value)), ConfigurationErrorCode.OutOfRange,
            "endpoint.canaryPercent", value);
    }

    [Fact]
    public void Load_CanaryOnAOneInstanceFleet_SaysToGrowTheFleetOrShiftAllAtOnce()
    {
        AssertRefused(Refusal(("endpoint.canaryPercent", "50")), ConfigurationErrorCode.Conflict,
            "endpoint.canaryPercent and endpoint.minInstances", null, "-c endpoint.minInstances=2", "-c endpoint.canaryPercent=0");
    }

    [Fact]
    public void Load_CanarySmallerThanOneInstance_SaysHowMuchToRaise()
    {
        // 25 % of 2 instances is half an instance: 50 % of 2, or 25 % of 4, is one.
        AssertRefused(Refusal(("profile", "production"), ("endpoint.canaryPercent", "25")), ConfigurationErrorCode.Conflict,
            "endpoint.canaryPercent and endpoint.minInstances", null,
            "-c endpoint.canaryPercent to 50", "-c endpoint.minInstances to 4", "-c endpoint.canaryPercent=0");
    }

    [Theory]
    [InlineData("4", "25")]
    [InlineData("3", "34")]
    [InlineData("6", "50")]
    public void Load_CanaryOfAtLeastOneInstance_IsAccepted(string minInstances, string canaryPercent)
    {
        var endpoint = Load(("profile", "production"), ("endpoint.minInstances", minInstances), ("endpoint.canaryPercent", canaryPercent)).Endpoint;

        Assert.True(endpoint.UsesCanary);
    }

    [Fact]
    public void Load_DeploymentTimeoutNotLongerThanTheWaits_AllowsFromTheWaitsOn()
    {
        // Production waits 10 minutes (canary) + 15 minutes (termination) = 25 minutes.
        var error = Refusal(("profile", "production"), ("endpoint.maximumExecutionTimeoutMinutes", "25"));

        AssertRefused(error, ConfigurationErrorCode.Conflict, "endpoint.maximumExecutionTimeoutMinutes", "25",
            "-c endpoint.maximumExecutionTimeoutMinutes", "-c endpoint.canaryWaitMinutes", "-c endpoint.terminationWaitMinutes");
        Assert.StartsWith("26 to 480 minutes", error.Allowed, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ml.m5d.large")]
    [InlineData("ml.c5d.xlarge")]
    [InlineData("ml.r5d.large")]
    [InlineData("ml.g4dn.xlarge")]
    [InlineData("ml.g5.xlarge")]
    public void Load_NvmeInstanceTypeWithVolumeEncryption_NamesBothWaysOut(string instanceType)
    {
        var error = Refusal(("endpoint.instanceType", instanceType));

        AssertRefused(error, ConfigurationErrorCode.Conflict, "endpoint.encryptVolume and endpoint.instanceType", null,
            "-c endpoint.instanceType=", "-c endpoint.encryptVolume=false");
        Assert.StartsWith(instanceType, error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NvmeInstanceTypeWithoutVolumeEncryption_IsAccepted()
    {
        var endpoint = Load(("endpoint.instanceType", "ml.c5d.large"), ("endpoint.encryptVolume", "false")).Endpoint;

        Assert.Equal((true, false), (endpoint.HasLocalNvmeStorage, endpoint.EncryptVolume));
    }

    [Theory]
    [InlineData("ml.m5.large", false)]
    [InlineData("ml.c6i.xlarge", false)]
    [InlineData("ml.r7i.large", false)]
    [InlineData("ml.m5d.large", true)]
    [InlineData("ml.r6id.2xlarge", true)]
    [InlineData("ml.g4dn.xlarge", true)]
    [InlineData("ml.p4d.24xlarge", true)]
    [InlineData("ml.inf1.xlarge", false)]
    [InlineData("not-an-instance-type", false)]
    public void HasLocalNvmeStorage_FollowsTheInstanceFamily(string instanceType, bool expected)
    {
        Assert.Equal(expected, (SettingsPresets.Sandbox.Endpoint with { InstanceType = instanceType }).HasLocalNvmeStorage);
    }

    [Theory]
    [InlineData("ml.inf2.xlarge", "inf2")]
    [InlineData("ml.trn1.2xlarge", "trn1")]
    [InlineData("ml.c7g.large", "c7g")]
    [InlineData("ml.p4d.24xlarge", "p4d")]
    [InlineData("ml.t2.medium", "t2")]
    [InlineData("ml.m4.xlarge", "m4")]
    [InlineData("ml.m6id.large", "m6id")]
    [InlineData("ml.zz9.large", "zz9")]
    public void Load_EndpointFamilyNotServedOn_NamesTheFamily(string instanceType, string family)
    {
        var error = Refusal(("endpoint.instanceType", instanceType));

        AssertValueRefused(error, ConfigurationErrorCode.NotAllowed, "endpoint.instanceType", instanceType);
        Assert.Contains($"family {family}", error.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ml.m5.large")]
    [InlineData("ml.c5.xlarge")]
    [InlineData("ml.c6i.large")]
    [InlineData("ml.m7i.large")]
    [InlineData("ml.r5.2xlarge")]
    public void Load_EbsOnlyEndpointFamily_IsApplied(string instanceType)
    {
        Assert.Equal(instanceType, Load(("endpoint.instanceType", instanceType)).Endpoint.InstanceType);
    }

    [Theory]
    [InlineData("ml.r5.8xlarge", "large, xlarge, 2xlarge, 4xlarge, 12xlarge, 24xlarge")]
    [InlineData("ml.m5.medium", "large, xlarge, 2xlarge, 4xlarge, 12xlarge, 24xlarge")]
    public void Load_HostingSizeTheFamilyDoesNotHave_ListsTheFamilysHostingSizes(string instanceType, string sizes)
    {
        var error = Refusal(("endpoint.instanceType", instanceType));

        AssertValueRefused(error, ConfigurationErrorCode.NotAllowed, "endpoint.instanceType", instanceType);
        Assert.EndsWith($"only {sizes}.", error.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ml.t3.medium")]
    [InlineData("ml.c5n.xlarge")]
    public void Load_TrainingOnlyFamilyForTheEndpoint_IsNotAllowed(string instanceType)
    {
        var error = Refusal(("endpoint.instanceType", instanceType));

        AssertValueRefused(error, ConfigurationErrorCode.NotAllowed, "endpoint.instanceType", instanceType);
        Assert.Contains("only for training", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NoCaptureWithoutDriftRuns_IsAccepted()
    {
        Assert.Equal(0, Load(("profile", "production"), ("endpoint.dataCapturePercent", "0"), ("drift.schedule", "disabled")).Endpoint.DataCapturePercent);
    }

    [Theory]
    [InlineData("monitoring.enabled")]
    [InlineData("monitoring.schedule")]
    public void Load_ModelMonitorKeys_NoLongerKeysOfThisApp(string key)
    {
        AssertRefused(KeyRefusal(["profile", key]), ConfigurationErrorCode.UnknownKey, key, null);
    }
}
