using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Training;
using Pipeline.Training.Tests.Support;

namespace Pipeline.Training.Tests.Training;

public class EvaluationGateTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 29, 3, 12, 0, TimeSpan.Zero);

    private static readonly EvaluationGate Gate = new(new EvaluationGateOptions { MinimumAuc = 0.8, RegressionTolerance = 0.01 });

    private static TrainingJobResult CompletedJob => TrainingJobResult.Parse(TrainingFixtures.Read("describe-training-job-completed.json"));

    private static ChampionModel Champion => ChampionModel.Parse(TrainingFixtures.Read("describe-model-package-champion.json"));

    private static TrainingJobResult JobWithAuc(double auc) =>
        TrainingJobResult.Parse(TrainingFixtures.CompletedJobWith(m => m!["Value"] = auc));

    private static (string Name, bool Passed)[] Outcomes(EvaluationResult result) => [.. result.Checks.Select(c => (c.Name, c.Passed))];

    [Fact]
    public void Evaluate_GoodModelAndChampion_PassesWithAReasonPerCheck()
    {
        var result = Gate.Evaluate(CompletedJob, Champion, At);

        Assert.True(result.Passed);
        Assert.Equal([("job_completed", true), ("metric_valid", true), ("minimum_auc", true), ("no_regression", true)], Outcomes(result));
        Assert.Equal(0.9123449921607971, result.ValidationAuc);
    }

    [Fact]
    public void Evaluate_GoodModelAndChampion_RegressionReasonGivesBothAucsAndTheFloor()
    {
        var result = Gate.Evaluate(CompletedJob, Champion, At);

        Messages.AssertNames(result.Checks[3].Reason, "0.9123449921607971", "version 3", "0.905", "0.01", "0.895");
    }

    [Fact]
    public void Evaluate_AucBelowMinimum_Fails()
    {
        var result = Gate.Evaluate(JobWithAuc(0.75), null, At);

        Assert.False(result.Passed);
        Assert.Equal([("job_completed", true), ("metric_valid", true), ("minimum_auc", false), ("no_regression", true)], Outcomes(result));
        Assert.Equal(result.Checks[2].Reason, result.Summary);
        Messages.AssertNames(result.Summary, "0.75", "0.8");
    }

    [Fact]
    public void Evaluate_AucMoreThanToleranceBelowChampion_FailsAsRegression()
    {
        var result = Gate.Evaluate(JobWithAuc(0.89), Champion, At);

        Assert.False(result.Passed);
        Assert.Equal([("job_completed", true), ("metric_valid", true), ("minimum_auc", true), ("no_regression", false)], Outcomes(result));
        Messages.AssertNames(result.Checks[3].Reason, "0.89", "0.905", "0.895");
    }

    [Fact]
    public void Evaluate_AucWithinToleranceBelowChampion_Passes()
    {
        var result = Gate.Evaluate(JobWithAuc(0.9), Champion, At);

        Assert.True(result.Passed);
    }

    [Fact]
    public void Evaluate_NoChampion_PassesOnMinimumAlone()
    {
        var result = Gate.Evaluate(CompletedJob, null, At);

        Assert.True(result.Passed);
        Assert.Equal(("no_regression", true), (result.Checks[3].Name, result.Checks[3].Passed));
    }

    [Fact]
    public void Evaluate_MissingMetric_FailsWithReasonsNotException()
    {
        var job = TrainingJobResult.Parse(TrainingFixtures.CompletedJobWith(m => m!.Clear()));

        var result = Gate.Evaluate(job, Champion, At);

        Assert.False(result.Passed);
        Assert.Null(result.ValidationAuc);
        Assert.Equal([("job_completed", true), ("metric_valid", false), ("minimum_auc", false), ("no_regression", false)], Outcomes(result));
        // What to change: the metric the job must report.
        Messages.AssertNames(result.Checks[1].Reason, "validation:auc", "eval_metric=auc");
        Assert.Null(result.ModelQualityStatisticsJson());
    }

    [Theory]
    [InlineData("\"NaN\"", "NaN")]
    [InlineData("\"Infinity\"", "Infinity")]
    [InlineData("null", "NaN")]
    [InlineData("1.5", "1.5")]
    public void Evaluate_NonFiniteOrOutOfRangeMetric_FailsWithValueInReason(string rawValue, string shown)
    {
        var job = TrainingJobResult.Parse(TrainingFixtures.CompletedJobWith(m => m!["Value"] = JsonNode.Parse(rawValue)));

        var result = Gate.Evaluate(job, null, At);

        Assert.False(result.Passed);
        Assert.Equal([("metric_valid", false), ("minimum_auc", false)], Outcomes(result)[1..3]);
        Messages.AssertNames(result.Checks[1].Reason, $"validation:auc is {shown}");
    }

    [Fact]
    public void Evaluate_FailedJob_FailsWithFailureReason()
    {
        var job = TrainingJobResult.Parse(TrainingFixtures.Read("describe-training-job-failed.json"));

        var result = Gate.Evaluate(job, Champion, At);

        Assert.False(result.Passed);
        Assert.Equal([("job_completed", false), ("metric_valid", false), ("minimum_auc", false), ("no_regression", false)], Outcomes(result));
        Messages.AssertNames(result.Checks[0].Reason, "xgb-telemetry-20261130-0300", "Failed", job.FailureReason!);
    }

    [Fact]
    public void Evaluate_ChampionWithoutRecordedAuc_FailsRegressionCheckWithWhatToDo()
    {
        var describe = JsonNode.Parse(TrainingFixtures.Read("describe-model-package-champion.json"))!.AsObject();
        describe["CustomerMetadataProperties"]!.AsObject().Remove("validation_auc");
        var champion = ChampionModel.Parse(describe.ToJsonString());

        var result = Gate.Evaluate(CompletedJob, champion, At);

        Assert.False(result.Passed);
        Assert.Equal(("no_regression", false), (result.Checks[3].Name, result.Checks[3].Passed));
        Messages.AssertNames(result.Checks[3].Reason, "version 3", "'validation_auc'");
    }

    [Fact]
    public void Parse_ChampionDescription_ReadsArnVersionAndAuc()
    {
        var champion = Champion;

        Assert.Equal("arn:aws:sagemaker:eu-west-1:123456789012:model-package/telemetry-failure/3", champion.ModelPackageArn);
        Assert.Equal(3, champion.ModelPackageVersion);
        Assert.Equal(0.905, champion.ValidationAuc);
        Assert.Null(champion.AucProblem);
    }

    [Fact]
    public void Parse_ChampionAucNotANumber_HasProblemInsteadOfValue()
    {
        var describe = JsonNode.Parse(TrainingFixtures.Read("describe-model-package-champion.json"))!.AsObject();
        describe["CustomerMetadataProperties"]!["validation_auc"] = "high";

        var champion = ChampionModel.Parse(describe.ToJsonString());

        Assert.Null(champion.ValidationAuc);
        Messages.AssertNames(champion.AucProblem!, "version 3", "'validation_auc'", "'high'");
    }

    [Fact]
    public void Parse_CompletedJobFixture_ReadsDocumentedFields()
    {
        var job = CompletedJob;

        Assert.Equal("xgb-telemetry-20261129-0300", job.TrainingJobName);
        Assert.True(job.IsCompleted);
        Assert.Null(job.FailureReason);
        Assert.Equal(
            "s3://pipeline-lake-123456789012-eu-west-1/models/telemetry-20261129-0300/xgb-telemetry-20261129-0300/output/model.tar.gz",
            job.S3ModelArtifacts);
        Assert.Equal([new("train:auc", 0.9721034169197083), new("validation:auc", 0.9123449921607971)], job.FinalMetrics.ToList());
        Assert.Equal("binary:logistic", job.HyperParameters["objective"]);
    }

    public static TheoryData<string, Action, string[]> MalformedDocuments => new()
    {
        { "not JSON", () => TrainingJobResult.Parse("{\"TrainingJobName\":"), ["DescribeTrainingJob response"] },
        { "array", () => TrainingJobResult.Parse("[]"), ["DescribeTrainingJob response", "$"] },
        { "no name", () => TrainingJobResult.Parse("{\"TrainingJobStatus\":\"Completed\"}"), ["DescribeTrainingJob response", "TrainingJobName"] },
        { "no status", () => TrainingJobResult.Parse("{\"TrainingJobName\":\"j\"}"), ["DescribeTrainingJob response", "TrainingJobStatus"] },
        { "status number", () => TrainingJobResult.Parse("{\"TrainingJobName\":\"j\",\"TrainingJobStatus\":3}"), ["DescribeTrainingJob response", "$.TrainingJobStatus"] },
        { "metrics object", () => TrainingJobResult.Parse("{\"TrainingJobName\":\"j\",\"TrainingJobStatus\":\"Completed\",\"FinalMetricDataList\":{}}"), ["$.FinalMetricDataList"] },
        { "metric without name", () => TrainingJobResult.Parse("{\"TrainingJobName\":\"j\",\"TrainingJobStatus\":\"Completed\",\"FinalMetricDataList\":[{\"Value\":1}]}"), ["FinalMetricDataList", "MetricName"] },
        { "metric null", () => TrainingJobResult.Parse("{\"TrainingJobName\":\"j\",\"TrainingJobStatus\":\"Completed\",\"FinalMetricDataList\":[null]}"), ["FinalMetricDataList"] },
        { "package without arn", () => ChampionModel.Parse("{\"ModelPackageVersion\":1}"), ["DescribeModelPackage response", "ModelPackageArn"] },
        { "version text", () => ChampionModel.Parse("{\"ModelPackageArn\":\"arn\",\"ModelPackageVersion\":\"1\"}"), ["DescribeModelPackage response", "$.ModelPackageVersion"] },
    };

    [Theory]
    [MemberData(nameof(MalformedDocuments))]
    public void Parse_MalformedDocument_ThrowsFormatExceptionNamingTheDocumentAndTheMember(string problem, Action parse, string[] named)
    {
        var ex = Assert.Throws<FormatException>(parse);

        Assert.True(named.All(part => ex.Message.Contains(part, StringComparison.Ordinal)), $"{problem}: {ex.Message}");
    }

    [Fact]
    public void ReportJson_PassingResult_HasMetricsThresholdsChampionDecisionAndChecks()
    {
        var result = Gate.Evaluate(CompletedJob, Champion, At);

        using var report = JsonDocument.Parse(result.ReportJson());
        var root = report.RootElement;

        Assert.Equal("xgb-telemetry-20261129-0300", root.GetProperty("trainingJobName").GetString());
        Assert.Equal("Completed", root.GetProperty("trainingJobStatus").GetString());
        Assert.Equal(CompletedJob.S3ModelArtifacts, root.GetProperty("modelArtifacts").GetString());
        Assert.Equal("2026-11-29T03:12:00.000Z", root.GetProperty("evaluatedAt").GetString());
        Assert.Equal(0.9721034169197083, root.GetProperty("metrics").GetProperty("train:auc").GetDouble());
        Assert.Equal(0.9123449921607971, root.GetProperty("metrics").GetProperty("validation:auc").GetDouble());
        Assert.Equal(0.8, root.GetProperty("thresholds").GetProperty("minimumAuc").GetDouble());
        Assert.Equal(0.01, root.GetProperty("thresholds").GetProperty("regressionTolerance").GetDouble());
        Assert.Equal(Champion.ModelPackageArn, root.GetProperty("champion").GetProperty("modelPackageArn").GetString());
        Assert.Equal(3, root.GetProperty("champion").GetProperty("modelPackageVersion").GetInt32());
        Assert.Equal(0.905, root.GetProperty("champion").GetProperty("validationAuc").GetDouble());
        Assert.Equal("pass", root.GetProperty("decision").GetString());
        Assert.True(root.GetProperty("passed").GetBoolean());
        Assert.Equal(
            result.Checks.Select(c => (c.Name, c.Passed, c.Reason)),
            root.GetProperty("checks").EnumerateArray().Select(c => (c.GetProperty("name").GetString()!, c.GetProperty("passed").GetBoolean(), c.GetProperty("reason").GetString()!)));
    }

    [Fact]
    public void ReportJson_NaNMetricAndNoChampion_WritesNaNAsTextAndNullChampion()
    {
        var job = TrainingJobResult.Parse(TrainingFixtures.CompletedJobWith(m => m!["Value"] = "NaN"));

        using var report = JsonDocument.Parse(Gate.Evaluate(job, null, At).ReportJson());

        Assert.Equal("NaN", report.RootElement.GetProperty("metrics").GetProperty("validation:auc").GetString());
        Assert.Equal(JsonValueKind.Null, report.RootElement.GetProperty("champion").ValueKind);
        Assert.Equal("fail", report.RootElement.GetProperty("decision").GetString());
    }

    [Fact]
    public void ModelQualityStatisticsJson_ValidAuc_IsBinaryClassificationMetricsShape()
    {
        var json = Gate.Evaluate(CompletedJob, null, At).ModelQualityStatisticsJson()!;

        Assert.Equal(
            "{\"binary_classification_metrics\":{\"auc\":{\"value\":0.9123449921607971,\"standard_deviation\":\"NaN\"}}}",
            Encoding.UTF8.GetString(json));
    }

    [Fact]
    public void FormatAuc_Value_IsInvariantRoundTripText()
    {
        Assert.Equal("0.905", EvaluationGate.FormatAuc(0.905));
        Assert.Equal(0.9123449921607971, double.Parse(EvaluationGate.FormatAuc(0.9123449921607971), CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData(0, 0.01, "MinimumAuc", "0")]
    [InlineData(1.1, 0.01, "MinimumAuc", "1.1")]
    [InlineData(double.NaN, 0.01, "MinimumAuc", "NaN")]
    [InlineData(0.8, -0.1, "RegressionTolerance", "-0.1")]
    [InlineData(0.8, 1, "RegressionTolerance", "1")]
    public void Constructor_ThresholdOutOfRange_ThrowsNamingTheThresholdAndItsValue(double minimum, double tolerance, string threshold, string value)
    {
        var ex = Assert.Throws<ArgumentException>(() => new EvaluationGate(new EvaluationGateOptions { MinimumAuc = minimum, RegressionTolerance = tolerance }));

        Assert.Equal("options", ex.ParamName);
        Assert.StartsWith($"{threshold} {value} ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReportJson_MetricListedTwice_ReportsTheValueTheGateRead()
    {
        var job = TrainingJobResult.Parse(TrainingFixtures.CompletedJobWith(m => m!["Value"] = 0.9)
            .Replace("\"FinalMetricDataList\":[", "\"FinalMetricDataList\":[{\"MetricName\":\"validation:auc\",\"Value\":0.85},", StringComparison.Ordinal));

        using var report = JsonDocument.Parse(Gate.Evaluate(job, null, At).ReportJson());

        var metrics = report.RootElement.GetProperty("metrics").EnumerateObject();
        Assert.Equal([0.85], metrics.Where(m => m.Name == "validation:auc").Select(m => m.Value.GetDouble()));
    }
}
