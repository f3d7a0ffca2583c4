using Pipeline.Infra.Configuration;

namespace Pipeline.Infra.Tests.Configuration;

/// <summary>The endpoint keys: presets, each kind of bad value, and the rules between them.</summary>
public sealed class EndpointSettingsTests
{
    internal const string InstanceTypeAllowed =
        "a SageMaker real-time hosting instance type (the ProductionVariantInstanceType list of the SageMaker API) of a family the XGBoost model serves on: CPU ml.m5.{large, xlarge, 2xlarge, 4xlarge, 12xlarge, 24xlarge}, ml.m5d.{large, xlarge, 2xlarge, 4xlarge, 12xlarge, 24xlarge}, ml.c5.{large, xlarge, 2xlarge, 4xlarge, 9xlarge, 18xlarge}, ml.c5d.{large, xlarge, 2xlarge, 4xlarge, 9xlarge, 18xlarge}, ml.r5.{large, xlarge, 2xlarge, 4xlarge, 12xlarge, 24xlarge}, ml.r5d.{large, xlarge, 2xlarge, 4xlarge, 12xlarge, 24xlarge}, ml.c6i.{large, xlarge, 2xlarge, 4xlarge, 8xlarge, 12xlarge, 16xlarge, 24xlarge, 32xlarge}, ml.m6i.{large, xlarge, 2xlarge, 4xlarge, 8xlarge, 12xlarge, 16xlarge, 24xlarge, 32xlarge}, ml.r6i.{large, xlarge, 2xlarge, 4xlarge, 8xlarge, 12xlarge, 16xlarge, 24xlarge, 32xlarge}, ml.m7i.{large, xlarge, 2xlarge, 4xlarge, 8xlarge, 12xlarge, 16xlarge, 24xlarge, 48xlarge}, ml.c7i.{large, xlarge, 2xlarge, 4xlarge, 8xlarge, 12xlarge, 16xlarge, 24xlarge, 48xlarge}, ml.r7i.{large, xlarge, 2xlarge, 4xlarge, 8xlarge, 12xlarge, 16xlarge, 24xlarge, 48xlarge} (ml.m5.large, ml.c5.large or ml.c6i.large are the cost-effective choices), or GPU ml.g4dn.{xlarge, 2xlarge, 4xlarge, 8xlarge, 12xlarge, 16xlarge}, ml.g5.{xlarge, 2xlarge, 4xlarge, 8xlarge, 12xlarge, 16xlarge, 24xlarge, 48xlarge} (rarely worth it for one XGBoost model); types with local NVMe storage (the d variants, g4dn, g5) need endpoint.encryptVolume=false";

    private const string CanaryAllowed =
        "endpoint.canaryPercent x endpoint.minInstances >= 100 (a canary of at least one instance) with endpoint.canaryPercent <= 50 (at most half the fleet), or endpoint.canaryPercent=0 (all traffic at once)";


    [Fact]
    public void Presets_Sandbox_DeploysOneInstanceAllAtOnceWithoutMonitoring()
    {
        var endpoint = SettingsPresets.Sandbox.Endpoint;

        Assert.Equal(
            (1, 1, 0.5, 300, 60, 0, false, 5, 0, 60, true, false),
            (endpoint.MinInstances, endpoint.InitialInstances, endpoint.SafetyFactor, endpoint.ScaleInCooldownSeconds, endpoint.ScaleOutCooldownSeconds,
                endpoint.CanaryPercent, endpoint.UsesCanary, endpoint.CanaryWaitMinutes, endpoint.TerminationWaitMinutes,
                endpoint.MaximumExecutionTimeoutMinutes, endpoint.EncryptVolume, endpoint.HasLocalNvmeStorage));
    }

