using System.Text.Json;
using Pipeline.PrepareRun;
using Pipeline.Training.Tests.Support;
using Pipeline.Lambda.Storage;
using Pipeline.Testing;

namespace Pipeline.Training.Tests;

/// <summary>The <c>plan</c> action, with the manifest written to a real S3-protocol server (s3rver on 127.0.0.1).</summary>
[Collection(S3rverCollection.Name)]
public sealed class PrepareRunPlanTests
{
    private const string ExecutionName = "telemetry-20261129-0300";
    private const string Lake = "s3://" + S3rverServer.Bucket + "/";

    private readonly S3rverServer _s3;

    public PrepareRunPlanTests(S3rverServer s3)
    {
        _s3 = s3;
        _s3.ClearAsync().GetAwaiter().GetResult();
    }

    private Function CreateFunction(Action<Dictionary<string, string>>? edit = null)
    {
        var client = new Amazon.S3.AmazonS3Client(S3rverServer.Credentials(), _s3.Config());
        return new Function(Settings.PrepareRunConfiguration(edit), new S3ObjectStore(client), new FixedClock(Settings.Now), TextWriter.Null);
    }

    private static async Task<JsonElement> Invoke(Function function, string json)
    {
        using var document = JsonDocument.Parse(await function.HandleAsync(Payloads.Stream(json)));
        return document.RootElement.Clone();
    }

    [Fact]
    public async Task Plan_DefaultWindow_WritesTheManifestToTheLake()
    {
        await Invoke(CreateFunction(), $$"""{"action":"plan","executionName":"{{ExecutionName}}"}""");

        var (content, contentType) = await _s3.GetAsync($"models/{ExecutionName}/manifest.json");

        Assert.Equal(Settings.ExpectedPlan(ExecutionName, Settings.Now).ManifestJson(), content);
        Assert.Equal("application/json", contentType);
    }

