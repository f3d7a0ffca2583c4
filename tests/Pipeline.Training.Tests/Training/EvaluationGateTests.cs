using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Training;

namespace Pipeline.Training.Tests.Training;

public class EvaluationGateTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 29, 3, 12, 0, TimeSpan.Zero);

    private static readonly EvaluationGate Gate = new(new EvaluationGateOptions { MinimumAuc = 0.8, RegressionTolerance = 0.01 });

    private static TrainingJobResult CompletedJob => TrainingJobResult.Parse(TrainingFixtures.Read("describe-training-job-completed.json"));

    private static ChampionModel Champion => ChampionModel.Parse(TrainingFixtures.Read("describe-model-package-champion.json"));

    private static TrainingJobResult JobWithAuc(double auc) =>
        TrainingJobResult.Parse(TrainingFixtures.CompletedJobWith(m => m!["Value"] = auc));

    private static string[] Reasons(EvaluationResult result) => result.Checks.Select(c => $"{c.Name}:{(c.Passed ? "pass" : "fail")}: {c.Reason}").ToArray();

    [Fact]
    public void Evaluate_GoodModelAndChampion_PassesWithAReasonPerCheck()
    {
        var result = Gate.Evaluate(CompletedJob, Champion, At);

        Assert.True(result.Passed);
        Assert.Equal(
            [
                "job_completed:pass: Training job 'xgb-telemetry-20261129-0300' is Completed.",
                "metric_valid:pass: validation:auc is 0.9123449921607971.",
                "minimum_auc:pass: Validation AUC 0.9123449921607971 is at least the minimum 0.8.",
                "no_regression:pass: Validation AUC 0.9123449921607971 is not below the champion's (version 3) AUC 0.905 minus the tolerance 0.01 (0.895).",
            ],
            Reasons(result));
        Assert.Equal(0.9123449921607971, result.ValidationAuc);
    }

    [Fact]
    public void Evaluate_AucBelowMinimum_Fails()
    {
        var result = Gate.Evaluate(JobWithAuc(0.75), null, At);

        Assert.False(result.Passed);
        Assert.Equal(
            [
                "job_completed:pass: Training job 'xgb-telemetry-20261129-0300' is Completed.",
                "metric_valid:pass: validation:auc is 0.75.",
                "minimum_auc:fail: Validation AUC 0.75 is below the minimum 0.8.",
                "no_regression:pass: There is no approved champion in the model package group, so there is nothing to regress from.",
            ],
            Reasons(result));
        Assert.Equal("Validation AUC 0.75 is below the minimum 0.8.", result.Summary);
    }

    [Fact]
    public void Evaluate_AucMoreThanToleranceBelowChampion_FailsAsRegression()
    {
        var result = Gate.Evaluate(JobWithAuc(0.89), Champion, At);

        Assert.False(result.Passed);
        Assert.Equal(
            "no_regression:fail: Validation AUC 0.89 is below the champion's (version 3) AUC 0.905 minus the tolerance 0.01 (0.895): a regression.",
            Reasons(result)[3]);
        Assert.True(result.Checks[2].Passed);
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
        Assert.Equal(
            "There is no approved champion in the model package group, so there is nothing to regress from.",
            result.Checks[3].Reason);
    }

    [Fact]
    public void Evaluate_MissingMetric_FailsWithReasonsNotException()
    {
        var job = TrainingJobResult.Parse(TrainingFixtures.CompletedJobWith(m => m!.Clear()));

        var result = Gate.Evaluate(job, Champion, At);

        Assert.False(result.Passed);
        Assert.Null(result.ValidationAuc);
        Assert.Equal(
            [
                "job_completed:pass: Training job 'xgb-telemetry-20261129-0300' is Completed.",
                "metric_valid:fail: The training job reported no validation:auc metric; check that eval_metric=auc is set and the validation channel has data.",
                "minimum_auc:fail: The minimum validation AUC 0.8 cannot be checked without a valid validation:auc.",
                "no_regression:fail: The comparison with the champion (version 3, AUC 0.905) cannot be made without a valid validation:auc.",
            ],
            Reasons(result));
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
        Assert.Equal(
            $"metric_valid:fail: validation:auc is {shown}, not a number between 0 and 1; the validation channel may lack a positive or a negative label.",
            Reasons(result)[1]);
        Assert.False(result.Checks[2].Passed);
    }

    [Fact]
    public void Evaluate_FailedJob_FailsWithFailureReason()
    {
        var job = TrainingJobResult.Parse(TrainingFixtures.Read("describe-training-job-failed.json"));

        var result = Gate.Evaluate(job, Champion, At);

        Assert.False(result.Passed);
        Assert.Equal(
            "job_completed:fail: Training job 'xgb-telemetry-20261130-0300' is Failed, not Completed: AlgorithmError: framework error: Could not determine delimiter on line",
            Reasons(result)[0]);
        Assert.Equal(4, result.Checks.Count);
        Assert.All(result.Checks, c => Assert.False(c.Passed));
    }

    [Fact]
    public void Evaluate_ChampionWithoutRecordedAuc_FailsRegressionCheckWithWhatToDo()
    {
        var describe = JsonNode.Parse(TrainingFixtures.Read("describe-model-package-champion.json"))!.AsObject();
        describe["CustomerMetadataProperties"]!.AsObject().Remove("validation_auc");
        var champion = ChampionModel.Parse(describe.ToJsonString());

        var result = Gate.Evaluate(CompletedJob, champion, At);

        Assert.False(result.Passed);
        Assert.Equal(
            "no_regression:fail: The champion (version 3) has no CustomerMetadataProperties 'validation_auc'. Without it the candidate cannot be compared; record 'validation_auc' on the champion or approve the candidate manually.",
            Reasons(result)[3]);
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
        Assert.Equal(
            "The champion (version 3) has CustomerMetadataProperties 'validation_auc' = 'high', which is not a number between 0 and 1.",
            champion.AucProblem);
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

    public static TheoryData<string, Action, string> MalformedDocuments => new()
    {
        { "not JSON", () => TrainingJobResult.Parse("{\"TrainingJobName\":"), "DescribeTrainingJob response is not valid JSON: " },
        { "array", () => TrainingJobResult.Parse("[]"), "DescribeTrainingJob response must be a JSON object; it is Array." },
        { "no name", () => TrainingJobResult.Parse("{\"TrainingJobStatus\":\"Completed\"}"), "DescribeTrainingJob response: TrainingJobName is missing or empty." },
        { "no status", () => TrainingJobResult.Parse("{\"TrainingJobName\":\"j\"}"), "DescribeTrainingJob response: TrainingJobStatus is missing or empty." },
        { "status number", () => TrainingJobResult.Parse("{\"TrainingJobName\":\"j\",\"TrainingJobStatus\":3}"), "DescribeTrainingJob response: TrainingJobStatus must be a string; it is Number." },
        { "metrics object", () => TrainingJobResult.Parse("{\"TrainingJobName\":\"j\",\"TrainingJobStatus\":\"Completed\",\"FinalMetricDataList\":{}}"), "DescribeTrainingJob response: FinalMetricDataList must be an array; it is Object." },
        { "metric without name", () => TrainingJobResult.Parse("{\"TrainingJobName\":\"j\",\"TrainingJobStatus\":\"Completed\",\"FinalMetricDataList\":[{\"Value\":1}]}"), "DescribeTrainingJob response FinalMetricDataList entry: MetricName is missing or empty." },
        { "package without arn", () => ChampionModel.Parse("{\"ModelPackageVersion\":1}"), "DescribeModelPackage response: ModelPackageArn is missing or empty." },
        { "version text", () => ChampionModel.Parse("{\"ModelPackageArn\":\"arn\",\"ModelPackageVersion\":\"1\"}"), "DescribeModelPackage response: ModelPackageVersion must be an integer; it is \"1\"." },
    };

    [Theory]
    [MemberData(nameof(MalformedDocuments))]
    public void Parse_MalformedDocument_ThrowsFormatException(string problem, Action parse, string messageStart)
    {
        var ex = Assert.Throws<FormatException>(parse);

        Assert.True(ex.Message.StartsWith(messageStart, StringComparison.Ordinal), $"{problem}: {ex.Message}");
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
    [InlineData(0, 0.01, "MinimumAuc 0 must be greater than 0 and at most 1 (0.5 is a random guess). (Parameter 'options')")]
    [InlineData(1.1, 0.01, "MinimumAuc 1.1 must be greater than 0 and at most 1 (0.5 is a random guess). (Parameter 'options')")]
    [InlineData(double.NaN, 0.01, "MinimumAuc NaN must be greater than 0 and at most 1 (0.5 is a random guess). (Parameter 'options')")]
    [InlineData(0.8, -0.1, "RegressionTolerance -0.1 must be at least 0 and less than 1. (Parameter 'options')")]
    [InlineData(0.8, 1, "RegressionTolerance 1 must be at least 0 and less than 1. (Parameter 'options')")]
    public void Constructor_ThresholdOutOfRange_ThrowsWithWhatToChange(double minimum, double tolerance, string message)
    {
        var ex = Assert.Throws<ArgumentException>(() => new EvaluationGate(new EvaluationGateOptions { MinimumAuc = minimum, RegressionTolerance = tolerance }));

        Assert.Equal(message, ex.Message);
    }
}