    [Fact]
    public void Presets_Production_RunsAOneInstanceCanary()
    {
        var endpoint = SettingsPresets.Production.Endpoint;

        Assert.Equal(
            (2, 2, 0.5, 300, 60, 50, true, 10, 15, 120, true, false),
            (endpoint.MinInstances, endpoint.InitialInstances, endpoint.SafetyFactor, endpoint.ScaleInCooldownSeconds, endpoint.ScaleOutCooldownSeconds,
                endpoint.CanaryPercent, endpoint.UsesCanary, endpoint.CanaryWaitMinutes, endpoint.TerminationWaitMinutes,
                endpoint.MaximumExecutionTimeoutMinutes, endpoint.EncryptVolume, endpoint.HasLocalNvmeStorage));
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
    [InlineData("0")]
    [InlineData("-0.5")]
    [InlineData("1.01")]
    public void Load_SafetyFactorOutsideZeroToOne_IsOutOfRange(string value)
    {
        AssertSingleProblem(
            $"endpoint.safetyFactor = \"{value}\": is out of range. Allowed: a number greater than 0 and at most 1: the share of the load-tested MAX_RPS the scaling aims for, target = MAX_RPS x safetyFactor x 60 invocations per instance per minute (SageMaker recommends starting at 0.5). Fix: pass -c endpoint.safetyFactor=<value>, or remove the override to use the sandbox default (0.5).",
            ("endpoint.safetyFactor", value));
    }

    [Fact]
    public void Load_SafetyFactorNotANumber_SaysSo()
    {
        AssertSingleProblem(
            "endpoint.safetyFactor = \"half\": is not a number. Allowed: a number greater than 0 and at most 1: the share of the load-tested MAX_RPS the scaling aims for, target = MAX_RPS x safetyFactor x 60 invocations per instance per minute (SageMaker recommends starting at 0.5). Fix: pass -c endpoint.safetyFactor=<value>, or remove the override to use the sandbox default (0.5).",
            ("endpoint.safetyFactor", "half"));
    }

    [Theory]
    [InlineData("endpoint.scaleInCooldownSeconds", "-1", "a whole number of seconds from 0 to 3600: the wait after a scale-in before the next one (scale in slowly; 300 is the Application Auto Scaling default for SageMaker variants)", "300")]
    [InlineData("endpoint.scaleOutCooldownSeconds", "3601", "a whole number of seconds from 0 to 3600: the wait after a scale-out before the next one", "60")]
    public void Load_CooldownOutOfRange_NamesTheRange(string key, string value, string allowed, string preset)
    {
        AssertSingleProblem(
            $"{key} = \"{value}\": is out of range. Allowed: {allowed}. Fix: pass -c {key}=<value>, or remove the override to use the sandbox default ({preset}).",
            (key, value));
    }

    [Theory]
    [InlineData("endpoint.canaryWaitMinutes", "61", "a whole number of minutes from 0 to 60 (WaitIntervalInSeconds allows 0 to 3600 seconds): how long the canary, or with endpoint.canaryPercent=0 the whole new fleet, runs before the next step", "5")]
    [InlineData("endpoint.terminationWaitMinutes", "61", "a whole number of minutes from 0 to 60 (TerminationWaitInSeconds allows 0 to 3600 seconds): how long the old fleet is kept after the traffic has shifted", "0")]
    [InlineData("endpoint.maximumExecutionTimeoutMinutes", "9", "a whole number of minutes from 10 to 480 (MaximumExecutionTimeoutInSeconds allows 600 to 28800 seconds), longer than endpoint.canaryWaitMinutes + endpoint.terminationWaitMinutes", "60")]
    [InlineData("endpoint.maximumExecutionTimeoutMinutes", "481", "a whole number of minutes from 10 to 480 (MaximumExecutionTimeoutInSeconds allows 600 to 28800 seconds), longer than endpoint.canaryWaitMinutes + endpoint.terminationWaitMinutes", "60")]
    public void Load_DeploymentTimeOutOfTheSageMakerRange_NamesTheApiLimit(string key, string value, string allowed, string preset)
    {
        AssertSingleProblem(
            $"{key} = \"{value}\": is out of range. Allowed: {allowed}. Fix: pass -c {key}=<value>, or remove the override to use the sandbox default ({preset}).",
            (key, value));
    }

    [Theory]
    [InlineData("51")]
    [InlineData("100")]
    [InlineData("-1")]
    public void Load_CanaryPercentBeyondHalfTheFleet_IsOutOfRange(string value)
    {
        AssertSingleProblem(
            $"endpoint.canaryPercent = \"{value}\": is out of range. Allowed: a whole percentage of the fleet from 1 to 50 for a blue/green canary (SageMaker allows a canary of at most half the instances), at least one instance of endpoint.minInstances; or 0 to shift all traffic at once. Fix: pass -c endpoint.canaryPercent=<value>, or remove the override to use the production default (50).",
            ("profile", "production"), ("endpoint.canaryPercent", value));
    }

    [Fact]
    public void Load_CanaryOnAOneInstanceFleet_WouldBeTheWholeFleet()
    {
        AssertSingleProblem(
            $"endpoint.canaryPercent and endpoint.minInstances: a fleet of 1 instance cannot run a canary of 50 %: the smallest canary, one instance, would be the whole fleet, and SageMaker allows a canary of at most 50 % of the instances. Allowed: {CanaryAllowed}. Fix: pass -c endpoint.minInstances=2 or more (with -c endpoint.canaryPercent=50), or -c endpoint.canaryPercent=0 to shift all traffic at once.",
            ("endpoint.canaryPercent", "50"));
    }

    [Fact]
    public void Load_CanarySmallerThanOneInstance_SaysHowMuchToRaise()
    {
        AssertSingleProblem(
            $"endpoint.canaryPercent and endpoint.minInstances: a canary of 25 % of the smallest fleet (2 instances, endpoint.minInstances) is 0.5 instances, less than one instance. Allowed: {CanaryAllowed}. Fix: raise -c endpoint.canaryPercent to 50 or more (at most 50), raise -c endpoint.minInstances to 4 or more, or pass -c endpoint.canaryPercent=0 to shift all traffic at once.",
            ("profile", "production"), ("endpoint.canaryPercent", "25"));
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
    public void Load_DeploymentTimeoutNotLongerThanTheWaits_ShowsTheSum()
    {
        AssertSingleProblem(
            "endpoint.maximumExecutionTimeoutMinutes = \"25\": a deployment waits 10 minutes (endpoint.canaryWaitMinutes) + 15 minutes (endpoint.terminationWaitMinutes) = 25 minutes, and SageMaker wants MaximumExecutionTimeoutInSeconds larger than the waits (it also covers provisioning the new fleet). Allowed: 26 to 480 minutes. Fix: raise -c endpoint.maximumExecutionTimeoutMinutes well above 25 (for example 55), or lower -c endpoint.canaryWaitMinutes or -c endpoint.terminationWaitMinutes.",
            ("profile", "production"), ("endpoint.maximumExecutionTimeoutMinutes", "25"));
    }

    [Theory]
    [InlineData("ml.m5d.large")]
    [InlineData("ml.c5d.xlarge")]
    [InlineData("ml.r5d.large")]
    [InlineData("ml.g4dn.xlarge")]
    [InlineData("ml.g5.xlarge")]
    public void Load_NvmeInstanceTypeWithVolumeEncryption_NamesBothWaysOut(string instanceType)
    {
        AssertSingleProblem(
            $"endpoint.encryptVolume and endpoint.instanceType: {instanceType} has local NVMe instance storage, and SageMaker rejects an EndpointConfig KmsKeyId (the volume key) for instance types with local storage: CreateEndpointConfig would fail. Allowed: endpoint.encryptVolume=true on an EBS-only family (m5, m6i, m7i, c5, c6i, c7i, r5, r6i, r7i), or endpoint.encryptVolume=false on a family with NVMe storage (the d variants, g4dn, g5). Fix: pass an EBS-only type such as -c endpoint.instanceType=ml.m5.large or ml.c5.large, or pass -c endpoint.encryptVolume=false (NVMe instance storage is encrypted in hardware with a key of the instance, not with the pipeline's KMS key).",
            ("endpoint.instanceType", instanceType));
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

    [Fact]
    public void Load_EncryptVolumeNotABoolean_ListsTrueAndFalse()
    {
        AssertSingleProblem(
            "endpoint.encryptVolume = \"kms\": is not a boolean. Allowed: true or false. Fix: pass -c endpoint.encryptVolume=<value>, or remove the override to use the sandbox default (true).",
            ("endpoint.encryptVolume", "kms"));
    }

    [Theory]
    [InlineData("ml.inf2.xlarge", "inf2")]
    [InlineData("ml.trn1.2xlarge", "trn1")]
    [InlineData("ml.c7g.large", "c7g")]
    [InlineData("ml.p4d.24xlarge", "p4d")]
    public void Load_EndpointFamilyXgboostDoesNotServeOn_ListsTheFamilies(string instanceType, string family)
    {
        AssertSingleProblem(
            $"endpoint.instanceType = \"{instanceType}\": uses the instance family {family}, which is not a real-time hosting family the XGBoost model serves on: it needs x86 CPUs or NVIDIA GPUs of the G4dn or G5 families (Graviton, Inferentia, Trainium and the large training GPUs are not supported). Allowed: {InstanceTypeAllowed}. Fix: pass -c endpoint.instanceType=<value>, or remove the override to use the sandbox default (ml.m5.large).",
            ("endpoint.instanceType", instanceType));
    }

    [Theory]
    [InlineData("ml.t2.medium", "t2")]
    [InlineData("ml.m4.xlarge", "m4")]
    public void Load_RetiredEndpointFamily_NamesTheFamily(string instanceType, string family)
    {
        AssertSingleProblem(
            $"endpoint.instanceType = \"{instanceType}\": uses the retired or previous-generation family {family}. Allowed: {InstanceTypeAllowed}. Fix: pass -c endpoint.instanceType=<value>, or remove the override to use the sandbox default (ml.m5.large).",
            ("endpoint.instanceType", instanceType));
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
    [InlineData("ml.r5.8xlarge", "r5", "large, xlarge, 2xlarge, 4xlarge, 12xlarge, 24xlarge")]
    [InlineData("ml.m5.medium", "m5", "large, xlarge, 2xlarge, 4xlarge, 12xlarge, 24xlarge")]
    public void Load_HostingSizeTheFamilyDoesNotHave_ListsTheFamilysHostingSizes(string instanceType, string family, string sizes)
    {
        AssertSingleProblem(
            $"endpoint.instanceType = \"{instanceType}\": is not offered for real-time hosting: SageMaker has no real-time hosting instance of size {instanceType.Split('.')[2]} in the {family} family, only {sizes}. Allowed: {InstanceTypeAllowed}. Fix: pass -c endpoint.instanceType=<value>, or remove the override to use the sandbox default (ml.m5.large).",
            ("endpoint.instanceType", instanceType));
    }

    [Theory]
    [InlineData("ml.t3.medium", "t3")]
    [InlineData("ml.c5n.xlarge", "c5n")]
    public void Load_TrainingOnlyFamilyForTheEndpoint_SaysItIsOfferedOnlyForTraining(string instanceType, string family)
    {
        AssertSingleProblem(
            $"endpoint.instanceType = \"{instanceType}\": is not offered for real-time hosting: SageMaker offers the {family} family only for training. Allowed: {InstanceTypeAllowed}. Fix: pass -c endpoint.instanceType=<value>, or remove the override to use the sandbox default (ml.m5.large).",
            ("endpoint.instanceType", instanceType));
    }

    [Theory]
    [InlineData("ml.m6id.large", "m6id")]
    [InlineData("ml.zz9.large", "zz9")]
    public void Load_FamilyInNeitherSageMakerList_SaysItIsNotAnInstanceType(string instanceType, string family)
    {
        AssertSingleProblem(
            $"endpoint.instanceType = \"{instanceType}\": is not a SageMaker instance type: the family {family} is in neither the training nor the real-time hosting list of the SageMaker API. Allowed: {InstanceTypeAllowed}. Fix: pass -c endpoint.instanceType=<value>, or remove the override to use the sandbox default (ml.m5.large).",
            ("endpoint.instanceType", instanceType));
    }

    [Fact]
    public void Load_DataCapturePercentAbove100_IsOutOfRange()
    {
        AssertSingleProblem(
            "endpoint.dataCapturePercent = \"101\": is out of range. Allowed: a whole percentage from 0 to 100 (DataCaptureConfig InitialSamplingPercentage). Fix: pass -c endpoint.dataCapturePercent=<value>, or remove the override to use the sandbox default (100).",
            ("endpoint.dataCapturePercent", "101"));
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
        var error = Assert.Throws<ConfigurationException>(() => PipelineSettingsLoader.Load(new Dictionary<string, string?>(), ["profile", key]));

        Assert.StartsWith($"{key}: is not a configuration key of this app, nor a key of the AWS CDK.", Assert.Single(error.Errors).Message, StringComparison.Ordinal);
    }

    private static PipelineSettings Load(params (string Key, string Value)[] values) =>
        PipelineSettingsLoader.Load(values.ToDictionary(v => v.Key, v => (string?)v.Value));

    private static void AssertSingleProblem(string expectedMessage, params (string Key, string Value)[] values)
    {
        var error = Assert.Throws<ConfigurationException>(() => Load(values));

        Assert.Equal(expectedMessage, Assert.Single(error.Errors).Message);
    }
}