    [Fact]
    public async Task Plan_DefaultWindow_ReturnsNamesWindowLocationsAndHyperparameters()
    {
        var expected = Settings.ExpectedPlan(ExecutionName, Settings.Now);

        var plan = await Invoke(CreateFunction(), $$"""{"action":"plan","executionName":"{{ExecutionName}}","window":null}""");

        Assert.Equal(
            ["runId", "executionName", "trainingJobName", "tuningJobName", "codeVersion", "window", "queries", "s3", "hyperparameters", "featureNames"],
            plan.EnumerateObject().Select(p => p.Name));
        Assert.Equal(
            (ExecutionName, ExecutionName, "xgb-" + ExecutionName, "xgb-telemetry-20261129-902103f8", "4f2c9ab"),
            (plan.GetProperty("runId").GetString(), plan.GetProperty("executionName").GetString(), plan.GetProperty("trainingJobName").GetString(),
             plan.GetProperty("tuningJobName").GetString(), plan.GetProperty("codeVersion").GetString()));
        Assert.Equal("""{"from":"2026-10-30","to":"2026-11-28"}""", plan.GetProperty("window").GetRawText());
        Assert.Equal(
            [
                ("count", expected.CountSql),
                ("train", expected.TrainUnloadSql),
                ("validation", expected.ValidationUnloadSql),
                ("baselineSummary", expected.BaselineSummarySql),
            ],
            plan.GetProperty("queries").EnumerateObject().Select(p => (p.Name, p.Value.GetString())));
        Assert.Equal(
            [
                ("train", Lake + $"training/{ExecutionName}/train/"),
                ("validation", Lake + $"training/{ExecutionName}/validation/"),
                ("model", Lake + $"models/{ExecutionName}/"),
                ("checkpoint", expected.S3Uri(expected.CheckpointPrefix)),
                ("evaluation", Lake + $"models/{ExecutionName}/evaluation.json"),
                ("modelQuality", Lake + $"models/{ExecutionName}/model-quality.json"),
                ("driftBaseline", Lake + $"models/{ExecutionName}/drift-baseline.json"),
                ("manifest", Lake + $"models/{ExecutionName}/manifest.json"),
            ],
            plan.GetProperty("s3").EnumerateObject().Select(p => (p.Name, p.Value.GetString())));
        Assert.Equal(
            """{"early_stopping_rounds":"20","eta":"0.2","eval_metric":"auc","max_depth":"5","min_child_weight":"1","num_round":"200","objective":"binary:logistic","subsample":"0.8"}""",
            plan.GetProperty("hyperparameters").GetRawText());
        Assert.Equal(expected.FeatureNames, plan.GetProperty("featureNames").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Plan_RequestedWindowAndOverrides_PlansAndRecordsThem()
    {
        var overrides = new Dictionary<string, string> { ["max_depth"] = "7", ["eta"] = "0.1" };

        var plan = await Invoke(
            CreateFunction(),
            """{"action":"plan","executionName":"manual-1","window":{"from":"2026-11-01","to":"2026-11-14"},"hyperparameters":{"max_depth":"7","eta":0.1}}""");

        var (content, _) = await _s3.GetAsync("models/manual-1/manifest.json");
        var expected = Settings.ExpectedPlan("manual-1", Settings.Now, new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 14), overrides);
        Assert.Equal(expected.ManifestJson(), content);
        Assert.Equal("""{"from":"2026-11-01","to":"2026-11-14"}""", plan.GetProperty("window").GetRawText());
        Assert.Equal(
            ("7", "0.1"),
            (plan.GetProperty("hyperparameters").GetProperty("max_depth").GetString(), plan.GetProperty("hyperparameters").GetProperty("eta").GetString()));
    }

    [Fact]
    public async Task Plan_FixedScalePosWeight_IsInTheHyperparameters()
    {
        var plan = await Invoke(CreateFunction(v => v["SCALE_POS_WEIGHT"] = "25"), """{"action":"plan","executionName":"run-2"}""");

        Assert.Equal("25", plan.GetProperty("hyperparameters").GetProperty("scale_pos_weight").GetString());
    }

    [Fact]
    public async Task Plan_ScalePosWeightAuto_LeavesItToDecide()
    {
        var plan = await Invoke(CreateFunction(), """{"action":"plan","executionName":"run-3"}""");

        Assert.False(plan.GetProperty("hyperparameters").TryGetProperty("scale_pos_weight", out _));
    }

    [Fact]
    public async Task Plan_LongExecutionName_KeepsJobNamesWithinSageMakerLimits()
    {
        var name = "scheduled-" + new string('a', 60) + "-20261129";

        var plan = await Invoke(CreateFunction(), $$"""{"action":"plan","executionName":"{{name}}"}""");

        var runId = plan.GetProperty("runId").GetString()!;
        Assert.Equal(TrainingRunPlan.DeriveRunId(name), runId);
        Assert.Equal("xgb-" + runId, plan.GetProperty("trainingJobName").GetString());
        Assert.Equal(TuningJobName.Derive("xgb", runId), plan.GetProperty("tuningJobName").GetString());
        Assert.Equal(32, plan.GetProperty("tuningJobName").GetString()!.Length);
    }

    [Theory]
    [InlineData("""{"action":"plan"}""", "executionName")]
    [InlineData("""{"action":"plan","executionName":42}""", "executionName", "number")]
    [InlineData("""{"action":"plan","executionName":"has space"}""", "Execution name", "'has space'")]
    [InlineData("""{"action":"plan","executionName":"r","window":"last-week"}""", "window", "string")]
    [InlineData("""{"action":"plan","executionName":"r","window":{"from":"2026-11-01"}}""", "A requested window", "From", "To")]
    [InlineData("""{"action":"plan","executionName":"r","window":{"from":"01/11/2026","to":"2026-11-14"}}""", "window.from", "'01/11/2026'")]
    [InlineData("""{"action":"plan","executionName":"r","window":{"from":"2026-11-01","to":"2026-12-01"}}""", "Requested window", "To 2026-12-01", "2026-11-29")]
    [InlineData("""{"action":"plan","executionName":"r","hyperparameters":{"objective":"reg:squarederror"}}""", "Hyperparameter", "'objective'")]
    [InlineData("""{"action":"plan","executionName":"r","hyperparameters":{"max_depth":true}}""", "hyperparameters.max_depth", "boolean")]
    [InlineData("""{"action":"plan","executionName":"r","hyperparameters":["max_depth"]}""", "hyperparameters", "array")]
    public async Task Plan_MalformedEvent_ThrowsNamingTheFieldAndWritesNothing(string json, string field, params string[] values)
    {
        var store = new RecordingStore();
        var function = new Function(Settings.PrepareRunConfiguration(), store, new FixedClock(Settings.Now), TextWriter.Null);

        var ex = await Assert.ThrowsAsync<InvalidEventException>(() => function.HandleAsync(Payloads.Stream(json)));

        Messages.AssertField(ex.Message, field, values);
        Assert.Empty(store.Puts);
    }

    [Theory]
    [InlineData("[]", "The event", "array")]
    [InlineData("{}", "action")]
    [InlineData("not json", "The event", "not valid JSON")]
    public async Task Handle_NoAction_ThrowsNamingEveryAction(string json, string field, params string[] values)
    {
        var function = new Function(Settings.PrepareRunConfiguration(), new RecordingStore(), new FixedClock(Settings.Now), TextWriter.Null);

        var ex = await Assert.ThrowsAsync<InvalidEventException>(() => function.HandleAsync(Payloads.Stream(json)));

        Messages.AssertField(ex.Message, field, [.. values, "\"plan\"", "\"decide\"", "\"baselineBins\"", "\"baseline\""]);
    }

    [Theory]
    [InlineData("""{"action":"train"}""", "'train'")]
    [InlineData("""{"action":1}""", "'1'")]
    public async Task Handle_UnknownAction_ThrowsNamingItAndEveryAction(string json, string action)
    {
        var function = new Function(Settings.PrepareRunConfiguration(), new RecordingStore(), new FixedClock(Settings.Now), TextWriter.Null);

        var ex = await Assert.ThrowsAsync<InvalidEventException>(() => function.HandleAsync(Payloads.Stream(json)));

        Messages.AssertField(ex.Message, "action", action, "\"plan\"", "\"decide\"", "\"baselineBins\"", "\"baseline\"");
    }
}
