using Pipeline.Infra.Configuration;
using static Pipeline.Infra.Tests.Configuration.Overrides;

namespace Pipeline.Infra.Tests.Configuration;

/// <summary>The training keys: presets, each kind of bad value, and the rules between training values.</summary>
public sealed class TrainingSettingsTests
{
    [Fact]
    public void Presets_Production_ApprovesByHandAndTrainsOnMoreDataThanTheSandbox()
    {
        var (sandbox, production) = (SettingsPresets.Sandbox.Training, SettingsPresets.Production.Training);

        Assert.True(sandbox.AutoApprove);
        Assert.False(production.AutoApprove);
        Assert.True(production.LookbackDays > sandbox.LookbackDays);
        Assert.True(production.MinimumRows > sandbox.MinimumRows);
        Assert.True(production.Tuning.MaxJobs > sandbox.Tuning.MaxJobs);
    }

    [Theory]
    [InlineData("sandbox", 2, 75, 180)]
    [InlineData("production", 5, 90, 480)]
    public void Presets_ExecutionTimeout_CoversTheWorstCaseTuningRun(string profile, int rounds, int perJob, int required)
    {
        var training = Load(("profile", profile)).Training;

        Assert.Equal((rounds, perJob, required), (training.SequentialTrainingJobs, training.TrainingJobBoundMinutes, training.RequiredExecutionTimeoutMinutes));
        Assert.True(training.ExecutionTimeoutMinutes >= required);
    }

    [Fact]
    public void Presets_TuningRanges_AreTheSameSearchWithTheirScaling()
    {
        var tuning = SettingsPresets.Production.Training.Tuning;

        Assert.Equal(SettingsPresets.Sandbox.Training.Tuning with { MaxJobs = tuning.MaxJobs, MaxParallelJobs = tuning.MaxParallelJobs }, tuning);
        Assert.Equal(
            [(HyperparameterScaling.Logarithmic, false), (HyperparameterScaling.Linear, true), (HyperparameterScaling.Linear, false), (HyperparameterScaling.Linear, false)],
            new[] { tuning.Eta, tuning.MaxDepth, tuning.MinChildWeight, tuning.Subsample }.Select(r => (r.Scaling, r.IsInteger)));
    }

