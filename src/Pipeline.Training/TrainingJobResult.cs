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
    /// <exception cref="FormatException">The text is not JSON, not an object, or lacks <c>TrainingJobName</c> or <c>TrainingJobStatus</c>.</exception>
    public static TrainingJobResult Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = JsonDocuments.Parse(json, "DescribeTrainingJob response");
        return Parse(document.RootElement);
    }

    /// <summary>Parses a DescribeTrainingJob response.</summary>
    /// <param name="root">The response object.</param>
    /// <returns>The parsed result.</returns>
    /// <exception cref="FormatException">Not an object, or lacks <c>TrainingJobName</c> or <c>TrainingJobStatus</c>, or a member has the wrong JSON type.</exception>
    public static TrainingJobResult Parse(JsonElement root)
    {
        const string What = "DescribeTrainingJob response";
        JsonDocuments.RequireObject(root, What);
        var name = JsonDocuments.RequiredString(root, "TrainingJobName", What);
        var status = JsonDocuments.RequiredString(root, "TrainingJobStatus", What);
        var failure = JsonDocuments.OptionalString(root, "FailureReason", What);
        string? artifacts = null;
        if (root.TryGetProperty("ModelArtifacts", out var model) && model.ValueKind != JsonValueKind.Null)
        {
            JsonDocuments.RequireObject(model, What + " ModelArtifacts");
            artifacts = JsonDocuments.OptionalString(model, "S3ModelArtifacts", What);
        }

        var metrics = new List<KeyValuePair<string, double>>();
        if (root.TryGetProperty("FinalMetricDataList", out var list) && list.ValueKind != JsonValueKind.Null)
        {
            if (list.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException($"{What}: FinalMetricDataList must be an array; it is {list.ValueKind}.");
            }

            foreach (var item in list.EnumerateArray())
            {
                JsonDocuments.RequireObject(item, What + " FinalMetricDataList entry");
                var metric = JsonDocuments.RequiredString(item, "MetricName", What + " FinalMetricDataList entry");
                metrics.Add(new(metric, ReadValue(item)));
            }
        }

        var hyperparameters = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (root.TryGetProperty(nameof(HyperParameters), out var map) && map.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in map.EnumerateObject())
            {
                hyperparameters[property.Name] = property.Value.ValueKind == JsonValueKind.String
                    ? property.Value.GetString()!
                    : property.Value.GetRawText();
            }
        }

        return new TrainingJobResult(name, status, failure, artifacts, metrics.AsReadOnly(), hyperparameters.AsReadOnly());
    }

    /// <summary>
    /// A metric's <c>Value</c>: a JSON number, or a string such as <c>"NaN"</c> or <c>"Infinity"</c> (how JSON carries
    /// non-finite floats); anything else, or no value, is NaN.
    /// </summary>
    private static double ReadValue(JsonElement item)
    {
        if (!item.TryGetProperty("Value", out var value))
        {
            return double.NaN;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetDouble(out var number) => number,
            JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => double.NaN,
        };
    }
}

/// <summary>Shared checks for the API documents the gate reads.</summary>
internal static class JsonDocuments
{
    public static JsonDocument Parse(string json, string what)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{what} is not valid JSON: {ex.Message}", ex);
        }
    }

    public static void RequireObject(JsonElement element, string what)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{what} must be a JSON object; it is {element.ValueKind}.");
        }
    }

    public static string RequiredString(JsonElement element, string name, string what) =>
        OptionalString(element, name, what) is { Length: > 0 } value
            ? value
            : throw new FormatException($"{what}: {name} is missing or empty.");

    public static string? OptionalString(JsonElement element, string name, string what)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new FormatException($"{what}: {name} must be a string; it is {value.ValueKind}.");
    }
}
