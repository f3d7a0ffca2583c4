using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Training;
using Pipeline.Evaluate;
using Pipeline.Training.Tests.Support;
using Pipeline.Lambda.Storage;
using Pipeline.Testing;

namespace Pipeline.Training.Tests;

/// <summary>
/// The evaluate step with the payloads Step Functions passes (DescribeTrainingJob and DescribeModelPackage responses,
/// and the plan prepare-run returned), writing to a real S3-protocol server (s3rver on 127.0.0.1).
/// </summary>
[Collection(S3rverCollection.Name)]
public sealed class EvaluateFunctionTests
{
    private const string RunId = "telemetry-20261129-0300";
    private const string EvaluationKey = "models/" + RunId + "/evaluation.json";
    private const string ModelQualityKey = "models/" + RunId + "/model-quality.json";

    private readonly S3rverServer _s3;

    public EvaluateFunctionTests(S3rverServer s3)
    {
        _s3 = s3;
        _s3.ClearAsync().GetAwaiter().GetResult();
    }

    /// <summary>The plan object prepare-run returns for <see cref="RunId"/> (the state machine passes it as <c>run</c>).</summary>
    internal static string Run()
    {
        var prepare = new PrepareRun.Function(Settings.PrepareRunConfiguration(), new RecordingStore(), new FixedClock(Settings.Now), TextWriter.Null);
        // Completed on return: the recording store answers at once (and theory data cannot be awaited).
        return Payloads.Text(prepare.HandleAsync(Payloads.Stream($$"""{"action":"plan","executionName":"{{RunId}}"}""")).GetAwaiter().GetResult());
    }

    internal static string Event(string trainingJob, string? champion, string? run = null) =>
        $$"""{"trainingJob":{{trainingJob}},"champion":{{champion ?? "null"}},"run":{{run ?? Run()}}}""";

    private Function CreateFunction(Action<Dictionary<string, string>>? edit = null)
    {
        var client = new Amazon.S3.AmazonS3Client(S3rverServer.Credentials(), _s3.Config());
        return new Function(Settings.EvaluateConfiguration(edit), new S3ObjectStore(client), new FixedClock(Settings.Now), TextWriter.Null);
    }

    private static EvaluationResult Expected(string trainingJob, string? champion, double regressionTolerance = 0.01) =>
        new EvaluationGate(new EvaluationGateOptions { MinimumAuc = 0.8, RegressionTolerance = regressionTolerance })
            .Evaluate(TrainingJobResult.Parse(trainingJob), champion is null ? null : ChampionModel.Parse(champion), Settings.Now);

