using Pipeline.Infra.Configuration;

namespace Pipeline.Infra.Tests.Configuration;

/// <summary>The training keys: presets, each kind of bad value, and the rules between training values.</summary>
public sealed class TrainingSettingsTests
{
    [Fact]
    public void Presets_Sandbox_IsCheapWithASmallTuningJobAndAutomaticApproval()
    {
        var training = SettingsPresets.Sandbox.Training;

        Assert.Equal(
            (7, 1_000, 10, 0.2, true, 75, 0.01, true, 180),
            (training.LookbackDays, training.MinimumRows, training.MinimumPositives, training.ValidationFraction, training.UseSpot,
                training.MaxWaitMinutes, training.RegressionTolerance, training.AutoApprove, training.ExecutionTimeoutMinutes));
        Assert.Equal((true, 4, 2), (training.Tuning.Enabled, training.Tuning.MaxJobs, training.Tuning.MaxParallelJobs));
        Assert.Null(training.ScalePosWeight);
        Assert.Equal(1, training.InstanceCount);
    }

    [Fact]
    public void Presets_Production_TrainsOnAMonthWithManualApproval()
    {
        var training = SettingsPresets.Production.Training;

        Assert.Equal(
            (30, 50_000, 100, 0.2, true, 60, 90, 0.01, false, 480),
            (training.LookbackDays, training.MinimumRows, training.MinimumPositives, training.ValidationFraction, training.UseSpot,
                training.MaxRuntimeMinutes, training.MaxWaitMinutes, training.RegressionTolerance, training.AutoApprove, training.ExecutionTimeoutMinutes));
        Assert.Equal((true, 20, 4), (training.Tuning.Enabled, training.Tuning.MaxJobs, training.Tuning.MaxParallelJobs));
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
    public void Presets_TuningRanges_AreTheDocumentedDefaults()
    {
        var tuning = SettingsPresets.Production.Training.Tuning;

        Assert.Equal(new HyperparameterRange { Min = 0.05, Max = 0.5, Scaling = HyperparameterScaling.Logarithmic, IsInteger = false }, tuning.Eta);
        Assert.Equal(new HyperparameterRange { Min = 3, Max = 9, Scaling = HyperparameterScaling.Linear, IsInteger = true }, tuning.MaxDepth);
        Assert.Equal(new HyperparameterRange { Min = 1, Max = 10, Scaling = HyperparameterScaling.Linear, IsInteger = false }, tuning.MinChildWeight);
        Assert.Equal(new HyperparameterRange { Min = 0.5, Max = 1, Scaling = HyperparameterScaling.Linear, IsInteger = false }, tuning.Subsample);
        Assert.Equal(SettingsPresets.Sandbox.Training.Tuning with { MaxJobs = 20, MaxParallelJobs = 4 }, tuning);
        Assert.Equal(["0.05..0.5", "3..9", "1..10", "0.5..1"], new[] { tuning.Eta, tuning.MaxDepth, tuning.MinChildWeight, tuning.Subsample }.Select(r => r.ToString()));
    }

    [Theory]
    [InlineData("ml.trn1.32xlarge", "trn1")]
    [InlineData("ml.trn1n.32xlarge", "trn1n")]
    [InlineData("ml.m7i.xlarge", "m7i")]
    public void Load_TrainingFamilyThePipelineDoesNotTrainOn_ListsTheCpuFamilies(string instanceType, string family)
    {
        AssertSingleProblem(
            $"training.instanceType = \"{instanceType}\": uses the instance family {family}, which the pipeline does not train XGBoost on: it trains on the CPU families m5, m6i, c5, c5n, c6i, r5, r5d, t3 (AWS Trainium and the other accelerators are not supported). Allowed: {PipelineSettingsLoaderTests.TrainingAllowed}. Fix: pass -c training.instanceType=<value>, or remove the override to use the sandbox default (ml.m5.xlarge).",
            ("training.instanceType", instanceType));
    }

    [Theory]
    [InlineData("ml.g4dn.xlarge")]
    [InlineData("ml.g5.2xlarge")]
    [InlineData("ml.p3.2xlarge")]
    [InlineData("ml.g6e.12xlarge")]
    [InlineData("ml.p4d.24xlarge")]
    [InlineData("ml.p6-b200.48xlarge")]
    public void Load_GpuTrainingInstanceType_SaysXgboostTrainsOnCpuHere(string instanceType)
    {
        AssertSingleProblem(
            $"training.instanceType = \"{instanceType}\": is a GPU instance type, and XGBoost trains on CPU here: the pipeline sets no GPU tree method (tree_method=gpu_hist), so the job would run on the instance's CPUs while paying for its GPUs. Allowed: {PipelineSettingsLoaderTests.TrainingAllowed}. Fix: pass -c training.instanceType=<value>, or remove the override to use the sandbox default (ml.m5.xlarge).",
            ("training.instanceType", instanceType));
    }

    [Theory]
    [InlineData("ml.m5.8xlarge", "m5", "large, xlarge, 2xlarge, 4xlarge, 12xlarge, 24xlarge")]
    [InlineData("ml.c6i.large", "c6i", "xlarge, 2xlarge, 4xlarge, 8xlarge, 12xlarge, 16xlarge, 24xlarge, 32xlarge")]
    [InlineData("ml.t3.4xlarge", "t3", "medium, large, xlarge, 2xlarge")]
    public void Load_TrainingSizeTheFamilyDoesNotHave_ListsTheFamilysTrainingSizes(string instanceType, string family, string sizes)
    {
        AssertSingleProblem(
            $"training.instanceType = \"{instanceType}\": is not offered for training: SageMaker has no training instance of size {instanceType.Split('.')[2]} in the {family} family, only {sizes}. Allowed: {PipelineSettingsLoaderTests.TrainingAllowed}. Fix: pass -c training.instanceType=<value>, or remove the override to use the sandbox default (ml.m5.xlarge).",
            ("training.instanceType", instanceType));
    }

    [Fact]
    public void Load_HostingOnlyTypeForTraining_SaysItIsOfferedOnlyForHosting()
    {
        AssertSingleProblem(
            $"training.instanceType = \"ml.m5d.large\": is not offered for training: SageMaker offers the m5d family only for real-time hosting. Allowed: {PipelineSettingsLoaderTests.TrainingAllowed}. Fix: pass -c training.instanceType=<value>, or remove the override to use the sandbox default (ml.m5.xlarge).",
            ("training.instanceType", "ml.m5d.large"));
    }

    [Fact]
    public void Load_SeveralCpuInstances_AreAccepted()
    {
        Assert.Equal(4, Load(("training.instanceType", "ml.m5.2xlarge"), ("training.instanceCount", "4")).Training.InstanceCount);
    }

    [Fact]
    public void Load_InstanceCountOutOfRange_NamesTheRange()
    {
        AssertSingleProblem(
            "training.instanceCount = \"21\": is out of range. Allowed: a whole number from 1 to 20; more than 1 is distributed CPU training (the data is sharded across the instances), GPU instances train alone. Fix: pass -c training.instanceCount=<value>, or remove the override to use the sandbox default (1).",
            ("training.instanceCount", "21"));
    }

    [Fact]
    public void Load_MaxWaitWithoutSpot_ExplainsThatOnlySpotTakesIt()
    {
        AssertSingleProblem(
            "training.maxWaitMinutes = \"120\": is only allowed with managed spot training, and training.useSpot is false: SageMaker takes MaxWaitTimeInSeconds (time waiting for spot capacity plus run time) only for spot training jobs, and without spot training.maxRuntimeMinutes alone bounds a job. Allowed: no training.maxWaitMinutes when training.useSpot=false. Fix: remove -c training.maxWaitMinutes, or pass -c training.useSpot=true.",
            ("training.useSpot", "false"), ("training.maxWaitMinutes", "120"));
    }

    [Fact]
    public void Load_SpotOff_DropsThePresetWaitAndBoundsJobsByTheRunTime()
    {
        var training = Load(("profile", "production"), ("training.useSpot", "false")).Training;

        Assert.Null(training.MaxWaitMinutes);
        Assert.Equal((60, 5 * 60 + 30), (training.TrainingJobBoundMinutes, training.RequiredExecutionTimeoutMinutes));
    }

    [Fact]
    public void Load_MaxWaitShorterThanTheRunTime_SaysSageMakerRequiresAtLeastTheRunTime()
    {
        AssertSingleProblem(
            "training.maxWaitMinutes = \"45\": is shorter than the run time it has to contain (training.maxRuntimeMinutes = 60): SageMaker requires MaxWaitTimeInSeconds, the time waiting for spot capacity plus the run time, to be at least MaxRuntimeInSeconds. Allowed: 60 to 40320 minutes (more than training.maxRuntimeMinutes leaves time to wait for spot capacity). Fix: raise -c training.maxWaitMinutes to 60 or more, or lower -c training.maxRuntimeMinutes.",
            ("training.maxWaitMinutes", "45"));
    }

    [Fact]
    public void Load_MaxWaitEqualToTheRunTime_IsAccepted()
    {
        Assert.Equal(60, Load(("training.maxWaitMinutes", "60")).Training.MaxWaitMinutes);
    }

    [Fact]
    public void Load_MaxWaitBeyond28Days_IsOutOfRange()
    {
        AssertSingleProblem(
            "training.maxWaitMinutes = \"40321\": is out of range. Allowed: a whole number of minutes from 10 to 40320 (28 days), at least training.maxRuntimeMinutes: the time a spot training job may spend waiting for capacity plus running; only with training.useSpot=true. Fix: pass -c training.maxWaitMinutes=<value>, or remove the override to use the sandbox default (75).",
            ("training.maxWaitMinutes", "40321"));
    }

    [Fact]
    public void Validate_SpotWithoutAWaitTime_AsksForOne()
    {
        var settings = SettingsPresets.Sandbox with { Training = SettingsPresets.Sandbox.Training with { MaxWaitMinutes = null } };

        Assert.Equal(
            "training.maxWaitMinutes: managed spot training needs a maximum wait time (StoppingCondition MaxWaitTimeInSeconds), and none is set. Allowed: a whole number of minutes from 60 (training.maxRuntimeMinutes) to 40320 with training.useSpot=true. Fix: pass -c training.maxWaitMinutes=<minutes>, or pass -c training.useSpot=false.",
            Assert.Single(PipelineSettingsLoader.Validate(settings)).Message);
    }

    [Fact]
    public void Validate_WaitTimeWithoutSpot_IsRejected()
    {
        var settings = SettingsPresets.Sandbox with { Training = SettingsPresets.Sandbox.Training with { UseSpot = false } };

        Assert.Equal(
            "training.maxWaitMinutes = \"75\": is only allowed with managed spot training, and training.useSpot is false: SageMaker takes MaxWaitTimeInSeconds only for spot training jobs. Allowed: no training.maxWaitMinutes when training.useSpot=false. Fix: set MaxWaitMinutes to null, or UseSpot to true.",
            Assert.Single(PipelineSettingsLoader.Validate(settings)).Message);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("366")]
    public void Load_LookbackOutOfRange_NamesTheRange(string value)
    {
        AssertSingleProblem(
            $"training.lookbackDays = \"{value}\": is out of range. Allowed: a whole number of days from 1 to 365: the training window is the last this many days. Fix: pass -c training.lookbackDays=<value>, or remove the override to use the sandbox default (7).",
            ("training.lookbackDays", value));
    }

    [Fact]
    public void Load_ZeroMinimumRows_IsOutOfRange()
    {
        AssertSingleProblem(
            "training.minimumRows = \"0\": is out of range. Allowed: a whole number of labelled rows, at least 1 (a run with fewer rows in the window stops before training). Fix: pass -c training.minimumRows=<value>, or remove the override to use the sandbox default (1000).",
            ("training.minimumRows", "0"));
    }

    [Fact]
    public void Load_MorePositivesThanRows_NamesBothKeys()
    {
        AssertSingleProblem(
            "training.minimumPositives and training.minimumRows: the minimum number of positives (2000) exceeds the minimum number of rows (1000), so the row check could never be the one that stops a run. Allowed: minimumPositives <= minimumRows. Fix: raise -c training.minimumRows or lower -c training.minimumPositives.",
            ("training.minimumPositives", "2000"));
    }

    [Fact]
    public void Load_TooFewPositivesForTheValidationShare_ExplainsTheAuc()
    {
        AssertSingleProblem(
            "training.minimumPositives and training.validationFraction: a run with 4 positives holds out 0.2 of them, less than one positive, and the validation AUC needs positives and negatives. Allowed: minimumPositives x validationFraction >= 1. Fix: raise -c training.minimumPositives to 5 or more, or raise -c training.validationFraction.",
            ("training.minimumPositives", "4"));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1")]
    [InlineData("0.6")]
    [InlineData("0.01")]
    public void Load_ValidationFractionOutOfRange_NamesTheRange(string value)
    {
        AssertSingleProblem(
            $"training.validationFraction = \"{value}\": is out of range. Allowed: a fraction from 0.05 to 0.5 of the window held out for validation. Fix: pass -c training.validationFraction=<value>, or remove the override to use the sandbox default (0.2).",
            ("training.validationFraction", value));
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
    [InlineData("balanced", "is neither auto nor a number.")]
    [InlineData("0", "is out of range.")]
    [InlineData("-3", "is out of range.")]
    [InlineData("2000000", "is out of range.")]
    public void Load_BadScalePosWeight_SaysWhatIsAllowed(string value, string problem)
    {
        AssertSingleProblem(
            $"training.scalePosWeight = \"{value}\": {problem} Allowed: auto (the counted ratio of negative to positive rows in the window) or a number greater than 0 and at most 1000000. Fix: pass -c training.scalePosWeight=<value>, or remove the override to use the sandbox default (auto).",
            ("training.scalePosWeight", value));
    }

    [Fact]
    public void Load_RegressionToleranceOutOfRange_NamesTheRange()
    {
        AssertSingleProblem(
            "training.regressionTolerance = \"0.6\": is out of range. Allowed: a number from 0 to 0.5: how far below the current champion's validation AUC a new model's may be. Fix: pass -c training.regressionTolerance=<value>, or remove the override to use the sandbox default (0.01).",
            ("training.regressionTolerance", "0.6"));
    }

    [Fact]
    public void Load_AutoApproveNotABoolean_ListsTrueAndFalse()
    {
        AssertSingleProblem(
            "training.autoApprove = \"always\": is not a boolean. Allowed: true or false. Fix: pass -c training.autoApprove=<value>, or remove the override to use the production default (false).",
            ("profile", "production"), ("training.autoApprove", "always"));
    }

    [Fact]
    public void Load_ExecutionTimeoutShorterThanTheTuningRun_ShowsTheComputation()
    {
        AssertSingleProblem(
            "training.executionTimeoutMinutes = \"179\": the state machine could time out while training still runs: 2 rounds of tuning (4 jobs, 2 at a time) x 75 minutes per training job (training.maxWaitMinutes, spot) + 30 minutes for the queries and registration = 180 minutes. Allowed: 180 to 525600 minutes (one year, the Step Functions Standard limit). Fix: pass -c training.executionTimeoutMinutes=180 or more, or shorten training: lower -c training.maxWaitMinutes or -c training.tuning.maxJobs, or raise -c training.tuning.maxParallelJobs.",
            ("training.executionTimeoutMinutes", "179"));
    }

    [Fact]
    public void Load_ExecutionTimeoutShorterThanOneOnDemandJob_ShowsTheComputation()
    {
        AssertSingleProblem(
            "training.executionTimeoutMinutes = \"60\": the state machine could time out while training still runs: 1 training job (tuning disabled) x 60 minutes per training job (training.maxRuntimeMinutes) + 30 minutes for the queries and registration = 90 minutes. Allowed: 90 to 525600 minutes (one year, the Step Functions Standard limit). Fix: pass -c training.executionTimeoutMinutes=90 or more, or shorten training: lower -c training.maxRuntimeMinutes or -c training.tuning.maxJobs, or raise -c training.tuning.maxParallelJobs.",
            ("training.useSpot", "false"), ("training.tuning.enabled", "false"), ("training.executionTimeoutMinutes", "60"));
    }

    [Fact]
    public void Load_LongerTrainingWithALongerTimeout_IsAccepted()
    {
        var training = Load(("profile", "production"), ("training.maxRuntimeMinutes", "120"), ("training.maxWaitMinutes", "180"),
            ("training.executionTimeoutMinutes", "930")).Training;

        Assert.Equal(930, training.RequiredExecutionTimeoutMinutes);
    }

    [Fact]
    public void Load_ExecutionTimeoutBeyondAYear_IsOutOfRange()
    {
        AssertSingleProblem(
            "training.executionTimeoutMinutes = \"525601\": is out of range. Allowed: a whole number of minutes from 30 to 525600 (one year, the Step Functions Standard limit), at least the worst-case training time plus 30 minutes. Fix: pass -c training.executionTimeoutMinutes=<value>, or remove the override to use the sandbox default (180).",
            ("training.executionTimeoutMinutes", "525601"));
    }

    [Fact]
    public void Load_MoreParallelJobsThanJobs_NamesBothKeys()
    {
        AssertSingleProblem(
            "training.tuning.maxParallelJobs and training.tuning.maxJobs: 3 parallel training jobs exceed the 2 training jobs the tuning job may launch. Allowed: maxParallelJobs <= maxJobs. Fix: lower -c training.tuning.maxParallelJobs or raise -c training.tuning.maxJobs.",
            ("training.tuning.maxJobs", "2"), ("training.tuning.maxParallelJobs", "3"));
    }

    [Theory]
    [InlineData("training.tuning.maxJobs", "501", "a whole number of training jobs from 1 to 500 (SageMaker's default quota of training jobs per tuning job)", "4")]
    [InlineData("training.tuning.maxParallelJobs", "101", "a whole number of training jobs from 1 to 100, at most training.tuning.maxJobs (SageMaker's default quota is 10 concurrent training jobs per tuning job, raisable to 100)", "2")]
    public void Load_TuningLimitOutOfRange_NamesTheQuota(string key, string value, string allowed, string preset)
    {
        AssertSingleProblem(
            $"{key} = \"{value}\": is out of range. Allowed: {allowed}. Fix: pass -c {key}=<value>, or remove the override to use the sandbox default ({preset}).",
            (key, value));
    }

    [Fact]
    public void Load_TuningDisabled_RunsOneJob()
    {
        var training = Load(("training.tuning.enabled", "false")).Training;

        Assert.Equal((1, 75 + 30), (training.SequentialTrainingJobs, training.RequiredExecutionTimeoutMinutes));
    }

    [Theory]
    [InlineData("0.05-0.5", "is not a range of two numbers written min..max.")]
    [InlineData("0.05..", "is not a range of two numbers written min..max.")]
    [InlineData("0.5..0.05", "has a minimum that is not below its maximum.")]
    [InlineData("0.3..0.3", "has a minimum that is not below its maximum.")]
    [InlineData("0..0.5", "has a bound outside the hyperparameter's valid range.")]
    [InlineData("0.1..1.5", "has a bound outside the hyperparameter's valid range.")]
    public void Load_BadEtaRange_SaysWhatIsWrong(string value, string problem)
    {
        AssertSingleProblem(
            $"training.tuning.eta = \"{value}\": {problem} Allowed: min..max with 0 < min < max <= 1, e.g. 0.05..0.5 (XGBoost's eta lies in [0, 1]; the search is logarithmic, so min must be above 0). Fix: pass -c training.tuning.eta=<value>, or remove the override to use the sandbox default (0.05..0.5).",
            ("training.tuning.eta", value));
    }

    [Theory]
    [InlineData("3.5..9", "has a bound that is not a whole number; this hyperparameter is an integer.")]
    [InlineData("0..9", "has a bound outside the hyperparameter's valid range.")]
    [InlineData("3..21", "has a bound outside the hyperparameter's valid range.")]
    public void Load_BadMaxDepthRange_SaysWhatIsWrong(string value, string problem)
    {
        AssertSingleProblem(
            $"training.tuning.maxDepth = \"{value}\": {problem} Allowed: min..max of whole numbers with 1 <= min < max <= 20, e.g. 3..9 (XGBoost's max_depth is an integer >= 0; 0 means no limit, which only the lossguide policy allows, and deeper trees overfit and need exponentially more memory). Fix: pass -c training.tuning.maxDepth=<value>, or remove the override to use the sandbox default (3..9).",
            ("training.tuning.maxDepth", value));
    }

    [Theory]
    [InlineData("training.tuning.minChildWeight", "-1..10", "min..max with 0 <= min < max <= 120, e.g. 1..10 (XGBoost's min_child_weight is >= 0; SageMaker recommends tuning it within 0..120)", "1..10")]
    [InlineData("training.tuning.subsample", "0.5..1.5", "min..max with 0 < min < max <= 1, e.g. 0.5..1 (XGBoost's subsample lies in (0, 1])", "0.5..1")]
    [InlineData("training.tuning.subsample", "0..1", "min..max with 0 < min < max <= 1, e.g. 0.5..1 (XGBoost's subsample lies in (0, 1])", "0.5..1")]
    public void Load_RangeOutsideTheHyperparametersValidValues_IsRejected(string key, string value, string allowed, string preset)
    {
        AssertSingleProblem(
            $"{key} = \"{value}\": has a bound outside the hyperparameter's valid range. Allowed: {allowed}. Fix: pass -c {key}=<value>, or remove the override to use the sandbox default ({preset}).",
            (key, value));
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

    private static PipelineSettings Load(params (string Key, string Value)[] values) =>
        PipelineSettingsLoader.Load(values.ToDictionary(v => v.Key, v => (string?)v.Value));

    private static void AssertSingleProblem(string expectedMessage, params (string Key, string Value)[] values)
    {
        var error = Assert.Throws<ConfigurationException>(() => Load(values));

        Assert.Equal(expectedMessage, Assert.Single(error.Errors).Message);
    }
}
