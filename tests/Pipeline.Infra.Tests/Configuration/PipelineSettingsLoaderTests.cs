using Pipeline.Infra.Configuration;
using static Pipeline.Infra.Tests.Configuration.Overrides;

namespace Pipeline.Infra.Tests.Configuration;

public sealed class PipelineSettingsLoaderTests
{
    [Fact]
    public void Load_NoValues_ReturnsTheSandboxPreset()
    {
        Assert.Equal(SettingsPresets.Sandbox, Load());
    }

    [Fact]
    public void Load_ProfileProduction_ReturnsTheProductionPreset()
    {
        Assert.Equal(SettingsPresets.Production, Load(("profile", "production")));
    }

    [Theory]
    [InlineData("sandbox")]
    [InlineData("production")]
    public void Validate_Presets_HaveNoProblems(string profile)
    {
        var preset = profile == "sandbox" ? SettingsPresets.Sandbox : SettingsPresets.Production;

        Assert.Empty(PipelineSettingsLoader.Validate(preset));
    }

    [Fact]
    public void Validate_SandboxPresetAsProduction_BreaksTheProductionMinimums()
    {
        // Production is stricter: at least two endpoint instances and a week of stream history (README, Configuration).
        var errors = PipelineSettingsLoader.Validate(SettingsPresets.Sandbox with { Profile = PipelineProfile.Production });

        Assert.Equal(
            [(ConfigurationErrorCode.ProductionRule, "endpoint.minInstances"), (ConfigurationErrorCode.ProductionRule, "stream.retentionHours")],
            errors.Where(e => e.Code == ConfigurationErrorCode.ProductionRule).Select(e => (e.Code, e.Key)));
    }

