using Pipeline.Infra.Configuration;
using Pipeline.Schema;

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
            """stream.mode = "fast": is not a known value. Allowed: onDemand, provisioned. Fix: pass -c stream.mode=<value>, or remove the override to use the sandbox default (provisioned).""",
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
            $"prefix = \"{prefix}\": is not in the accepted form. Allowed: {PrefixAllowed}. Fix: pass -c prefix=<value>, or remove the override to use the sandbox default (mlpipe).",
            ("prefix", prefix));
    }

    [Fact]
    public void Load_InstanceTypeNotSageMakerForm_ShowsTheExpectedForm()
    {
        AssertSingleProblem(
            $"endpoint.instanceType = \"m5.large\": is not a SageMaker instance type (ml.<family>.<size>). Allowed: {EndpointSettingsTests.InstanceTypeAllowed}. Fix: pass -c endpoint.instanceType=<value>, or remove the override to use the sandbox default (ml.m5.large).",
            ("endpoint.instanceType", "m5.large"));
    }

    [Theory]
    [InlineData("ml.m4.xlarge", "m4")]
    [InlineData("ml.p2.xlarge", "p2")]
    [InlineData("ml.eia1.medium", "eia1")]
    public void Load_RetiredInstanceFamily_NamesTheFamily(string instanceType, string family)
    {
        AssertSingleProblem(
            $"training.instanceType = \"{instanceType}\": uses the retired or previous-generation family {family}. Allowed: {TrainingAllowed}. Fix: pass -c training.instanceType=<value>, or remove the override to use the sandbox default (ml.m5.xlarge).",
            ("training.instanceType", instanceType));
    }

    [Theory]
    [InlineData("cron(99 99 ? * FOO *)", "has invalid cron fields: minutes \"99\" is not within 0-59; hours \"99\" is not within 0-23; day-of-week \"FOO\" is not within 1-7 or SUN-SAT.")]
    [InlineData("cron(0 3 32 * ? *)", "has an invalid cron field: day-of-month \"32\" is not within 1-31.")]
    [InlineData("cron(0 3 ? 13 MON *)", "has an invalid cron field: month \"13\" is not within 1-12 or JAN-DEC.")]
    [InlineData("cron(0 3 ? * 0 *)", "has an invalid cron field: day-of-week \"0\" is not within 1-7 or SUN-SAT.")]
    [InlineData("cron(0 3 ? * SUN 1969)", "has an invalid cron field: year \"1969\" is not within 1970-2199.")]
    [InlineData("cron(0 3 ? * SUN 2200)", "has an invalid cron field: year \"2200\" is not within 1970-2199.")]
    [InlineData("cron(0/0 3 ? * SUN *)", "has an invalid cron field: minutes \"0/0\" needs an increment after / from 1 to 59.")]
    [InlineData("cron(? 3 ? * SUN *)", "has an invalid cron field: minutes \"?\" uses ?, which only day-of-month and day-of-week allow.")]
    [InlineData("cron(0 3 ? * 2#6 *)", "has an invalid cron field: day-of-week \"2#6\" must be one <weekday>#<1-5> expression, such as 3#2 (the second Tuesday), when it uses #.")]
    [InlineData("cron(0 3 * * SUN *)", "must have ? in exactly one of day-of-month and day-of-week.")]
    [InlineData("cron(0 3 ? * ? *)", "must have ? in exactly one of day-of-month and day-of-week.")]
    [InlineData("cron(0 3 ? * SUN)", "has 5 cron fields; EventBridge needs 6: minutes hours day-of-month month day-of-week year.")]
    [InlineData("rate(1 days)", "uses the plural unit days for 1; EventBridge wants day.")]
    [InlineData("rate(2 day)", "uses the singular unit day for 2; EventBridge wants days.")]
    [InlineData("rate(0 minutes)", "has a rate value of 0; EventBridge needs 1 or more.")]
    [InlineData("rate(5 weeks)", "is not a rate expression of the form rate(<n> <unit>) with unit minute(s), hour(s) or day(s).")]
    [InlineData("rate(99999999999 minutes)", "has a rate value too large for a whole number (at most 2147483647).")]
    [InlineData("weekly", "is neither disabled nor a rate(...) or cron(...) expression.")]
    public void Load_BadSchedule_NamesTheFaultyPart(string schedule, string problem)
    {
        AssertSingleProblem(
            $"training.schedule = \"{SafeText.Echo(schedule)}\": {problem} Allowed: {ScheduleAllowed}. Fix: pass -c training.schedule=<value>, or remove the override to use the sandbox default (disabled).",
            ("training.schedule", schedule));
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
    public void Load_BadEmail_ExplainsTheRulesAndHowToDisable(string email)
    {
        AssertSingleProblem(
            $"alarms.email = \"{email}\": is not in the accepted form. Allowed: an e-mail address such as ops@example.com (at most 254 characters; no leading, trailing or consecutive dots; domain labels of letters, digits and inner hyphens), or an empty value for no subscription. Fix: pass -c alarms.email=<value>, or remove the override to use the sandbox default (no subscription).",
            ("alarms.email", email));
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
    public void Load_EmailLongerThan254Characters_IsRejected()
    {
        var email = new string('a', 64) + "@" + string.Join('.', Enumerable.Repeat(new string('b', 62), 3)) + ".com";

        var error = Assert.Throws<ConfigurationException>(() => LoadRaw(("alarms.email", email)));

        Assert.StartsWith("alarms.email = \"aaaa", Assert.Single(error.Errors).Message, StringComparison.Ordinal);
        Assert.Equal(257, email.Length);
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
            ("profile", "production"), ("endpoint.minInstances", "1"), ("endpoint.canaryPercent", "0"));
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

    [Theory]
    [InlineData("Profile", "profile")]
    [InlineData("prefx", "prefix")]
    [InlineData("streams.retentionHours", "stream.retentionHours")]
    [InlineData("minimumAuc", "training.minimumAuc")]
    [InlineData("endpoint.minInstance", "endpoint.minInstances")]
    [InlineData("STREAM.MODE", "stream.mode")]
    public void Load_UnknownKey_FailsSuggestingTheClosestKnownKey(string key, string suggestion)
    {
        var error = Assert.Throws<ConfigurationException>(() => PipelineSettingsLoader.Load(
            new Dictionary<string, string?>(), ["profile", key, "@aws-cdk/core:checkSecretUsage"]));

        Assert.Equal(
            $"{key}: is not a configuration key of this app, nor a key of the AWS CDK. Allowed: the keys listed in README.md (Configuration), and CDK keys (@aws-cdk/..., aws:cdk:..., cdk.context.json lookups). Fix: did you mean {suggestion}? Rename the key or remove it (from -c, cdk.json or ~/.cdk.json).",
            Assert.Single(error.Errors).Message);
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
        var error = Assert.Throws<ConfigurationException>(() => LoadRaw(
            ("profile", "prod"), ("network.azCount", "7"), ("stream.mode", "fast"), ("endpoint.minInstances", "9"), ("endpoint.maxInstances", "4")));

        Assert.Equal(["profile", "network.azCount", "stream.mode", "endpoint.minInstances and endpoint.maxInstances"], error.Errors.Select(e => e.Key));
        Assert.StartsWith("Invalid pipeline configuration (4 problems):" + Environment.NewLine + "  - profile = \"prod\"", error.Message, StringComparison.Ordinal);
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

    [Theory]
    [InlineData("sandbox")]
    [InlineData("production")]
    public void Presets_HeadroomAndShardQuota_AreTheDocumentedDefaults(string profile)
    {
        var stream = Load(("profile", profile)).Stream;

        Assert.Equal(1.25, stream.HeadroomFactor);
        Assert.Equal(1000, stream.ShardQuota);
    }

    [Theory]
    [InlineData("0.99")]
    [InlineData("4.01")]
    public void Load_HeadroomFactorOutOfRange_NamesTheRange(string value)
    {
        AssertSingleProblem(
            $"stream.headroomFactor = \"{value}\": is out of range. Allowed: a factor from 1 (no headroom) to 4 multiplying the computed shard count before rounding up (1.25 keeps the peak at 80 % of the shard limits). Fix: pass -c stream.headroomFactor=<value>, or remove the override to use the sandbox default (1.25).",
            ("stream.headroomFactor", value));
    }

    [Fact]
    public void Load_ProvisionedStreamBeyondTheShardQuota_SaysWhatToRequest()
    {
        // 1,000,000 records/s x 1,000 KiB x 20 consumers = 20,000,000,000 KiB/s of reads / 2,048 = 9,765,625 shards.
        AssertSingleProblem(
            """stream.shardQuota = "1000": a provisioned stream for 1000000 records/s of 1000 KiB read by 20 consumers with headroom 1 needs 9765625 shards, more than the account's shard quota; CloudFormation would fail to create it. Allowed: at most 1000 shards (the default Kinesis Data Streams quota is 20,000 shards per account in us-east-1, us-west-2 and eu-west-1, and 1,000 or 6,000 in other Regions, shared by every stream of the account). Fix: request a shard quota increase for Kinesis Data Streams through Service Quotas and pass -c stream.shardQuota=<approved quota>, or pass -c stream.mode=onDemand, or lower the expected load.""",
            ("stream.mode", "provisioned"), ("stream.recordsPerSecond", "1000000"), ("stream.averageRecordSizeKiB", "1000"),
            ("stream.consumers", "20"), ("stream.headroomFactor", "1"));
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

    [Fact]
    public void Load_TrainingInstanceFamilySageMakerDoesNotOffer_ListsTheFamilies()
    {
        AssertSingleProblem(
            $"training.instanceType = \"ml.zz9.large\": is not a SageMaker instance type: the family zz9 is in neither the training nor the real-time hosting list of the SageMaker API. Allowed: {TrainingAllowed}. Fix: pass -c training.instanceType=<value>, or remove the override to use the sandbox default (ml.m5.xlarge).",
            ("training.instanceType", "ml.zz9.large"));
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

    [Theory]
    [InlineData("99999999999999999999", "is too large for a whole number (at most 2147483647).")]
    [InlineData("-99999999999999999999", "is too small for a whole number (at least -2147483648).")]
    [InlineData("1E+20", "is too large for a whole number (at most 2147483647).")]
    public void Load_WholeNumberBeyondItsType_SaysSo(string value, string problem)
    {
        AssertSingleProblem(
            $"stream.retentionHours = \"{value}\": {problem} Allowed: a whole number of hours from 24 to 8760 (365 days). Fix: pass -c stream.retentionHours=<value>, or remove the override to use the sandbox default (24).",
            ("stream.retentionHours", value));
    }

    [Fact]
    public void Load_DecimalBeyondItsType_SaysSo()
    {
        AssertSingleProblem(
            "training.minimumAuc = \"1e400\": is too large for a number (beyond ±1.7976931348623157E+308). Allowed: a number from 0.5 (a coin toss) to 1. Fix: pass -c training.minimumAuc=<value>, or remove the override to use the sandbox default (0.8).",
            ("training.minimumAuc", "1e400"));
    }

    [Fact]
    public void Load_ValueWithControlCharacters_IsEchoedEscaped()
    {
        AssertSingleProblem(
            $$"""prefix = "ml\npipe\u001b[2J\"": is not in the accepted form. Allowed: {{PrefixAllowed}}. Fix: pass -c prefix=<value>, or remove the override to use the sandbox default (mlpipe).""",
            ("prefix", "ml\npipe\u001b[2J\""));
    }

    [Fact]
    public void Load_LongValue_IsEchoedCut()
    {
        var value = new string('x', 500);

        AssertSingleProblem(
            $"prefix = \"{new string('x', 80)}… (420 more characters)\": is not in the accepted form. Allowed: {PrefixAllowed}. Fix: pass -c prefix=<value>, or remove the override to use the sandbox default (mlpipe).",
            ("prefix", value));
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

    internal const string TrainingAllowed =
        "a SageMaker training instance type (the TrainingInstanceType list of the SageMaker API) of a CPU family the built-in XGBoost algorithm (1.7-1) trains on: ml.m5.{large, xlarge, 2xlarge, 4xlarge, 12xlarge, 24xlarge}, ml.c5.{xlarge, 2xlarge, 4xlarge, 9xlarge, 18xlarge}, ml.c5n.{xlarge, 2xlarge, 4xlarge, 9xlarge, 18xlarge}, ml.m6i.{large, xlarge, 2xlarge, 4xlarge, 8xlarge, 12xlarge, 16xlarge, 24xlarge, 32xlarge}, ml.c6i.{xlarge, 2xlarge, 4xlarge, 8xlarge, 12xlarge, 16xlarge, 24xlarge, 32xlarge}, ml.r5d.{large, xlarge, 2xlarge, 4xlarge, 8xlarge, 12xlarge, 16xlarge, 24xlarge}, ml.t3.{medium, large, xlarge, 2xlarge}, ml.r5.{large, xlarge, 2xlarge, 4xlarge, 8xlarge, 12xlarge, 16xlarge, 24xlarge} (XGBoost is memory-bound: ml.m5.xlarge, or ml.r5 for data that needs more memory); no GPU types, XGBoost trains on CPU here";

    internal const string PrefixAllowed =
        "3 to 20 characters: lowercase letters, digits and single hyphens, starting with a letter and not ending with a hyphen (e.g. mlpipe), not starting with sthree or amzn-s3-demo (S3 reserves bucket names starting with xn--, sthree- and amzn-s3-demo-, and the app's bucket names start with the prefix)";

    internal const string ScheduleAllowed =
        "disabled, rate(<n> <unit>) with n >= 1 and unit minute, hour or day (plural when n > 1), or cron(minutes hours day-of-month month day-of-week year) with minutes 0-59, hours 0-23, day-of-month 1-31, month 1-12 or JAN-DEC, day-of-week 1-7 or SUN-SAT, year 1970-2199, and ? in exactly one of day-of-month and day-of-week; firing at least once more (not only on a date that does not exist, such as 31 February, nor only in past years) and never twice within training.executionTimeoutMinutes";

    private static string RepositoryFile(string name)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Pipeline.sln")))
        {
            directory = directory.Parent;
        }

        return Path.Combine(directory?.FullName ?? throw new InvalidOperationException("Pipeline.sln not found."), name);
    }

    private static PipelineSettings Load(params (string Key, string Value)[] values) => LoadRaw(values);

    private static PipelineSettings LoadRaw(params (string Key, string Value)[] values) =>
        PipelineSettingsLoader.Load(values.ToDictionary(v => v.Key, v => (string?)v.Value));

    [Fact]
    public void Load_DriftScheduledWithoutCapture_NamesBothKeysAndBothFixes()
    {
        AssertSingleProblem(
            "drift.schedule and endpoint.dataCapturePercent: drift runs are scheduled, but the endpoint captures no request, so every run would judge an empty window. Allowed: endpoint.dataCapturePercent of 1 to 100 with a drift schedule, or drift.schedule=disabled. Fix: pass -c endpoint.dataCapturePercent=<1-100>, or -c drift.schedule=disabled to run without drift monitoring.",
            ("endpoint.dataCapturePercent", "0"));
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
        AssertSingleProblem(
            "drift.psiWarn and drift.psiAlarm: the warning threshold (0.3) is not below the alarm threshold (0.2). Allowed: psiWarn < psiAlarm. Fix: lower -c drift.psiWarn or raise -c drift.psiAlarm.",
            ("drift.psiWarn", "0.3"));
    }

    private static void AssertSingleProblem(string expectedMessage, params (string Key, string Value)[] values)
    {
        var error = Assert.Throws<ConfigurationException>(() => LoadRaw(values));

        Assert.Equal(expectedMessage, Assert.Single(error.Errors).Message);
    }
}
