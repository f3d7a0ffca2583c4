using System.Globalization;
using System.Text.Json;

namespace Pipeline.Training;

/// <summary>
/// The parts of a SageMaker DescribeTrainingJob response the evaluation gate reads, as Step Functions passes it
/// after a <c>createTrainingJob.sync</c> task (the API's JSON shape:
/// https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_DescribeTrainingJob.html).
/// </summary>
public sealed class TrainingJobResult
{
    private const string What = "DescribeTrainingJob response";

    private TrainingJobResult(
        string name,
        string status,
        string? failureReason,
        string? modelArtifacts,
        IReadOnlyList<KeyValuePair<string, double>> finalMetrics,
        IReadOnlyDictionary<string, string> hyperparameters)
    {
        TrainingJobName = name;
        TrainingJobStatus = status;
        FailureReason = failureReason;
        S3ModelArtifacts = modelArtifacts;
        FinalMetrics = finalMetrics;
        HyperParameters = hyperparameters;
    }

    /// <summary><c>TrainingJobName</c>.</summary>
    public string TrainingJobName { get; }

    /// <summary><c>TrainingJobStatus</c>: InProgress, Completed, Failed, Stopping, Stopped or Deleting.</summary>
    public string TrainingJobStatus { get; }

    /// <summary><c>FailureReason</c>, when the job failed.</summary>
    public string? FailureReason { get; }

    /// <summary><c>ModelArtifacts.S3ModelArtifacts</c>, e.g. <c>s3://bucket/models/run/job/output/model.tar.gz</c>.</summary>
    public string? S3ModelArtifacts { get; }

    /// <summary>
    /// <c>FinalMetricDataList</c> as name and value, in document order; a value that is missing or not a number is NaN
    /// (the gate reports it; it is not an error of the document).
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, double>> FinalMetrics { get; }

    /// <summary><c>HyperParameters</c>.</summary>
    public IReadOnlyDictionary<string, string> HyperParameters { get; }

    /// <summary>Whether <see cref="TrainingJobStatus"/> is <c>Completed</c>.</summary>
    public bool IsCompleted => string.Equals(TrainingJobStatus, "Completed", StringComparison.Ordinal);

    /// <summary>Finds a final metric by name (the first one, if listed twice).</summary>
    /// <param name="name">The metric name, e.g. <c>validation:auc</c>.</param>
    /// <param name="value">The value; NaN when the entry has no numeric value.</param>
    /// <returns>Whether the metric is listed.</returns>
    public bool TryGetMetric(string name, out double value)
    {
        foreach (var (metric, metricValue) in FinalMetrics)
        {
            if (string.Equals(metric, name, StringComparison.Ordinal))
            {
                value = metricValue;
                return true;
            }
        }

        value = double.NaN;
        return false;
    }

    /// <summary>Parses a DescribeTrainingJob response.</summary>
    /// <param name="json">The response JSON.</param>
    /// <returns>The parsed result.</returns>
    /// <exception cref="FormatException">
    /// The text is not JSON or not the response's shape (the message names the path), or lacks <c>TrainingJobName</c> or <c>TrainingJobStatus</c>.
    /// </exception>
    public static TrainingJobResult Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return From(TrainingJson.ReadApiDocument(json, AwsJsonContext.Default.DescribeTrainingJobJson, What));
    }

    /// <summary>Parses a DescribeTrainingJob response.</summary>
    /// <param name="root">The response object.</param>
    /// <returns>The parsed result.</returns>
    /// <exception cref="FormatException">
    /// Not the response's shape (a member of another JSON type; the message names the path), or no <c>TrainingJobName</c> or <c>TrainingJobStatus</c>.
    /// </exception>
    public static TrainingJobResult Parse(JsonElement root) =>
        From(TrainingJson.ReadApiDocument(root, AwsJsonContext.Default.DescribeTrainingJobJson, What));

    private static TrainingJobResult From(DescribeTrainingJobJson job)
    {
        var metrics = new List<KeyValuePair<string, double>>();
        foreach (var entry in job.FinalMetricDataList ?? [])
        {
            const string Entry = What + " FinalMetricDataList entry";
            var metric = entry ?? throw new FormatException($"{Entry} is null; expected an object with MetricName and Value.");
            metrics.Add(new(Required(metric.MetricName, "MetricName", Entry), Value(metric.Value)));
        }

        var hyperparameters = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in job.HyperParameters ?? new Dictionary<string, JsonElement>())
        {
            hyperparameters[name] = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
        }

        return new TrainingJobResult(
            Required(job.TrainingJobName, "TrainingJobName", What),
            Required(job.TrainingJobStatus, "TrainingJobStatus", What),
            job.FailureReason,
            job.ModelArtifacts?.S3ModelArtifacts,
            metrics.AsReadOnly(),
            hyperparameters.AsReadOnly());
    }

    private static string Required(string? value, string name, string what) =>
        value is { Length: > 0 } ? value : throw new FormatException($"{what}: {name} is missing or empty.");

    /// <summary>
    /// A metric's <c>Value</c>: a JSON number, or a string such as <c>"NaN"</c> or <c>"Infinity"</c> (how JSON carries
    /// non-finite floats); anything else, or no value, is NaN.
    /// </summary>
    private static double Value(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetDouble(out var number) => number,
        JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => double.NaN,
    };
}

/// <summary>The members of a DescribeTrainingJob response the gate reads, under the API's names.</summary>
internal sealed record DescribeTrainingJobJson(
    string? TrainingJobName,
    string? TrainingJobStatus,
    string? FailureReason,
    ModelArtifactsJson? ModelArtifacts,
    IReadOnlyList<FinalMetricJson>? FinalMetricDataList,
    IReadOnlyDictionary<string, JsonElement>? HyperParameters);

/// <summary>The response's <c>ModelArtifacts</c>.</summary>
internal sealed record ModelArtifactsJson(string? S3ModelArtifacts);

/// <summary>One entry of <c>FinalMetricDataList</c>; the value is read leniently (a number, or text such as "NaN").</summary>
internal sealed record FinalMetricJson(string? MetricName, JsonElement Value);