    [Fact]
    public void Load_EveryKeyOverridden_AppliesEachValue()
    {
        var settings = Load(
            ("profile", "production"), ("prefix", "telemetry-ml"), ("network.azCount", "2"), ("network.clientEndpoints", "false"), ("network.tracing", "false"),
            ("stream.mode", "onDemand"), ("stream.retentionHours", "336"), ("stream.recordsPerSecond", "5000"),
            ("stream.averageRecordSizeKiB", "2.5"), ("stream.consumers", "3"), ("stream.headroomFactor", "1.5"), ("stream.shardQuota", "6000"),
            ("delivery.bufferIntervalSeconds", "120"), ("delivery.bufferSizeMiB", "96"),
            ("delivery.transformBufferSizeMiB", "0.5"), ("delivery.transformBufferIntervalSeconds", "30"),
            ("training.instanceType", "ml.c6i.2xlarge"), ("training.instanceCount", "2"), ("training.schedule", "rate(12 hours)"),
            ("training.maxRuntimeMinutes", "240"), ("training.useSpot", "false"), ("training.minimumAuc", "0.9"),
            ("training.lookbackDays", "60"), ("training.minimumRows", "200000"), ("training.minimumPositives", "500"),
            ("training.validationFraction", "0.25"), ("training.scalePosWeight", "12.5"), ("training.regressionTolerance", "0.02"),
            ("training.autoApprove", "true"), ("training.executionTimeoutMinutes", "600"), ("training.tuning.enabled", "true"),
            ("training.tuning.maxJobs", "6"), ("training.tuning.maxParallelJobs", "3"), ("training.tuning.eta", "0.01..0.3"),
            ("training.tuning.maxDepth", "4..12"), ("training.tuning.minChildWeight", "0..20"), ("training.tuning.subsample", "0.6..0.9"),
            ("endpoint.instanceType", "ml.c6i.large"), ("endpoint.minInstances", "3"), ("endpoint.maxInstances", "8"),
            ("endpoint.maxRpsPerInstance", "40"), ("endpoint.dataCapturePercent", "5"), ("endpoint.safetyFactor", "0.7"),
            ("endpoint.scaleInCooldownSeconds", "600"), ("endpoint.scaleOutCooldownSeconds", "30"), ("endpoint.canaryPercent", "34"),
            ("endpoint.canaryWaitMinutes", "20"), ("endpoint.terminationWaitMinutes", "30"), ("endpoint.maximumExecutionTimeoutMinutes", "240"),
            ("endpoint.encryptVolume", "false"),
            ("alarms.email", "ops@example.com"), ("alarms.iteratorAgeMinutes", "30"), ("alarms.endpointLatencyP99Ms", "250"),
            ("retention.logDays", "1096"), ("retention.rawDataDays", "730"), ("retention.errorDataDays", "60"),
            ("retention.noncurrentVersionDays", "14"), ("catalog.manageEncryption", "true"), ("catalog.bytesScannedCutoffMiB", "2000"),
            ("drift.schedule", "disabled"), ("drift.windowHours", "6"), ("drift.psiWarn", "0.15"), ("drift.psiAlarm", "0.3"), ("drift.minimumRows", "500"),
            ("functions.reservedConcurrency", "8"));

        Assert.Equal(new PipelineSettings
        {
            Profile = PipelineProfile.Production,
            Prefix = "telemetry-ml",
            Network = new NetworkSettings { AzCount = 2, ClientEndpoints = false, Tracing = false },
            Stream = new StreamSettings
            {
                Mode = StreamCapacityMode.OnDemand, RetentionHours = 336, RecordsPerSecond = 5000, AverageRecordSizeKiB = 2.5, Consumers = 3,
                HeadroomFactor = 1.5, ShardQuota = 6000,
            },
            Delivery = new DeliverySettings
            {
                BufferIntervalSeconds = 120, BufferSizeMiB = 96, TransformBufferSizeMiB = 0.5, TransformBufferIntervalSeconds = 30,
            },
            Training = new TrainingSettings
            {
                InstanceType = "ml.c6i.2xlarge", InstanceCount = 2, Schedule = "rate(12 hours)", MaxRuntimeMinutes = 240, UseSpot = false,
                MaxWaitMinutes = null, MinimumAuc = 0.9, LookbackDays = 60, MinimumRows = 200_000, MinimumPositives = 500,
                ValidationFraction = 0.25, ScalePosWeight = 12.5, RegressionTolerance = 0.02, AutoApprove = true, ExecutionTimeoutMinutes = 600,
                Tuning = new TuningSettings
                {
                    Enabled = true, MaxJobs = 6, MaxParallelJobs = 3,
                    Eta = new HyperparameterRange { Min = 0.01, Max = 0.3, Scaling = HyperparameterScaling.Logarithmic, IsInteger = false },
                    MaxDepth = new HyperparameterRange { Min = 4, Max = 12, Scaling = HyperparameterScaling.Linear, IsInteger = true },
                    MinChildWeight = new HyperparameterRange { Min = 0, Max = 20, Scaling = HyperparameterScaling.Linear, IsInteger = false },
                    Subsample = new HyperparameterRange { Min = 0.6, Max = 0.9, Scaling = HyperparameterScaling.Linear, IsInteger = false },
                },
            },
            Endpoint = new EndpointSettings
            {
                InstanceType = "ml.c6i.large", MinInstances = 3, MaxInstances = 8, MaxRpsPerInstance = 40, DataCapturePercent = 5,
                SafetyFactor = 0.7, ScaleInCooldownSeconds = 600, ScaleOutCooldownSeconds = 30, CanaryPercent = 34, CanaryWaitMinutes = 20,
                TerminationWaitMinutes = 30, MaximumExecutionTimeoutMinutes = 240, EncryptVolume = false,
            },
            Alarms = new AlarmSettings { Email = "ops@example.com", IteratorAgeMinutes = 30, EndpointLatencyP99Ms = 250 },
            Retention = new RetentionSettings { LogDays = 1096, RawDataDays = 730, ErrorDataDays = 60, NoncurrentVersionDays = 14 },
            Catalog = new CatalogSettings { ManageCatalogEncryption = true, BytesScannedCutoffMiB = 2000 },
            Drift = new DriftSettings { Schedule = "disabled", WindowHours = 6, PsiWarn = 0.15, PsiAlarm = 0.3, MinimumRows = 500 },
            Functions = new FunctionSettings { ReservedConcurrency = 8 },
        }, settings);
    }

