using Pipeline.Core.Configuration;

namespace Pipeline.Core.Tests.Configuration;

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
    public void Load_EveryKeyOverridden_AppliesEachValue()
    {
        var settings = Load(
            ("profile", "production"), ("prefix", "telemetry-ml"), ("network.azCount", "2"), ("network.clientEndpoints", "false"),
            ("stream.mode", "onDemand"), ("stream.retentionHours", "336"), ("stream.recordsPerSecond", "5000"),
            ("stream.averageRecordSizeKiB", "2.5"), ("stream.consumers", "3"),
            ("delivery.bufferIntervalSeconds", "120"), ("delivery.bufferSizeMiB", "96"),
            ("delivery.transformBufferSizeMiB", "0.5"), ("delivery.transformBufferIntervalSeconds", "30"),
            ("training.instanceType", "ml.c6i.2xlarge"), ("training.schedule", "rate(12 hours)"),
            ("training.maxRuntimeMinutes", "240"), ("training.useSpot", "false"), ("training.minimumAuc", "0.9"),
            ("endpoint.instanceType", "ml.c6i.large"), ("endpoint.minInstances", "3"), ("endpoint.maxInstances", "8"),
            ("endpoint.maxRpsPerInstance", "40"), ("endpoint.dataCapturePercent", "5"),
            ("alarms.email", "ops@example.com"), ("alarms.iteratorAgeMinutes", "30"), ("alarms.endpointLatencyP99Ms", "250"),
            ("retention.logDays", "1096"), ("retention.rawDataDays", "730"), ("retention.errorDataDays", "60"),
            ("retention.noncurrentVersionDays", "14"), ("catalog.manageEncryption", "true"), ("catalog.bytesScannedCutoffMiB", "2000"));

        Assert.Equal(new PipelineSettings
        {
            Profile = PipelineProfile.Production,
            Prefix = "telemetry-ml",
            Network = new NetworkSettings { AzCount = 2, ClientEndpoints = false },
            Stream = new StreamSettings
            {
                Mode = StreamCapacityMode.OnDemand, RetentionHours = 336, RecordsPerSecond = 5000, AverageRecordSizeKiB = 2.5, Consumers = 3,
            },
            Delivery = new DeliverySettings
            {
                BufferIntervalSeconds = 120, BufferSizeMiB = 96, TransformBufferSizeMiB = 0.5, TransformBufferIntervalSeconds = 30,
            },
            Training = new TrainingSettings
            {
                InstanceType = "ml.c6i.2xlarge", Schedule = "rate(12 hours)", MaxRuntimeMinutes = 240, UseSpot = false, MinimumAuc = 0.9,
            },
            Endpoint = new EndpointSettings
            {
                InstanceType = "ml.c6i.large", MinInstances = 3, MaxInstances = 8, MaxRpsPerInstance = 40, DataCapturePercent = 5,
            },
            Alarms = new AlarmSettings { Email = "ops@example.com", IteratorAgeMinutes = 30, EndpointLatencyP99Ms = 250 },
            Retention = new RetentionSettings { LogDays = 1096, RawDataDays = 730, ErrorDataDays = 60, NoncurrentVersionDays = 14 },
            Catalog = new CatalogSettings { ManageCatalogEncryption = true, BytesScannedCutoffMiB = 2000 },
        }, settings);
    }

    [Fact]
    public void Load_UnknownProfile_ListsTheAllowedProfiles()
    {
        AssertSingleProblem(
            """profile = "prod": is not a known profile. Allowed: sandbox, production. Fix: pass -c profile=sandbox or -c profile=production (or set "profile" in cdk.json).""",
            ("profile", "prod"));
    }

    [Fact]
    public void Load_NotAWholeNumber_NamesKeyValueRangeAndDefault()
    {
        AssertSingleProblem(
            """stream.retentionHours = "1.5": is not a whole number. Allowed: a whole number of hours from 24 to 8760 (365 days). Fix: pass -c stream.retentionHours=<value>, or remove the override to use the sandbox default (24).""",
            ("stream.retentionHours", "1.5"));
    }

    [Fact]
    public void Load_WholeNumberOutOfRange_NamesKeyValueRangeAndDefault()
    {
        AssertSingleProblem(
            """delivery.bufferSizeMiB = "32": is out of range. Allowed: a whole number of MiB from 64 to 128 (Parquet conversion requires at least 64). Fix: pass -c delivery.bufferSizeMiB=<value>, or remove the override to use the sandbox default (64).""",
            ("delivery.bufferSizeMiB", "32"));
    }

    [Theory]
    [InlineData("abc", "is not a number.")]
    [InlineData("NaN", "is not a number.")]
    [InlineData("3.5", "is out of range.")]
    public void Load_BadDecimal_ReportsWhy(string value, string problem)
    {
        AssertSingleProblem(
            $"delivery.transformBufferSizeMiB = \"{value}\": {problem} Allowed: a size in MiB from 0.2 to 3 (Firehose's limit for Lambda processors). Fix: pass -c delivery.transformBufferSizeMiB=<value>, or remove the override to use the sandbox default (1).",
            ("delivery.transformBufferSizeMiB", value));
    }

    [Fact]
    public void Load_NotABoolean_ListsTrueAndFalse()
    {
        AssertSingleProblem(
            """training.useSpot = "yes": is not a boolean. Allowed: true or false. Fix: pass -c training.useSpot=<value>, or remove the override to use the sandbox default (true).""",
            ("training.useSpot", "yes"));
    }

    [Fact]
    public void Load_UnknownStreamMode_ListsTheModes()
    {
        AssertSingleProblem(
            """stream.mode = "fast": is not a known value. Allowed: onDemand, provisioned. Fix: pass -c stream.mode=<value>, or remove the override to use the sandbox default (onDemand).""",
            ("stream.mode", "fast"));
    }

    [Theory]
    [InlineData("ML")]
    [InlineData("ab")]
    [InlineData("ml--pipe")]
    [InlineData("mlpipe-")]
    [InlineData("1mlpipe")]
    public void Load_BadPrefix_DescribesTheAcceptedForm(string prefix)
    {
        AssertSingleProblem(
            $"prefix = \"{prefix}\": is not in the accepted form. Allowed: 3 to 20 characters: lowercase letters, digits and single hyphens, starting with a letter and not ending with a hyphen (e.g. mlpipe). Fix: pass -c prefix=<value>, or remove the override to use the sandbox default (mlpipe).",
            ("prefix", prefix));
    }

    [Fact]
    public void Load_InstanceTypeNotSageMakerForm_ShowsTheExpectedForm()
    {
        AssertSingleProblem(
            """endpoint.instanceType = "m5.large": is not a SageMaker instance type (ml.<family>.<size>). Allowed: a current-generation SageMaker instance type such as ml.m5.large, ml.c6i.xlarge or ml.g5.2xlarge. Fix: pass -c endpoint.instanceType=<value>, or remove the override to use the sandbox default (ml.m5.large).""",
            ("endpoint.instanceType", "m5.large"));
    }

    [Theory]
    [InlineData("ml.m4.xlarge", "m4")]
    [InlineData("ml.p2.xlarge", "p2")]
    [InlineData("ml.eia1.medium", "eia1")]
    public void Load_RetiredInstanceFamily_NamesTheFamily(string instanceType, string family)
    {
        AssertSingleProblem(
            $"training.instanceType = \"{instanceType}\": uses the retired or previous-generation family {family}. Allowed: a current-generation SageMaker instance type such as ml.m5.large, ml.c6i.xlarge or ml.g5.2xlarge. Fix: pass -c training.instanceType=<value>, or remove the override to use the sandbox default (ml.m5.xlarge).",
            ("training.instanceType", instanceType));
    }

    [Theory]
    [InlineData("rate(1 days)")]
    [InlineData("rate(2 day)")]
    [InlineData("rate(0 minutes)")]
    [InlineData("cron(0 3 * * SUN *)")]
    [InlineData("cron(0 3 ? * ? *)")]
    [InlineData("cron(0 3 ? * SUN)")]
    [InlineData("weekly")]
    public void Load_BadSchedule_DescribesTheAcceptedExpressions(string schedule)
    {
        AssertSingleProblem(
            $"training.schedule = \"{schedule}\": is not in the accepted form. Allowed: disabled, rate(<n> <unit>) with unit minute(s), hour(s) or day(s), or cron(<6 fields>) with ? in day-of-month or day-of-week. Fix: pass -c training.schedule=<value>, or remove the override to use the sandbox default (disabled).",
            ("training.schedule", schedule));
    }

    [Theory]
    [InlineData("disabled")]
    [InlineData("rate(1 day)")]
    [InlineData("rate(30 minutes)")]
    [InlineData("cron(0 3 ? * SUN *)")]
    [InlineData("cron(15 2 1 * ? *)")]
    public void Load_ValidSchedule_IsApplied(string schedule)
    {
        Assert.Equal(schedule, Load(("training.schedule", schedule)).Training.Schedule);
    }

    [Fact]
    public void Load_BadEmail_ExplainsHowToDisable()
    {
        AssertSingleProblem(
            """alarms.email = "ops.example.com": is not in the accepted form. Allowed: an e-mail address such as ops@example.com, or an empty value for no subscription. Fix: pass -c alarms.email=<value>, or remove the override to use the sandbox default (no subscription).""",
            ("alarms.email", "ops.example.com"));
    }

    [Fact]
    public void Load_EmptyEmail_SubscribesNobody()
    {
        Assert.Null(Load(("alarms.email", "")).Alarms.Email);
    }

    [Fact]
    public void Load_LogRetentionBelowAYear_ListsTheAcceptedValues()
    {
        AssertSingleProblem(
            """retention.logDays = "30": is not an accepted value. Allowed: one of the CloudWatch Logs retention values of at least a year (Control Tower CT.CLOUDWATCH.PR.2): 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653. Fix: pass -c retention.logDays=<value>, or remove the override to use the sandbox default (365).""",
            ("retention.logDays", "30"));
    }

    [Fact]
    public void Load_ScanCutoffBelowAthenasMinimum_NamesTheMinimum()
    {
        AssertSingleProblem(
            """catalog.bytesScannedCutoffMiB = "5": is out of range. Allowed: a whole number of MiB from 10 (Athena's minimum) to 2047 (CloudFormation takes the cutoff as a 32-bit integer of bytes). Fix: pass -c catalog.bytesScannedCutoffMiB=<value>, or remove the override to use the sandbox default (1024).""",
            ("catalog.bytesScannedCutoffMiB", "5"));
    }

    [Fact]
    public void Load_MinimumAboveMaximumInstances_NamesBothKeys()
    {
        AssertSingleProblem(
            "endpoint.minInstances and endpoint.maxInstances: the minimum (3) exceeds the maximum (2). Allowed: minInstances <= maxInstances. Fix: raise -c endpoint.maxInstances or lower -c endpoint.minInstances.",
            ("endpoint.minInstances", "3"));
    }

    [Fact]
    public void Load_ProductionInOneAvailabilityZone_RequiresTwo()
    {
        AssertSingleProblem(
            """network.azCount = "1": production must span at least two Availability Zones. Allowed: 2 or 3 in production. Fix: pass -c network.azCount=2 (or 3), or use -c profile=sandbox.""",
            ("profile", "production"), ("network.azCount", "1"));
    }

    [Fact]
    public void Load_ProductionWithOneEndpointInstance_RequiresTwo()
    {
        AssertSingleProblem(
            """endpoint.minInstances = "1": production endpoints need at least two instances so SageMaker spreads them across Availability Zones. Allowed: 2 to 20 in production. Fix: pass -c endpoint.minInstances=2 or more.""",
            ("profile", "production"), ("endpoint.minInstances", "1"));
    }

    [Fact]
    public void Load_ProductionWithOneDayStreamRetention_RequiresAWeek()
    {
        AssertSingleProblem(
            """stream.retentionHours = "24": production keeps a week of stream history so a stalled delivery can be repaired without data loss. Allowed: 168 to 8760 hours in production. Fix: pass -c stream.retentionHours=168 or more, or use -c profile=sandbox.""",
            ("profile", "production"), ("stream.retentionHours", "24"), ("alarms.iteratorAgeMinutes", "10"));
    }

    [Fact]
    public void Load_IteratorAgeAlarmBeyondHalfTheRetention_ExplainsTheRelation()
    {
        AssertSingleProblem(
            """alarms.iteratorAgeMinutes = "900": the alarm would fire too late: records expire after 24 hours (stream.retentionHours). Allowed: 1 to 720 minutes (half the stream retention). Fix: lower -c alarms.iteratorAgeMinutes or raise -c stream.retentionHours.""",
            ("alarms.iteratorAgeMinutes", "900"));
    }

    [Fact]
    public void Load_MisspeltKey_SuggestsTheClosestKnownKey()
    {
        var error = Assert.Throws<ConfigurationException>(() => PipelineSettingsLoader.Load(
            new Dictionary<string, string?>(), ["profile", "endpoint.minInstance", "@aws-cdk/core:checkSecretUsage", "unrelated"]));

        Assert.Equal(
            "endpoint.minInstance: is not a configuration key. Allowed: the keys of section endpoint. listed in README.md. Fix: did you mean endpoint.minInstances? Rename the key or remove it.",
            Assert.Single(error.Errors).Message);
    }

    [Fact]
    public void Load_SeveralProblems_ReportsAllInOneException()
    {
        var error = Assert.Throws<ConfigurationException>(() => LoadRaw(
            ("profile", "prod"), ("network.azCount", "7"), ("stream.mode", "fast"), ("endpoint.minInstances", "9"), ("endpoint.maxInstances", "4")));

        Assert.Equal(["profile", "network.azCount", "stream.mode", "endpoint.minInstances and endpoint.maxInstances"], error.Errors.Select(e => e.Key));
        Assert.StartsWith("Invalid pipeline configuration (4 problems):" + Environment.NewLine + "  - profile = \"prod\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ShardCount_ProvisionedProductionPreset_ComesFromTheSizingFormula()
    {
        // 2,000 records/s x 1 KiB = 2,000 KiB/s in (1.95 shards), x 2 consumers = 4,000 KiB/s out (1.95), 2 x 1,000 records/s.
        Assert.Equal(2, SettingsPresets.Production.Stream.ShardCount);
    }

    [Fact]
    public void ShardCount_ProvisionedWithHeavyFanOut_SizesForReads()
    {
        var settings = Load(("stream.mode", "provisioned"), ("stream.recordsPerSecond", "1000"), ("stream.averageRecordSizeKiB", "4"), ("stream.consumers", "5"));

        // 4,000 KiB/s in = 3.9 shards; 20,000 KiB/s out = 9.8 shards; 1,000 records/s = 1 shard.
        Assert.Equal(10, settings.Stream.ShardCount);
    }

    [Fact]
    public void ShardCount_OnDemand_IsNull()
    {
        Assert.Null(SettingsPresets.Sandbox.Stream.ShardCount);
    }

    [Fact]
    public void TargetInvocationsPerInstance_MaxRps20_Is600PerMinute()
    {
        // MAX_RPS x safety factor 0.5 x 60 seconds.
        Assert.Equal(600, SettingsPresets.Sandbox.Endpoint.TargetInvocationsPerInstance);
    }

    private static PipelineSettings Load(params (string Key, string Value)[] values) => LoadRaw(values);

    private static PipelineSettings LoadRaw(params (string Key, string Value)[] values) =>
        PipelineSettingsLoader.Load(values.ToDictionary(v => v.Key, v => (string?)v.Value));

    private static void AssertSingleProblem(string expectedMessage, params (string Key, string Value)[] values)
    {
        var error = Assert.Throws<ConfigurationException>(() => LoadRaw(values));

        Assert.Equal(expectedMessage, Assert.Single(error.Errors).Message);
    }
}
