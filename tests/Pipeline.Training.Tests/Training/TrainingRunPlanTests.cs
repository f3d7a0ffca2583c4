using System.Text;
using System.Text.Json;
using Pipeline.Training.Drift;
using Pipeline.Schema;
using Pipeline.Training;
using Pipeline.Training.Tests.Support;
using Pipeline.Testing;

namespace Pipeline.Training.Tests.Training;

public class TrainingRunPlanTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 3, 0, 5, TimeSpan.Zero);

    private static TrainingRunSettings Settings => new()
    {
        LakeBucket = "pipeline-lake-123456789012-eu-west-1",
        Database = "pipeline",
        CodeVersion = "4f2c9ab",
        MinimumRows = 1000,
        MinimumPositives = 10,
    };

    private static TrainingRunPlan Create(
        TrainingRunSettings? settings = null,
        string executionName = "telemetry-20261129-0300",
        DateOnly? from = null,
        DateOnly? to = null) =>
        TrainingRunPlan.Create(
            TelemetrySchema.Definition,
            settings ?? Settings,
            new TrainingRunRequest { ExecutionName = executionName, From = from, To = to },
            new FixedClock(Now));

    [Fact]
    public void Create_DefaultWindow_IsLastThirtyDaysEndingYesterdayUtc()
    {
        var plan = Create();

        Assert.Equal(new DateWindow(new DateOnly(2026, 10, 30), new DateOnly(2026, 11, 28)), plan.Window);
        Assert.Equal(30, plan.Window.Days);
    }

    [Fact]
    public void Create_ClockWithOffset_UsesUtcDate()
    {
        var plan = TrainingRunPlan.Create(
            TelemetrySchema.Definition,
            Settings with { DefaultWindowDays = 7 },
            new TrainingRunRequest { ExecutionName = "run-1" },
            new FixedClock(new DateTimeOffset(2026, 11, 29, 1, 0, 0, TimeSpan.FromHours(3))));

        Assert.Equal(new DateWindow(new DateOnly(2026, 11, 21), new DateOnly(2026, 11, 27)), plan.Window);
    }

    [Fact]
    public void Create_RequestedWindow_IsUsedAsGiven()
    {
        var plan = Create(from: new DateOnly(2026, 1, 1), to: new DateOnly(2026, 3, 31));

        Assert.Equal("2026-01-01..2026-03-31", plan.Window.ToString());
        Assert.Contains("BETWEEN '2026-01-01' AND '2026-03-31'", plan.CountSql, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_CleanExecutionName_IsRunIdAndPrefixesAreDerived()
    {
        var plan = Create();

        Assert.Equal("telemetry-20261129-0300", plan.RunId);
        Assert.Equal("xgb-telemetry-20261129-0300", plan.TrainingJobName);
        Assert.Equal("training/telemetry-20261129-0300/train/", plan.TrainPrefix);
        Assert.Equal("training/telemetry-20261129-0300/validation/", plan.ValidationPrefix);
        Assert.Equal("models/telemetry-20261129-0300/", plan.ModelPrefix);
        Assert.Equal("models/telemetry-20261129-0300/checkpoints/", plan.CheckpointPrefix);
        Assert.Equal("models/telemetry-20261129-0300/evaluation.json", plan.EvaluationKey);
        Assert.Equal("models/telemetry-20261129-0300/manifest.json", plan.ManifestKey);
        Assert.Equal("s3://pipeline-lake-123456789012-eu-west-1/models/telemetry-20261129-0300/", plan.S3Uri(plan.ModelPrefix));
    }

    [Fact]
    public void Create_Statements_AreTheQueryForTheWindowAndPrefixes()
    {
        var plan = Create();
        var query = new TrainingSetQuery(TelemetrySchema.Definition, new TrainingSetQueryOptions { Database = "pipeline" });

        Assert.Equal(query.CountSql(plan.Window), plan.CountSql);
        Assert.Equal(
            query.UnloadSql(plan.Window, TrainingChannel.Train, "s3://pipeline-lake-123456789012-eu-west-1/training/telemetry-20261129-0300/train/"),
            plan.TrainUnloadSql);
        Assert.Equal(
            query.UnloadSql(plan.Window, TrainingChannel.Validation, "s3://pipeline-lake-123456789012-eu-west-1/training/telemetry-20261129-0300/validation/"),
            plan.ValidationUnloadSql);
        Assert.Equal(query.FeatureNames, plan.FeatureNames);
    }

    [Fact]
    public void Create_CleanExecutionName_DriftBaselineKeyIsBesideTheModel()
    {
        var plan = Create();

        Assert.Equal("models/telemetry-20261129-0300/drift-baseline.json", plan.DriftBaselineKey);
    }

    [Fact]
    public void Create_BaselineSummarySql_IsTheBaselineQuerysSummaryOfTheWindow()
    {
        var plan = Create(from: new DateOnly(2026, 11, 1), to: new DateOnly(2026, 11, 14));
        var query = new TrainingSetQuery(TelemetrySchema.Definition, new TrainingSetQueryOptions { Database = "pipeline" });

        Assert.Equal(new DriftBaselineQuery(query).SummarySql(new DateWindow(new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 14))), plan.BaselineSummarySql);
    }

    [Fact]
    public void Create_BaselineQuery_BinsTheSameTrainSplit()
    {
        var plan = Create();
        var query = new DriftBaselineQuery(new TrainingSetQuery(TelemetrySchema.Definition, new TrainingSetQueryOptions { Database = "pipeline" }));
        var edges = plan.Query.Schema.TrainingRoles.NumericFeatures.ToDictionary(
            f => f.Name, f => (IReadOnlyList<double>)[1.5, 2.0], StringComparer.Ordinal);

        Assert.Equal(query.BinSql(plan.Window, edges), plan.BaselineQuery.BinSql(plan.Window, edges));
    }

    [Theory]
    [InlineData("a", "a")]
    [InlineData("Run-2026-11-29", "Run-2026-11-29")]
    [InlineData("run_2026_11_29", "run-2026-11-29-f4d3a4fd")]
    [InlineData("___", "run-bda25155")]
    [InlineData("-run", "run-2539c028")]
    public void DeriveRunId_ExecutionName_IsNameOrCleanedNamePlusHash(string executionName, string runId)
    {
        Assert.Equal(runId, TrainingRunPlan.DeriveRunId(executionName));
        Assert.Matches("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,47}$", runId);
    }

    [Fact]
    public void DeriveRunId_LongExecutionName_IsShortenedAndStaysUnique()
    {
        var a = TrainingRunPlan.DeriveRunId(new string('a', 70) + "-1");
        var b = TrainingRunPlan.DeriveRunId(new string('a', 70) + "-2");

        Assert.Equal(TrainingRunPlan.MaxRunIdLength, a.Length);
        Assert.StartsWith(new string('a', 39) + "-", a, StringComparison.Ordinal);
        Assert.NotEqual(a, b);
        Assert.Equal(a, TrainingRunPlan.DeriveRunId(new string('a', 70) + "-1"));
    }

    [Fact]
    public void Create_LongPrefixAndRunId_JobNameFitsSageMakerLimit()
    {
        var plan = Create(Settings with { JobNamePrefix = "telemetry-xgb1" }, executionName: new string('x', 80));

        Assert.Equal(63, plan.TrainingJobName.Length);
        Assert.Matches("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$", plan.TrainingJobName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("tab\tname")]
    public void DeriveRunId_InvalidExecutionName_ThrowsNamingIt(string executionName)
    {
        var ex = Assert.Throws<ArgumentException>(() => TrainingRunPlan.DeriveRunId(executionName));

        Assert.Equal("executionName", ex.ParamName);
        Messages.AssertNames(ex.Message, $"'{executionName}'");
    }

    [Fact]
    public void Decide_EnoughData_ProceedsWithCounts()
    {
        var decision = Create().Decide(25_000, 120);

        Assert.True(decision.Proceed);
        Messages.AssertNames(decision.Reason, "25000 records", "120 positive", "24880 negative", "2026-10-30 to 2026-11-28", "1000", "10");
    }

    [Theory]
    [InlineData(999, 50, "999 records", "at least 1000")]
    [InlineData(0, 0, "0 records", "at least 1000")]
    [InlineData(5000, 9, "9 positive", "at least 10")]
    [InlineData(5000, 5000, "5000 records", "negative")]
    public void Decide_TooLittleData_StopsWithTheCountAndTheMinimumInTheReason(long rows, long positives, params string[] named)
    {
        var decision = Create().Decide(rows, positives);

        Assert.False(decision.Proceed);
        Messages.AssertNames(decision.Reason, [.. named, "2026-10-30 to 2026-11-28"]);
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(10, -1)]
    [InlineData(10, 11)]
    public void Decide_ImpossibleCounts_Throws(long rows, long positives)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Create().Decide(rows, positives));
    }

    [Fact]
    public void Create_HyperparameterOverrides_AreMergedOverDefaultsWithFixedObjective()
    {
        var plan = Create(Settings with
        {
            HyperparameterOverrides = new Dictionary<string, string> { ["max_depth"] = "7", ["scale_pos_weight"] = "28.5", ["tree_method"] = "hist" },
        });

        Assert.Equal(
            [
                new("early_stopping_rounds", "20"), new("eta", "0.2"), new("eval_metric", "auc"), new("max_depth", "7"),
                new("min_child_weight", "1"), new("num_round", "200"), new("objective", "binary:logistic"),
                new("scale_pos_weight", "28.5"), new("subsample", "0.8"), new("tree_method", "hist"),
            ],
            plan.Hyperparameters.ToList());
    }

    public static TheoryData<string, Func<TrainingRunPlan>, string, string[]> BadInputs => new()
    {
        { "unknown hyperparameter", () => Create(Settings with { HyperparameterOverrides = new Dictionary<string, string> { ["num_rounds"] = "5" } }), "overrides", ["'num_rounds'", "num_round,"] },
        { "fixed hyperparameter", () => Create(Settings with { HyperparameterOverrides = new Dictionary<string, string> { ["objective"] = "reg:squarederror" } }), "overrides", ["'objective'", "binary:logistic"] },
        { "non-integer", () => Create(Settings with { HyperparameterOverrides = new Dictionary<string, string> { ["max_depth"] = "5.5" } }), "overrides", ["'max_depth'", "'5.5'"] },
        { "non-number", () => Create(Settings with { HyperparameterOverrides = new Dictionary<string, string> { ["eta"] = "0,3" } }), "overrides", ["'eta'", "'0,3'"] },
        { "infinite", () => Create(Settings with { HyperparameterOverrides = new Dictionary<string, string> { ["eta"] = "Infinity" } }), "overrides", ["'eta'", "'Infinity'"] },
        { "word with quote", () => Create(Settings with { HyperparameterOverrides = new Dictionary<string, string> { ["tree_method"] = "hist'" } }), "overrides", ["'tree_method'", "'hist''"] },
        { "bad bucket", () => Create(Settings with { LakeBucket = "Lake_Bucket" }), "settings", ["LakeBucket", "'Lake_Bucket'"] },
        { "bad database", () => Create(Settings with { Database = "pipe-line" }), "options", ["Database", "'pipe-line'"] },
        { "zero window", () => Create(Settings with { DefaultWindowDays = 0 }), "settings", ["DefaultWindowDays 0", "3660"] },
        { "minimum rows", () => Create(Settings with { MinimumRows = 1 }), "settings", ["MinimumRows 1", "2"] },
        { "minimum positives", () => Create(Settings with { MinimumPositives = 0 }), "settings", ["MinimumPositives 0", "MinimumRows (1000)"] },
        { "fraction", () => Create(Settings with { ValidationFraction = 1.5 }), "options", ["ValidationFraction 1.5"] },
        { "code version", () => Create(Settings with { CodeVersion = " " }), "settings", ["CodeVersion", "128"] },
        { "job prefix", () => Create(Settings with { JobNamePrefix = "xgb_" }), "settings", ["JobNamePrefix", "'xgb_'"] },
        { "only from", () => Create(from: new DateOnly(2026, 1, 1)), "request", ["From", "To"] },
        { "from after to", () => Create(from: new DateOnly(2026, 2, 1), to: new DateOnly(2026, 1, 1)), "request", ["From 2026-02-01", "To 2026-01-01"] },
        { "future", () => Create(from: new DateOnly(2026, 11, 1), to: new DateOnly(2026, 11, 30)), "request", ["To 2026-11-30", "2026-11-29"] },
        { "before earliest", () => Create(from: new DateOnly(2019, 12, 31), to: new DateOnly(2020, 1, 31)), "request", ["From 2019-12-31", "2020-01-01", "'telemetry'"] },
        { "bad execution name", () => Create(executionName: "a b"), "executionName", ["'a b'"] },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Create_BadInput_ThrowsNamingTheSettingAndItsValue(string problem, Func<TrainingRunPlan> create, string parameter, string[] named)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(create);

        Assert.True(
            ex.ParamName == parameter && named.All(part => ex.Message.Contains(part, StringComparison.Ordinal)),
            $"{problem}: {ex.ParamName}: {ex.Message}");
    }

    [Fact]
    public void ManifestJson_Plan_RecordsWindowQueriesFeaturesHyperparametersAndVersion()
    {
        var plan = Create();

        using var manifest = JsonDocument.Parse(plan.ManifestJson());
        var root = manifest.RootElement;

        Assert.Equal("telemetry-20261129-0300", root.GetProperty("runId").GetString());
        Assert.Equal("telemetry-20261129-0300", root.GetProperty("executionName").GetString());
        Assert.Equal("xgb-telemetry-20261129-0300", root.GetProperty("trainingJobName").GetString());
        Assert.Equal("2026-11-29T03:00:05.000Z", root.GetProperty("createdAt").GetString());
        Assert.Equal("4f2c9ab", root.GetProperty("codeVersion").GetString());
        Assert.Equal("telemetry", root.GetProperty("schema").GetString());
        Assert.Equal("pipeline", root.GetProperty("database").GetString());
        Assert.Equal("telemetry", root.GetProperty("table").GetString());
        Assert.Equal("2026-10-30", root.GetProperty("window").GetProperty("from").GetString());
        Assert.Equal("2026-11-28", root.GetProperty("window").GetProperty("to").GetString());
        Assert.Equal("machine_failure", root.GetProperty("label").GetString());
        Assert.Equal(plan.FeatureNames, root.GetProperty("featureNames").EnumerateArray().Select(e => e.GetString()!));
        Assert.Equal(["device_id", "event_time"], root.GetProperty("recordIdentity").EnumerateArray().Select(e => e.GetString()!));
        Assert.Equal(0.2, root.GetProperty("validationFraction").GetDouble());
        Assert.Equal(1000, root.GetProperty("minimums").GetProperty("rows").GetInt64());
        Assert.Equal(10, root.GetProperty("minimums").GetProperty("positives").GetInt64());
        var s3 = root.GetProperty("s3");
        Assert.Equal("s3://pipeline-lake-123456789012-eu-west-1/training/telemetry-20261129-0300/train/", s3.GetProperty("train").GetString());
        Assert.Equal("s3://pipeline-lake-123456789012-eu-west-1/training/telemetry-20261129-0300/validation/", s3.GetProperty("validation").GetString());
        Assert.Equal("s3://pipeline-lake-123456789012-eu-west-1/models/telemetry-20261129-0300/", s3.GetProperty("model").GetString());
        Assert.Equal("s3://pipeline-lake-123456789012-eu-west-1/models/telemetry-20261129-0300/checkpoints/", s3.GetProperty("checkpoints").GetString());
        Assert.Equal("s3://pipeline-lake-123456789012-eu-west-1/models/telemetry-20261129-0300/evaluation.json", s3.GetProperty("evaluation").GetString());
        var queries = root.GetProperty("queries");
        Assert.Equal(plan.CountSql, queries.GetProperty("count").GetString());
        Assert.Equal(plan.TrainUnloadSql, queries.GetProperty("train").GetString());
        Assert.Equal(plan.ValidationUnloadSql, queries.GetProperty("validation").GetString());
        Assert.Equal(
            plan.Hyperparameters.ToList(),
            root.GetProperty("hyperparameters").EnumerateObject().Select(p => new KeyValuePair<string, string>(p.Name, p.Value.GetString()!)).ToList());
        var text = Encoding.UTF8.GetString(plan.ManifestJson());
        Assert.StartsWith("{\n  \"runId\"", text, StringComparison.Ordinal);
        Assert.Contains("BETWEEN '2026-10-30' AND '2026-11-28'", text, StringComparison.Ordinal);
    }
}