    [Fact]
    public async Task Evaluate_PassingJobNoChampion_ReturnsApprovedWithTheRegisterStepsValues()
    {
        var job = Payloads.Fixture("describe-training-job-completed.json");
        var expected = Expected(job, null);

        using var response = JsonDocument.Parse(await CreateFunction().HandleAsync(Payloads.Stream(Event(job, null))));

        var root = response.RootElement;
        Assert.Equal(
            ["passed", "summary", "reasons", "checks", "validationAuc", "approvalStatus", "modelDataUrl", "evaluationReport", "modelQualityStatistics", "customerMetadata"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(
            (true, expected.Summary, 0.9123449921607971, "Approved"),
            (root.GetProperty("passed").GetBoolean(), root.GetProperty("summary").GetString(), root.GetProperty("validationAuc").GetDouble(),
             root.GetProperty("approvalStatus").GetString()));
        Assert.Equal(expected.Checks.Select(c => c.Reason), root.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(
            expected.Checks.Select(c => (c.Name, c.Passed, c.Reason)),
            root.GetProperty("checks").EnumerateArray().Select(c => (c.GetProperty("name").GetString()!, c.GetProperty("passed").GetBoolean(), c.GetProperty("reason").GetString()!)));
        Assert.Equal(
            ("s3://pipeline-lake-123456789012-eu-west-1/models/telemetry-20261129-0300/xgb-telemetry-20261129-0300/output/model.tar.gz",
             "s3://pipeline-lake-test/models/telemetry-20261129-0300/evaluation.json",
             "s3://pipeline-lake-test/models/telemetry-20261129-0300/model-quality.json"),
            (root.GetProperty("modelDataUrl").GetString(), root.GetProperty("evaluationReport").GetString(), root.GetProperty("modelQualityStatistics").GetString()));
        Assert.Equal(
            """{"validation_auc":"0.9123449921607971","run_id":"telemetry-20261129-0300","training_job":"xgb-telemetry-20261129-0300","window":"2026-10-30..2026-11-28",""" +
            "\"code_version\":\"4f2c9ab\",\"drift_baseline\":\"s3://pipeline-lake-test/models/telemetry-20261129-0300/drift-baseline.json\"}",
            root.GetProperty("customerMetadata").GetRawText());
    }

    [Fact]
    public async Task Evaluate_PassingJob_WritesTheReportAndTheModelQualityStatistics()
    {
        var job = Payloads.Fixture("describe-training-job-completed.json");
        var champion = Payloads.Fixture("describe-model-package-champion.json");

        await CreateFunction().HandleAsync(Payloads.Stream(Event(job, champion)));

        var report = await _s3.GetAsync(EvaluationKey);
        var statistics = await _s3.GetAsync(ModelQualityKey);
        Assert.Equal(Expected(job, champion).ReportJson(), report.Content);
        Assert.Equal("application/json", report.ContentType);
        Assert.Equal(
            """{"binary_classification_metrics":{"auc":{"value":0.9123449921607971,"standard_deviation":"NaN"}}}""",
            Encoding.UTF8.GetString(statistics.Content));
        Assert.Equal("application/json", statistics.ContentType);
    }

    [Fact]
    public async Task Evaluate_PassingJobWithoutAutoApprove_IsPendingManualApproval()
    {
        using var response = JsonDocument.Parse(await CreateFunction(v => v["AUTO_APPROVE"] = "false")
            .HandleAsync(Payloads.Stream(Event(Payloads.Fixture("describe-training-job-completed.json"), null))));

        Assert.Equal(
            (true, "PendingManualApproval"),
            (response.RootElement.GetProperty("passed").GetBoolean(), response.RootElement.GetProperty("approvalStatus").GetString()));
    }

    [Fact]
    public async Task Evaluate_RegressionFromTheChampion_FailsWithTheReasonWithoutThrowing()
    {
        var job = Payloads.Fixture("describe-training-job-completed.json");
        var champion = JsonNode.Parse(Payloads.Fixture("describe-model-package-champion.json"))!;
        champion["CustomerMetadataProperties"]!["validation_auc"] = "0.95";

        using var response = JsonDocument.Parse(await CreateFunction().HandleAsync(Payloads.Stream(Event(job, champion.ToJsonString()))));

        var root = response.RootElement;
        Assert.Equal(
            (false, "PendingManualApproval", 0.9123449921607971),
            (root.GetProperty("passed").GetBoolean(), root.GetProperty("approvalStatus").GetString(), root.GetProperty("validationAuc").GetDouble()));
        var reason = Expected(job, champion.ToJsonString()).Checks.Single(c => !c.Passed);
        Assert.Equal("no_regression", reason.Name);
        Assert.Equal([reason.Reason], root.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(reason.Reason, root.GetProperty("summary").GetString());
        Assert.Equal(Expected(job, champion.ToJsonString()).ReportJson(), (await _s3.GetAsync(EvaluationKey)).Content);
        Assert.True(await _s3.ExistsAsync(ModelQualityKey));
    }

    [Fact]
    public async Task Evaluate_FailedJob_FailsWithNullsAndWritesOnlyTheReport()
    {
        var job = Payloads.Fixture("describe-training-job-failed.json");

        using var response = JsonDocument.Parse(await CreateFunction().HandleAsync(Payloads.Stream(Event(job, null))));

        var root = response.RootElement;
        Assert.Equal(
            (false, JsonValueKind.Null, JsonValueKind.Null, "PendingManualApproval"),
            (root.GetProperty("passed").GetBoolean(), root.GetProperty("validationAuc").ValueKind,
             root.GetProperty("modelQualityStatistics").ValueKind, root.GetProperty("approvalStatus").GetString()));
        Assert.Equal(
            ["job_completed", "metric_valid", "minimum_auc"],
            root.GetProperty("checks").EnumerateArray().Where(c => !c.GetProperty("passed").GetBoolean()).Select(c => c.GetProperty("name").GetString()));
        Assert.Equal(3, root.GetProperty("reasons").GetArrayLength());
        Assert.Equal(
            """{"run_id":"telemetry-20261129-0300","training_job":"xgb-telemetry-20261130-0300","window":"2026-10-30..2026-11-28","code_version":"4f2c9ab",""" +
            "\"drift_baseline\":\"s3://pipeline-lake-test/models/telemetry-20261129-0300/drift-baseline.json\"}",
            root.GetProperty("customerMetadata").GetRawText());
        Assert.Equal(Expected(job, null).ReportJson(), (await _s3.GetAsync(EvaluationKey)).Content);
        Assert.False(await _s3.ExistsAsync(ModelQualityKey));
    }

    [Fact]
    public async Task Evaluate_ChampionAbsentOrNull_IsTheSame()
    {
        var job = Payloads.Fixture("describe-training-job-completed.json");
        var absent = $$"""{"trainingJob":{{job}},"run":{{Run()}}}""";
        var store = new RecordingStore();
        var function = new Function(Settings.EvaluateConfiguration(), store, new FixedClock(Settings.Now), TextWriter.Null);

        var withNull = Payloads.Text(await function.HandleAsync(Payloads.Stream(Event(job, null))));
        var withoutChampion = Payloads.Text(await function.HandleAsync(Payloads.Stream(absent)));

        Assert.Equal(withNull, withoutChampion);
        Assert.Equal(
            [(S3rverServer.Bucket, EvaluationKey), (S3rverServer.Bucket, ModelQualityKey), (S3rverServer.Bucket, EvaluationKey), (S3rverServer.Bucket, ModelQualityKey)],
            store.Puts.Select(p => (p.Bucket, p.Key)));
    }

    [Fact]
    public async Task Evaluate_CodeVersionOutsideSageMakersCharacters_IsSanitisedInTheMetadata()
    {
        var run = JsonNode.Parse(Run())!;
        run["codeVersion"] = "v1.2 (dirty)";
        var function = new Function(Settings.EvaluateConfiguration(), new RecordingStore(), new FixedClock(Settings.Now), TextWriter.Null);

        using var response = JsonDocument.Parse(await function.HandleAsync(Payloads.Stream(Event(Payloads.Fixture("describe-training-job-completed.json"), null, run.ToJsonString()))));

        Assert.Equal("v1.2 _dirty_", response.RootElement.GetProperty("customerMetadata").GetProperty("code_version").GetString());
    }

    public static TheoryData<string, string, string[]> MalformedEvents()
    {
        var job = Payloads.Fixture("describe-training-job-completed.json");
        var run = Run();
        string WithRun(Action<JsonNode> edit)
        {
            var node = JsonNode.Parse(run)!;
            edit(node);
            return Event(job, null, node.ToJsonString());
        }

        return new TheoryData<string, string, string[]>
        {
            { "[]", "The event", ["array", "\"trainingJob\"", "\"champion\"", "\"run\""] },
            { $$"""{"champion":null,"run":{{run}}}""", "trainingJob", [] },
            { $$"""{"trainingJob":"xgb-1","run":{{run}}}""", "trainingJob", ["string"] },
            { Event("""{"TrainingJobName":"xgb-1"}""", null), "trainingJob:", ["TrainingJobStatus"] },
            { Event(job, "\"arn:aws:sagemaker:eu-west-1:123456789012:model-package/telemetry-failure/3\""), "champion", ["string"] },
            { Event(job, """{"ModelPackageVersion":3}"""), "champion:", ["ModelPackageArn"] },
            { $$"""{"trainingJob":{{job}},"champion":null}""", "run", [] },
            { WithRun(r => r.AsObject().Remove("codeVersion")), "run.codeVersion", [] },
            { WithRun(r => r["window"]!["to"] = "28.11.2026"), "run.window.to", ["'28.11.2026'"] },
            { WithRun(r => r["s3"]!["evaluation"] = "s3://another-bucket/models/x/evaluation.json"), "run.s3.evaluation", ["'s3://another-bucket/models/x/evaluation.json'", "s3://pipeline-lake-test/"] },
            { WithRun(r => r["s3"]!["modelQuality"] = "s3://pipeline-lake-test/models/x/"), "run.s3.modelQuality", ["'s3://pipeline-lake-test/models/x/'"] },
            { WithRun(r => r["s3"]!.AsObject().Remove("driftBaseline")), "run.s3.driftBaseline", [] },
            { WithRun(r => r["s3"]!["driftBaseline"] = "s3://another-bucket/models/x/drift-baseline.json"), "run.s3.driftBaseline", ["'s3://another-bucket/models/x/drift-baseline.json'"] },
        };
    }

    [Theory]
    [MemberData(nameof(MalformedEvents))]
    public async Task Evaluate_MalformedEvent_ThrowsNamingTheFieldAndWritesNothing(string json, string field, string[] values)
    {
        var store = new RecordingStore();
        var function = new Function(Settings.EvaluateConfiguration(), store, new FixedClock(Settings.Now), TextWriter.Null);

        var ex = await Assert.ThrowsAsync<InvalidEventException>(() => function.HandleAsync(Payloads.Stream(json)));

        Messages.AssertField(ex.Message, field, values);
        Assert.Empty(store.Puts);
    }
}
