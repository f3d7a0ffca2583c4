using System.Globalization;
using System.Text.Json.Serialization;

namespace Pipeline.Training;

/// <summary>Thresholds of the <see cref="EvaluationGate"/>.</summary>
public sealed record EvaluationGateOptions
{
    /// <summary>The lowest validation AUC a model may have to be registered as approved: in (0, 1]; default 0.8.</summary>
    public double MinimumAuc { get; init; } = 0.8;

    /// <summary>How far below the champion's AUC a candidate may fall and still pass: in [0, 1); default 0.01.</summary>
    public double RegressionTolerance { get; init; } = 0.01;
}

/// <summary>One check of the gate and its outcome, in a plain sentence with the numbers.</summary>
/// <param name="Name">A stable identifier: <c>job_completed</c>, <c>metric_valid</c>, <c>minimum_auc</c> or <c>no_regression</c>.</param>
/// <param name="Passed">Whether the check passed.</param>
/// <param name="Reason">What was compared and the outcome.</param>
public sealed record EvaluationCheck(string Name, bool Passed, string Reason);

/// <summary>
/// The evaluate step's decision: a trained model passes only if its training job completed, it reported a finite
/// validation AUC, that AUC reaches the minimum, and it is not more than the tolerance below the current champion's.
/// Bad data (a failed job, a missing or NaN metric, a champion without a recorded AUC) is a failed check with a reason,
/// never an exception; only a malformed document throws (when it is parsed).
/// </summary>
public sealed class EvaluationGate
{
    /// <summary>
    /// The metric the built-in XGBoost reports for <c>eval_metric=auc</c> on the validation channel
    /// (https://docs.aws.amazon.com/sagemaker/latest/dg/xgboost-tuning.html).
    /// </summary>
    public const string ValidationAucMetric = "validation:auc";

    /// <summary>
    /// The <c>CustomerMetadataProperties</c> key under which the register step records a model package's validation AUC,
    /// and from which the gate reads the champion's.
    /// </summary>
    public const string ChampionAucMetadataKey = "validation_auc";

    /// <summary>Creates the gate.</summary>
    /// <param name="options">The thresholds.</param>
    /// <exception cref="ArgumentException">A threshold is out of range.</exception>
    public EvaluationGate(EvaluationGateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!(options.MinimumAuc > 0 && options.MinimumAuc <= 1))
        {
            throw new ArgumentException(
                Text($"MinimumAuc {options.MinimumAuc} must be greater than 0 and at most 1 (0.5 is a random guess)."), nameof(options));
        }

        if (!(options.RegressionTolerance >= 0 && options.RegressionTolerance < 1))
        {
            throw new ArgumentException(
                Text($"RegressionTolerance {options.RegressionTolerance} must be at least 0 and less than 1."), nameof(options));
        }