    [Fact]
    public void Allowed_TrainingInstanceType_ListsEveryXgboostCpuFamily()
    {
        var allowed = SettingDefinitions.All.Single(d => d.Key == ConfigurationKeys.TrainingInstanceType).Allowed;

        Assert.All(SettingDefinitions.XgboostCpuFamilies, family => Assert.Contains($"ml.{family}.{{", allowed, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("ml.trn1.32xlarge", "trn1")]
    [InlineData("ml.trn1n.32xlarge", "trn1n")]
    [InlineData("ml.m7i.xlarge", "m7i")]
    public void Load_TrainingFamilyThePipelineDoesNotTrainOn_NamesItAndListsTheCpuFamilies(string instanceType, string family)
    {
        var error = Refusal(("training.instanceType", instanceType));

        AssertValueRefused(error, ConfigurationErrorCode.NotAllowed, "training.instanceType", instanceType);
        Assert.Contains($"family {family},", error.Problem, StringComparison.Ordinal);
        Assert.Contains(string.Join(", ", SettingDefinitions.XgboostCpuFamilies), error.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ml.g4dn.xlarge")]
    [InlineData("ml.g5.2xlarge")]
    [InlineData("ml.p3.2xlarge")]
    [InlineData("ml.g6e.12xlarge")]
    [InlineData("ml.p4d.24xlarge")]
    [InlineData("ml.p6-b200.48xlarge")]
    public void Load_GpuTrainingInstanceType_IsNotAllowed(string instanceType)
    {
        AssertValueRefused(Refusal(("training.instanceType", instanceType)), ConfigurationErrorCode.NotAllowed, "training.instanceType", instanceType);
    }

    [Theory]
    [InlineData("ml.m5.8xlarge", "large, xlarge, 2xlarge, 4xlarge, 12xlarge, 24xlarge")]
    [InlineData("ml.c6i.large", "xlarge, 2xlarge, 4xlarge, 8xlarge, 12xlarge, 16xlarge, 24xlarge, 32xlarge")]
    [InlineData("ml.t3.4xlarge", "medium, large, xlarge, 2xlarge")]
    public void Load_TrainingSizeTheFamilyDoesNotHave_ListsTheFamilysTrainingSizes(string instanceType, string sizes)
    {
        var error = Refusal(("training.instanceType", instanceType));

        AssertValueRefused(error, ConfigurationErrorCode.NotAllowed, "training.instanceType", instanceType);
        Assert.EndsWith($"only {sizes}.", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_HostingOnlyTypeForTraining_IsNotAllowed()
    {
        var error = Refusal(("training.instanceType", "ml.m5d.large"));

        AssertValueRefused(error, ConfigurationErrorCode.NotAllowed, "training.instanceType", "ml.m5d.large");
        Assert.Contains("only for real-time hosting", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SeveralCpuInstances_AreAccepted()
    {
        Assert.Equal(4, Load(("training.instanceType", "ml.m5.2xlarge"), ("training.instanceCount", "4")).Training.InstanceCount);
    }

    [Theory]
    [InlineData("training.instanceCount", "21")]
    [InlineData("training.maxWaitMinutes", "40321")]
    [InlineData("training.lookbackDays", "0")]
    [InlineData("training.lookbackDays", "366")]
    [InlineData("training.minimumRows", "0")]
    [InlineData("training.validationFraction", "0")]
    [InlineData("training.validationFraction", "1")]
    [InlineData("training.validationFraction", "0.6")]
    [InlineData("training.validationFraction", "0.01")]
    [InlineData("training.regressionTolerance", "0.6")]
    [InlineData("training.executionTimeoutMinutes", "525601")]
    [InlineData("training.tuning.maxJobs", "501")]
    [InlineData("training.tuning.maxParallelJobs", "101")]
    public void Load_TrainingNumberOutOfItsRange_IsOutOfRange(string key, string value)
    {
        AssertValueRefused(Refusal((key, value)), ConfigurationErrorCode.OutOfRange, key, value);
    }

    [Fact]
    public void Load_MaxWaitWithoutSpot_SaysToRemoveItOrUseSpot()
    {
        AssertRefused(Refusal(("training.useSpot", "false"), ("training.maxWaitMinutes", "120")), ConfigurationErrorCode.Conflict,
            "training.maxWaitMinutes", "120", "remove -c training.maxWaitMinutes", "-c training.useSpot=true");
    }

    [Fact]
    public void Load_SpotOff_DropsThePresetWaitAndBoundsJobsByTheRunTime()
    {
        var training = Load(("profile", "production"), ("training.useSpot", "false")).Training;

        Assert.Null(training.MaxWaitMinutes);
        Assert.Equal((60, 5 * 60 + 30), (training.TrainingJobBoundMinutes, training.RequiredExecutionTimeoutMinutes));
    }

    [Fact]
    public void Load_MaxWaitShorterThanTheRunTime_AllowsFromTheRunTime()
    {
        var error = Refusal(("training.maxWaitMinutes", "45"));

        AssertRefused(error, ConfigurationErrorCode.Conflict, "training.maxWaitMinutes", "45",
            "-c training.maxWaitMinutes to 60", "-c training.maxRuntimeMinutes");
        Assert.StartsWith("60 to 40320 minutes", error.Allowed, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MaxWaitEqualToTheRunTime_IsAccepted()
    {
        Assert.Equal(60, Load(("training.maxWaitMinutes", "60")).Training.MaxWaitMinutes);
    }

    [Fact]
    public void Validate_SpotWithoutAWaitTime_AsksForOne()
    {
        var settings = SettingsPresets.Sandbox with { Training = SettingsPresets.Sandbox.Training with { MaxWaitMinutes = null } };

        AssertRefused(Assert.Single(PipelineSettingsLoader.Validate(settings)), ConfigurationErrorCode.Conflict,
            "training.maxWaitMinutes", null, "-c training.maxWaitMinutes=", "-c training.useSpot=false");
    }

    [Fact]
    public void Validate_WaitTimeWithoutSpot_IsRefused()
    {
        var settings = SettingsPresets.Sandbox with { Training = SettingsPresets.Sandbox.Training with { UseSpot = false } };

        AssertRefused(Assert.Single(PipelineSettingsLoader.Validate(settings)), ConfigurationErrorCode.Conflict, "training.maxWaitMinutes", "75");
    }

    [Fact]
    public void Load_MorePositivesThanRows_NamesBothKeys()
    {
        AssertRefused(Refusal(("training.minimumPositives", "2000")), ConfigurationErrorCode.Conflict,
            "training.minimumPositives and training.minimumRows", null, "-c training.minimumRows", "-c training.minimumPositives");
    }

    [Fact]
    public void Load_TooFewPositivesForTheValidationShare_SaysHowManyAreNeeded()
    {
        // 4 positives x 0.2 held out = 0.8 of a positive; 5 x 0.2 = 1.
        AssertRefused(Refusal(("training.minimumPositives", "4")), ConfigurationErrorCode.Conflict,
            "training.minimumPositives and training.validationFraction", null, "-c training.minimumPositives to 5", "-c training.validationFraction");
    }

    [Theory]
    [InlineData("auto", null)]
    [InlineData("AUTO", null)]
    [InlineData("25", 25.0)]
    [InlineData("0.5", 0.5)]
    public void Load_ScalePosWeight_IsAutoOrAPositiveNumber(string value, double? expected)
    {
        Assert.Equal(expected, Load(("training.scalePosWeight", value)).Training.ScalePosWeight);
    }

    [Theory]
    [InlineData("balanced", ConfigurationErrorCode.NotANumber)]
    [InlineData("0", ConfigurationErrorCode.OutOfRange)]
    [InlineData("-3", ConfigurationErrorCode.OutOfRange)]
    [InlineData("2000000", ConfigurationErrorCode.OutOfRange)]
    public void Load_BadScalePosWeight_IsRefusedWithItsCode(string value, ConfigurationErrorCode code)
    {
        AssertValueRefused(Refusal(("training.scalePosWeight", value)), code, "training.scalePosWeight", value);
    }

    [Fact]
    public void Load_AutoApproveNotABoolean_FixNamesTheProductionDefault()
    {
        var error = Refusal(("profile", "production"), ("training.autoApprove", "always"));

        AssertValueRefused(error, ConfigurationErrorCode.NotAllowed, "training.autoApprove", "always");
        Assert.Contains("production default (false)", error.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ExecutionTimeoutShorterThanTheTuningRun_AsksForTheWorstCaseWithSpot()
    {
        // 2 rounds of tuning (4 jobs, 2 at a time) x 75 minutes (spot wait) + 30 = 180 minutes.
        var error = Refusal(("training.executionTimeoutMinutes", "179"));

        AssertRefused(error, ConfigurationErrorCode.Conflict, "training.executionTimeoutMinutes", "179",
            "-c training.executionTimeoutMinutes=180", "-c training.maxWaitMinutes", "-c training.tuning.maxJobs", "-c training.tuning.maxParallelJobs");
        Assert.StartsWith("180 to 525600 minutes", error.Allowed, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ExecutionTimeoutShorterThanOneOnDemandJob_AsksForTheRunTimeBound()
    {
        // 1 training job x 60 minutes (run time, no spot) + 30 = 90 minutes.
        var error = Refusal(("training.useSpot", "false"), ("training.tuning.enabled", "false"), ("training.executionTimeoutMinutes", "60"));

        AssertRefused(error, ConfigurationErrorCode.Conflict, "training.executionTimeoutMinutes", "60",
            "-c training.executionTimeoutMinutes=90", "-c training.maxRuntimeMinutes");
        Assert.DoesNotContain("maxWaitMinutes", error.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_LongerTrainingWithALongerTimeout_IsAccepted()
    {
        var training = Load(("profile", "production"), ("training.maxRuntimeMinutes", "120"), ("training.maxWaitMinutes", "180"),
            ("training.executionTimeoutMinutes", "930")).Training;

        Assert.Equal(930, training.RequiredExecutionTimeoutMinutes);
    }

    [Fact]
    public void Load_MoreParallelJobsThanJobs_NamesBothKeys()
    {
        AssertRefused(Refusal(("training.tuning.maxJobs", "2"), ("training.tuning.maxParallelJobs", "3")), ConfigurationErrorCode.Conflict,
            "training.tuning.maxParallelJobs and training.tuning.maxJobs", null, "-c training.tuning.maxParallelJobs", "-c training.tuning.maxJobs");
    }

    [Fact]
    public void Load_TuningDisabled_RunsOneJob()
    {
        var training = Load(("training.tuning.enabled", "false")).Training;

        Assert.Equal((1, 75 + 30), (training.SequentialTrainingJobs, training.RequiredExecutionTimeoutMinutes));
    }

    [Theory]
    [InlineData("training.tuning.eta", "0.05-0.5", ConfigurationErrorCode.Malformed)]
    [InlineData("training.tuning.eta", "0.05..", ConfigurationErrorCode.Malformed)]
    [InlineData("training.tuning.eta", "0.5..0.05", ConfigurationErrorCode.Malformed)]
    [InlineData("training.tuning.eta", "0.3..0.3", ConfigurationErrorCode.Malformed)]
    [InlineData("training.tuning.eta", "0..0.5", ConfigurationErrorCode.OutOfRange)]
    [InlineData("training.tuning.eta", "0.1..1.5", ConfigurationErrorCode.OutOfRange)]
    [InlineData("training.tuning.maxDepth", "3.5..9", ConfigurationErrorCode.NotANumber)]
    [InlineData("training.tuning.maxDepth", "0..9", ConfigurationErrorCode.OutOfRange)]
    [InlineData("training.tuning.maxDepth", "3..21", ConfigurationErrorCode.OutOfRange)]
    [InlineData("training.tuning.minChildWeight", "-1..10", ConfigurationErrorCode.OutOfRange)]
    [InlineData("training.tuning.subsample", "0.5..1.5", ConfigurationErrorCode.OutOfRange)]
    [InlineData("training.tuning.subsample", "0..1", ConfigurationErrorCode.OutOfRange)]
    public void Load_BadHyperparameterRange_IsRefusedWithItsCode(string key, string value, ConfigurationErrorCode code)
    {
        AssertValueRefused(Refusal((key, value)), code, key, value);
    }

    [Theory]
    [InlineData("training.tuning.eta", "0.01 .. 1", 0.01, 1)]
    [InlineData("training.tuning.maxDepth", "1..20", 1, 20)]
    [InlineData("training.tuning.minChildWeight", "0..120", 0, 120)]
    [InlineData("training.tuning.subsample", "0.1..1", 0.1, 1)]
    public void Load_RangesAtTheValidEdges_AreApplied(string key, string value, double min, double max)
    {
        var tuning = Load((key, value)).Training.Tuning;
        var range = key switch
        {
            "training.tuning.eta" => tuning.Eta,
            "training.tuning.maxDepth" => tuning.MaxDepth,
            "training.tuning.minChildWeight" => tuning.MinChildWeight,
            _ => tuning.Subsample,
        };

        Assert.Equal((min, max), (range.Min, range.Max));
    }
}