    [Fact]
    public void Load_UnknownProfile_ListsTheProfilesAndHowToPassOne()
    {
        var error = Refusal(("profile", "prod"));

        AssertRefused(error, ConfigurationErrorCode.NotAllowed, "profile", "prod", "-c profile=sandbox", "-c profile=production");
        Assert.Equal("sandbox, production", error.Allowed);
    }

    [Theory]
    [InlineData("sandbox", "24")]
    [InlineData("production", "168")]
    public void Load_BadValue_FixNamesTheProfilesDefault(string profile, string preset)
    {
        var error = Refusal(("profile", profile), ("stream.retentionHours", "x"));

        AssertValueRefused(error, ConfigurationErrorCode.NotANumber, "stream.retentionHours", "x");
        Assert.Contains($"{profile} default ({preset})", error.Fix, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("stream.retentionHours", "1.5", ConfigurationErrorCode.NotANumber)]
    [InlineData("stream.retentionHours", "99999999999999999999", ConfigurationErrorCode.OutOfRange)]
    [InlineData("stream.retentionHours", "-99999999999999999999", ConfigurationErrorCode.OutOfRange)]
    [InlineData("stream.retentionHours", "1E+20", ConfigurationErrorCode.OutOfRange)]
    [InlineData("delivery.bufferSizeMiB", "32", ConfigurationErrorCode.OutOfRange)]
    [InlineData("delivery.transformBufferSizeMiB", "abc", ConfigurationErrorCode.NotANumber)]
    [InlineData("delivery.transformBufferSizeMiB", "NaN", ConfigurationErrorCode.NotANumber)]
    [InlineData("delivery.transformBufferSizeMiB", "3.5", ConfigurationErrorCode.OutOfRange)]
    [InlineData("training.minimumAuc", "1e400", ConfigurationErrorCode.OutOfRange)]
    [InlineData("stream.headroomFactor", "0.99", ConfigurationErrorCode.OutOfRange)]
    [InlineData("stream.headroomFactor", "4.01", ConfigurationErrorCode.OutOfRange)]
    [InlineData("training.useSpot", "yes", ConfigurationErrorCode.NotAllowed)]
    [InlineData("stream.mode", "fast", ConfigurationErrorCode.NotAllowed)]
    [InlineData("retention.logDays", "30", ConfigurationErrorCode.NotAllowed)]
    [InlineData("catalog.bytesScannedCutoffMiB", "5", ConfigurationErrorCode.OutOfRange)]
    [InlineData("endpoint.instanceType", "m5.large", ConfigurationErrorCode.Malformed)]
    [InlineData("training.instanceType", "ml.zz9.large", ConfigurationErrorCode.NotAllowed)]
    public void Load_BadValue_IsRefusedWithItsCode(string key, string value, ConfigurationErrorCode code)
    {
        AssertValueRefused(Refusal((key, value)), code, key, value);
    }

    [Theory]
    [InlineData("99999999999999999999", "2147483647")]
    [InlineData("-99999999999999999999", "-2147483648")]
    public void Load_WholeNumberBeyondItsType_NamesTheLimit(string value, string limit)
    {
        Assert.Contains(limit, Refusal(("stream.retentionHours", value)).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_LogRetentionBelowAYear_ListsTheAcceptedValues()
    {
        var error = Refusal(("retention.logDays", "30"));

        Assert.All(SettingDefinitions.LogRetentionDays, days => Assert.Contains(days.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Allowed, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("ML")]
    [InlineData("ab")]
    [InlineData("ml--pipe")]
    [InlineData("mlpipe-")]
    [InlineData("1mlpipe")]
    public void Load_BadPrefix_IsMalformed(string prefix)
    {
        AssertValueRefused(Refusal(("prefix", prefix)), ConfigurationErrorCode.Malformed, "prefix", prefix);
    }

    [Theory]
    [InlineData("ml.m4.xlarge", "m4")]
    [InlineData("ml.p2.xlarge", "p2")]
    [InlineData("ml.eia1.medium", "eia1")]
    public void Load_RetiredInstanceFamily_NamesTheFamily(string instanceType, string family)
    {
        var error = Refusal(("training.instanceType", instanceType));

        AssertValueRefused(error, ConfigurationErrorCode.NotAllowed, "training.instanceType", instanceType);
        Assert.Contains($"family {family}", error.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cron(99 99 ? * FOO *)", "minutes \"99\"", "hours \"99\"", "day-of-week \"FOO\"")]
    [InlineData("cron(0 3 32 * ? *)", "day-of-month \"32\"")]
    [InlineData("cron(0 3 ? 13 MON *)", "month \"13\"")]
    [InlineData("cron(0 3 ? * 0 *)", "day-of-week \"0\"")]
    [InlineData("cron(0 3 ? * SUN 1969)", "year \"1969\"")]
    [InlineData("cron(0 3 ? * SUN 2200)", "year \"2200\"")]
    [InlineData("cron(0/0 3 ? * SUN *)", "minutes \"0/0\"")]
    [InlineData("cron(? 3 ? * SUN *)", "minutes \"?\"")]
    [InlineData("cron(0 3 ? * 2#6 *)", "day-of-week \"2#6\"")]
    public void Load_BadCronField_NamesEachFaultyField(string schedule, params string[] fields)
    {
        var error = Refusal(("training.schedule", schedule));

        AssertValueRefused(error, ConfigurationErrorCode.Malformed, "training.schedule", schedule);
        Assert.All(fields, field => Assert.Contains(field, error.Problem, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("cron(0 3 * * SUN *)")]
    [InlineData("cron(0 3 ? * ? *)")]
    [InlineData("cron(0 3 ? * SUN)")]
    [InlineData("rate(1 days)")]
    [InlineData("rate(2 day)")]
    [InlineData("rate(0 minutes)")]
    [InlineData("rate(5 weeks)")]
    [InlineData("rate(99999999999 minutes)")]
    [InlineData("weekly")]
    public void Load_BadScheduleExpression_IsMalformed(string schedule)
    {
        AssertValueRefused(Refusal(("training.schedule", schedule)), ConfigurationErrorCode.Malformed, "training.schedule", schedule);
    }

    [Theory]
    [InlineData("disabled")]
    [InlineData("rate(1 day)")]
    [InlineData("rate(3 hours)")]
    [InlineData("cron(0 3 ? * SUN *)")]
    [InlineData("cron(15 2 1 * ? *)")]
    [InlineData("cron(0 8 ? JAN-MAR,OCT MON-FRI 2027-2030)")]
    [InlineData("cron(0 12 L * ? *)")]
    [InlineData("cron(0 12 15W * ? *)")]
    [InlineData("cron(0 12 ? * 6L *)")]
    [InlineData("cron(0 12 ? * 3#2 *)")]
    [InlineData("cron(59 23 31 12 ? 2199)")]
    [InlineData("cron(0 3 ? * sun *)")]
    public void Load_ValidSchedule_IsApplied(string schedule)
    {
        Assert.Equal(schedule, Load(("training.schedule", schedule)).Training.Schedule);
    }

    [Theory]
    [InlineData("ops.example.com")]
    [InlineData("a@b..c")]
    [InlineData("a..b@example.com")]
    [InlineData(".ops@example.com")]
    [InlineData("ops.@example.com")]
    [InlineData("ops@-example.com")]
    [InlineData("ops@example-.com")]
    [InlineData("ops@example")]
    [InlineData("ops@example.c")]
    [InlineData("ops@example.123")]
    [InlineData("ops@@example.com")]
    [InlineData("ops team@example.com")]
    [InlineData("ops@exa_mple.com")]
    public void Load_BadEmail_IsMalformed(string email)
    {
        AssertValueRefused(Refusal(("alarms.email", email)), ConfigurationErrorCode.Malformed, "alarms.email", email);
    }

    [Theory]
    [InlineData("ops@example.com")]
    [InlineData("first.last+alarms@mail.example.co.uk")]
    [InlineData("o'brien@sub-domain.example.org")]
    public void Load_ValidEmail_IsApplied(string email)
    {
        Assert.Equal(email, Load(("alarms.email", email)).Alarms.Email);
    }

    [Fact]
    public void Load_EmailLongerThan254Characters_IsMalformed()
    {
        var email = new string('a', 64) + "@" + string.Join('.', Enumerable.Repeat(new string('b', 62), 3)) + ".com";

        AssertValueRefused(Refusal(("alarms.email", email)), ConfigurationErrorCode.Malformed, "alarms.email", email);
        Assert.Equal(257, email.Length);
    }

    [Fact]
    public void Load_EmptyEmail_SubscribesNobody()
    {
        Assert.Null(Load(("alarms.email", "")).Alarms.Email);
    }

    [Fact]
    public void Load_MinimumAboveMaximumInstances_NamesBothKeys()
    {
        AssertRefused(Refusal(("endpoint.minInstances", "3")), ConfigurationErrorCode.Conflict,
            "endpoint.minInstances and endpoint.maxInstances", null, "-c endpoint.maxInstances", "-c endpoint.minInstances");
    }

    [Fact]
    public void Load_ProductionInOneAvailabilityZone_RequiresTwo()
    {
        AssertRefused(Refusal(("profile", "production"), ("network.azCount", "1")), ConfigurationErrorCode.ProductionRule,
            "network.azCount", "1", "-c network.azCount=2", "-c profile=sandbox");
    }

    [Fact]
    public void Load_ProductionWithOneEndpointInstance_RequiresTwo()
    {
        AssertRefused(Refusal(("profile", "production"), ("endpoint.minInstances", "1"), ("endpoint.canaryPercent", "0")),
            ConfigurationErrorCode.ProductionRule, "endpoint.minInstances", "1", "-c endpoint.minInstances=2");
    }

    [Fact]
    public void Load_ProductionWithOneDayStreamRetention_RequiresAWeek()
    {
        AssertRefused(Refusal(("profile", "production"), ("stream.retentionHours", "24"), ("alarms.iteratorAgeMinutes", "10")),
            ConfigurationErrorCode.ProductionRule, "stream.retentionHours", "24", "-c stream.retentionHours=168", "-c profile=sandbox");
    }

    [Fact]
    public void Load_IteratorAgeAlarmBeyondHalfTheRetention_AllowsHalfTheRetention()
    {
        var error = Refusal(("alarms.iteratorAgeMinutes", "900"));

        AssertRefused(error, ConfigurationErrorCode.Conflict, "alarms.iteratorAgeMinutes", "900", "-c alarms.iteratorAgeMinutes", "-c stream.retentionHours");
        Assert.StartsWith("1 to 720 minutes", error.Allowed, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Profile", "profile")]
    [InlineData("prefx", "prefix")]
    [InlineData("streams.retentionHours", "stream.retentionHours")]
    [InlineData("minimumAuc", "training.minimumAuc")]
    [InlineData("endpoint.minInstance", "endpoint.minInstances")]
    [InlineData("STREAM.MODE", "stream.mode")]
    public void Load_UnknownKey_FailsSuggestingTheClosestKnownKey(string key, string suggestion)
    {
        var error = KeyRefusal(["profile", key, "@aws-cdk/core:checkSecretUsage"]);

        AssertRefused(error, ConfigurationErrorCode.UnknownKey, key, null, $"did you mean {suggestion}?");
    }

    [Fact]
    public void Load_KeysTheCdkCliWrites_AreAccepted()
    {
        // What CDK CLI 2.x puts into CDK_CONTEXT_JSON besides cdk.json: its settings (contextFromSettings in
        // @aws-cdk/toolkit-lib), cdk acknowledge, telemetry opt-out, and cached lookups from cdk.context.json.
        string[] keys =
        [
            "aws:cdk:enable-path-metadata", "aws:cdk:enable-asset-metadata", "aws:cdk:version-reporting",
            "aws:cdk:disable-version-reporting", "aws:cdk:disable-asset-staging", "aws:cdk:bundling-stacks",
            "@aws-cdk/core:failSynthOnValidationErrors", "acknowledged-issue-numbers", "cli-telemetry",
            "aws-cdk:enableDiffNoFail", "availability-zones:account=123456789012:region=us-west-1",
            "vpc-provider:account=123456789012:filter.tag:Name=main:region=eu-west-1:returnAsymmetricSubnets=true",
            "ssm:account=123456789012:parameterName=/x:region=us-east-1", "@aws-cdk-containers/ecs-service-extensions:enableDefaultLogDriver",
        ];

        Assert.Equal(SettingsPresets.Sandbox, PipelineSettingsLoader.Load(new Dictionary<string, string?>(), keys));
    }

    [Fact]
    public void Load_EveryKeyOfTheCommittedCdkJson_IsAccepted()
    {
        using var cdkJson = System.Text.Json.JsonDocument.Parse(File.ReadAllText(RepositoryFile("cdk.json")));
        var keys = cdkJson.RootElement.GetProperty("context").EnumerateObject().Select(p => p.Name).ToList();

        Assert.Equal(SettingsPresets.Sandbox, PipelineSettingsLoader.Load(new Dictionary<string, string?>(), keys));
        Assert.Contains("@aws-cdk/core:checkSecretUsage", keys);
    }

    [Fact]
    public void Load_SeveralProblems_ReportsAllInOneException()
    {
        var errors = Refusals(
            ("profile", "prod"), ("network.azCount", "7"), ("stream.mode", "fast"), ("endpoint.minInstances", "9"), ("endpoint.maxInstances", "4"));

        Assert.Equal(
            [
                (ConfigurationErrorCode.NotAllowed, "profile"), (ConfigurationErrorCode.OutOfRange, "network.azCount"),
                (ConfigurationErrorCode.NotAllowed, "stream.mode"), (ConfigurationErrorCode.Conflict, "endpoint.minInstances and endpoint.maxInstances"),
            ],
            errors.Select(e => (e.Code, e.Key)));
    }

    [Fact]
    public void ShardCount_ProvisionedProductionPreset_ComesFromTheSizingFormulaWithHeadroom()
    {
        // 2,000 records/s x 1 KiB = 2,000 KiB/s in (1.95 shards), x 2 consumers = 4,000 KiB/s out (1.95), 2 x 1,000 records/s
        // = 2.0 shards; x 1.25 headroom = 2.5 -> 3 shards, so the peak uses 67 % of the record limit instead of 100 %.
        Assert.Equal(3, SettingsPresets.Production.Stream.ShardCount);
    }

    [Fact]
    public void ShardCount_HeadroomFactorOne_IsTheBareFormula()
    {
        Assert.Equal(2, Load(("profile", "production"), ("stream.headroomFactor", "1")).Stream.ShardCount);
    }

    [Fact]
    public void Load_ProvisionedStreamBeyondTheShardQuota_SaysHowManyShardsAndWhatToRequest()
    {
        // 1,000,000 records/s x 1,000 KiB x 20 consumers = 20,000,000,000 KiB/s of reads / 2,048 = 9,765,625 shards.
        var error = Refusal(("stream.mode", "provisioned"), ("stream.recordsPerSecond", "1000000"), ("stream.averageRecordSizeKiB", "1000"),
            ("stream.consumers", "20"), ("stream.headroomFactor", "1"));

        AssertRefused(error, ConfigurationErrorCode.Conflict, "stream.shardQuota", "1000", "-c stream.shardQuota=", "-c stream.mode=onDemand");
        Assert.Contains("9765625 shards", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ProvisionedStreamWithinARaisedShardQuota_IsAccepted()
    {
        // 1,000,000 records/s x 8.192 KiB = 8,192,000 KiB/s of writes = 8,000 shards; x 1.25 headroom = 10,000.
        var settings = Load(("stream.mode", "provisioned"), ("stream.recordsPerSecond", "1000000"), ("stream.averageRecordSizeKiB", "8.192"),
            ("stream.shardQuota", "10000"));

        Assert.Equal(10000, settings.Stream.ShardCount);
    }

    [Fact]
    public void Load_OnDemandStreamWithAHugeLoad_IsNotCheckedAgainstTheShardQuota()
    {
        var settings = Load(("stream.mode", "onDemand"), ("stream.recordsPerSecond", "1000000"), ("stream.averageRecordSizeKiB", "1000"), ("stream.consumers", "20"));

        Assert.Null(settings.Stream.ShardCount);
    }

    [Theory]
    [InlineData("ml.m5.large")]
    [InlineData("ml.m6i.32xlarge")]
    [InlineData("ml.c5n.18xlarge")]
    [InlineData("ml.r5.4xlarge")]
    [InlineData("ml.c6i.8xlarge")]
    [InlineData("ml.t3.medium")]
    public void Load_CurrentTrainingInstanceFamily_IsApplied(string instanceType)
    {
        Assert.Equal(instanceType, Load(("training.instanceType", instanceType)).Training.InstanceType);
    }

    [Fact]
    public void ShardCount_ProvisionedWithHeavyFanOut_SizesForReads()
    {
        var settings = Load(("stream.mode", "provisioned"), ("stream.recordsPerSecond", "1000"), ("stream.averageRecordSizeKiB", "4"), ("stream.consumers", "5"));

        // 4,000 KiB/s in = 3.9 shards; 20,000 KiB/s out = 9.8 shards; 1,000 records/s = 1 shard; 9.8 x 1.25 = 12.2 -> 13.
        Assert.Equal(13, settings.Stream.ShardCount);
    }

    [Fact]
    public void ShardCount_OnDemand_IsNull()
    {
        Assert.Null((SettingsPresets.Sandbox.Stream with { Mode = StreamCapacityMode.OnDemand }).ShardCount);
    }

    [Fact]
    public void ShardCount_Sandbox_OneShard()
    {
        // 100 records/s of 1 KiB read by 1 consumer, with 25 % headroom: well within one shard.
        Assert.Equal(1, SettingsPresets.Sandbox.Stream.ShardCount);
    }

    [Fact]
    public void TargetInvocationsPerInstance_MaxRps20_Is600PerMinute()
    {
        // MAX_RPS x safety factor 0.5 x 60 seconds, the same for both presets.
        Assert.Equal((600, 600), (SettingsPresets.Sandbox.Endpoint.TargetInvocationsPerInstance, SettingsPresets.Production.Endpoint.TargetInvocationsPerInstance));
    }

    [Fact]
    public void Load_DriftScheduledWithoutCapture_NamesBothKeysAndBothFixes()
    {
        AssertRefused(Refusal(("endpoint.dataCapturePercent", "0")), ConfigurationErrorCode.Conflict,
            "drift.schedule and endpoint.dataCapturePercent", null, "-c endpoint.dataCapturePercent=", "-c drift.schedule=disabled");
    }

    [Fact]
    public void Load_NoCaptureAndNoDriftSchedule_Accepted()
    {
        var settings = Load(("endpoint.dataCapturePercent", "0"), ("drift.schedule", "disabled"));

        Assert.Equal(0, settings.Endpoint.DataCapturePercent);
    }

    [Fact]
    public void Load_DriftWarningNotBelowAlarm_NamesBothKeys()
    {
        AssertRefused(Refusal(("drift.psiWarn", "0.3")), ConfigurationErrorCode.Conflict,
            "drift.psiWarn and drift.psiAlarm", null, "-c drift.psiWarn", "-c drift.psiAlarm");
    }

    private static string RepositoryFile(string name)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Pipeline.sln")))
        {
            directory = directory.Parent;
        }

        return Path.Combine(directory?.FullName ?? throw new InvalidOperationException("Pipeline.sln not found."), name);
    }
}