        Options = options;
    }

    /// <summary>The thresholds.</summary>
    public EvaluationGateOptions Options { get; }

    /// <summary>Formats an AUC for <c>CustomerMetadataProperties</c> (invariant, round-trip), as the register step must write it.</summary>
    /// <param name="auc">The AUC.</param>
    /// <returns>E.g. <c>0.9123</c>.</returns>
    public static string FormatAuc(double auc) => auc.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Decides on a trained model.</summary>
    /// <param name="job">The training job (DescribeTrainingJob).</param>
    /// <param name="champion">The current champion, or null when the group has no approved package.</param>
    /// <param name="evaluatedAt">When the decision is made (recorded in the report).</param>
    /// <returns>The decision with a reason for every check.</returns>
    public EvaluationResult Evaluate(TrainingJobResult job, ChampionModel? champion, DateTimeOffset evaluatedAt)
    {
        ArgumentNullException.ThrowIfNull(job);
        var checks = new List<EvaluationCheck>(4);
        checks.Add(job.IsCompleted
            ? new("job_completed", true, $"Training job '{job.TrainingJobName}' is Completed.")
            : new("job_completed", false,
                $"Training job '{job.TrainingJobName}' is {job.TrainingJobStatus}, not Completed" +
                (string.IsNullOrWhiteSpace(job.FailureReason) ? "." : $": {job.FailureReason}")));

        double? auc = null;
        if (!job.TryGetMetric(ValidationAucMetric, out var value))
        {
            checks.Add(new("metric_valid", false,
                $"The training job reported no {ValidationAucMetric} metric; check that eval_metric=auc is set and the validation channel has data."));
        }
        else if (!double.IsFinite(value) || value is < 0 or > 1)
        {
            checks.Add(new("metric_valid", false,
                Text($"{ValidationAucMetric} is {value}, not a number between 0 and 1; the validation channel may lack a positive or a negative label.")));
        }
        else
        {
            auc = value;
            checks.Add(new("metric_valid", true, Text($"{ValidationAucMetric} is {FormatAuc(value)}.")));
        }

        var minimum = Options.MinimumAuc;
        checks.Add(auc is not { } a1
            ? new("minimum_auc", false, Text($"The minimum validation AUC {minimum} cannot be checked without a valid {ValidationAucMetric}."))
            : a1 >= minimum
                ? new("minimum_auc", true, Text($"Validation AUC {FormatAuc(a1)} is at least the minimum {minimum}."))
                : new("minimum_auc", false, Text($"Validation AUC {FormatAuc(a1)} is below the minimum {minimum}.")));

        var tolerance = Options.RegressionTolerance;
        if (champion is null)
        {
            checks.Add(new("no_regression", true, "There is no approved champion in the model package group, so there is nothing to regress from."));
        }
        else if (champion.ValidationAuc is not { } championAuc)
        {
            checks.Add(new("no_regression", false,
                $"{champion.AucProblem} Without it the candidate cannot be compared; record '{ChampionAucMetadataKey}' on the champion or approve the candidate manually."));
        }
        else if (auc is not { } a2)
        {
            checks.Add(new("no_regression", false,
                Text($"The comparison with the champion ({champion.DisplayName}, AUC {FormatAuc(championAuc)}) cannot be made without a valid {ValidationAucMetric}.")));
        }
        else
        {
            var floor = championAuc - tolerance;
            var floorText = floor.ToString("0.##########", CultureInfo.InvariantCulture);
            checks.Add(a2 >= floor - 1e-12
                ? new("no_regression", true,
                    Text($"Validation AUC {FormatAuc(a2)} is not below the champion's ({champion.DisplayName}) AUC {FormatAuc(championAuc)} minus the tolerance {tolerance} ({floorText})."))
                : new("no_regression", false,
                    Text($"Validation AUC {FormatAuc(a2)} is below the champion's ({champion.DisplayName}) AUC {FormatAuc(championAuc)} minus the tolerance {tolerance} ({floorText}): a regression.")));
        }

        return new EvaluationResult(job, champion, Options, auc, checks.AsReadOnly(), evaluatedAt);
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The gate's decision, its reasons, and the documents written from it.</summary>
public sealed class EvaluationResult
{
    internal EvaluationResult(
        TrainingJobResult job,
        ChampionModel? champion,
        EvaluationGateOptions options,
        double? validationAuc,
        IReadOnlyList<EvaluationCheck> checks,
        DateTimeOffset evaluatedAt)
    {
        Job = job;
        Champion = champion;
        Options = options;
        ValidationAuc = validationAuc;
        Checks = checks;
        EvaluatedAt = evaluatedAt;
    }

    /// <summary>Whether every check passed: the model may be registered as approved.</summary>
    public bool Passed => Checks.All(c => c.Passed);

    /// <summary>Every check, in order, passed or failed.</summary>
    public IReadOnlyList<EvaluationCheck> Checks { get; }

    /// <summary>The candidate's validation AUC, when the job reported a valid one.</summary>
    public double? ValidationAuc { get; }

    /// <summary>The training job.</summary>
    public TrainingJobResult Job { get; }

    /// <summary>The champion compared with, or null.</summary>
    public ChampionModel? Champion { get; }

    /// <summary>The thresholds applied.</summary>
    public EvaluationGateOptions Options { get; }

    /// <summary>When the decision was made.</summary>
    public DateTimeOffset EvaluatedAt { get; }

    /// <summary>The reasons of the failed checks (or all reasons when it passed), as one text.</summary>
    public string Summary => string.Join(" ", (Passed ? Checks : Checks.Where(c => !c.Passed)).Select(c => c.Reason));

    /// <summary>The evaluation report: job, metrics, thresholds, champion, decision and every check's reason.</summary>
    /// <returns>UTF-8 JSON.</returns>
    public byte[] ReportJson() => TrainingJson.Document(
        new EvaluationReport(
            Job.TrainingJobName,
            Job.TrainingJobStatus,
            Job.S3ModelArtifacts,
            EvaluatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            // A metric listed twice is reported once, with the value the gate read (the first).
            new OrderedDictionary<string, double>(Job.FinalMetrics.DistinctBy(m => m.Key, StringComparer.Ordinal), StringComparer.Ordinal),
            new EvaluationThresholds(Options.MinimumAuc, Options.RegressionTolerance),
            Champion is null ? null : new EvaluationChampion(Champion.ModelPackageArn, Champion.ModelPackageVersion, Champion.ValidationAuc),
            Passed ? "pass" : "fail",
            Passed,
            Checks),
        TrainingJsonContext.Default.EvaluationReport);

    /// <summary>
    /// The model-quality statistics for the model registry (<c>ModelMetrics.ModelQuality.Statistics</c>, content type
    /// <c>application/json</c>), in the shape of SageMaker Model Monitor's binary classification metrics:
    /// <c>{"binary_classification_metrics":{"auc":{"value":0.9,"standard_deviation":"NaN"}}}</c>
    /// (https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-model-quality-metrics.html).
    /// </summary>
    /// <returns>UTF-8 JSON, or null when the job reported no valid AUC.</returns>
    public byte[]? ModelQualityStatisticsJson() => ValidationAuc is { } auc
        // One validation pass gives no spread; Model Monitor writes "NaN" when it computes none.
        ? TrainingJson.Line(new ModelQualityStatistics(new(new(auc, "NaN"))), TrainingJsonContext.Default.ModelQualityStatistics)
        : null;
}

/// <summary>The evaluation report (<see cref="EvaluationResult.ReportJson"/>), member by member in the document's order.</summary>
internal sealed record EvaluationReport(
    string TrainingJobName,
    string TrainingJobStatus,
    string? ModelArtifacts,
    string EvaluatedAt,
    // JSON has no NaN or infinity: they are written as text ("NaN", "Infinity", "-Infinity"), as Model Monitor does.
    [property: JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)] IReadOnlyDictionary<string, double> Metrics,
    EvaluationThresholds Thresholds,
    EvaluationChampion? Champion,
    string Decision,
    bool Passed,
    IReadOnlyList<EvaluationCheck> Checks);

/// <summary>The report's <c>thresholds</c>.</summary>
internal sealed record EvaluationThresholds(double MinimumAuc, double RegressionTolerance);

/// <summary>The report's <c>champion</c>: its version and AUC are null when unknown.</summary>
internal sealed record EvaluationChampion(string ModelPackageArn, int? ModelPackageVersion, double? ValidationAuc);

/// <summary>Model Monitor's statistics document (<see cref="EvaluationResult.ModelQualityStatisticsJson"/>).</summary>
internal sealed record ModelQualityStatistics(
    [property: JsonPropertyName("binary_classification_metrics")] BinaryClassificationMetrics BinaryClassificationMetrics);

/// <summary>The statistics' <c>binary_classification_metrics</c>.</summary>
internal sealed record BinaryClassificationMetrics(MetricStatistic Auc);

/// <summary>One metric's value and spread (<c>"NaN"</c> when none was computed).</summary>
internal sealed record MetricStatistic(double Value, [property: JsonPropertyName("standard_deviation")] string StandardDeviation);

