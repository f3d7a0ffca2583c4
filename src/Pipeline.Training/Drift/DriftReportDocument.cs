using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;
using Pipeline.Schema;

namespace Pipeline.Training.Drift;

/// <summary>
/// What one drift run found, as the workflow stores it (<c>drift/&lt;endpoint&gt;/&lt;window end&gt;/report.json</c>)
/// and as CloudWatch embedded-metric log lines: one for the endpoint (captured requests, violations and, once the
/// window is judged, the largest PSI) and one per judged feature (its PSI), so the alarms and the dashboard read
/// metrics that cost nothing while nothing is captured.
/// </summary>
public static class DriftReportDocument
{
    /// <summary>The report for the window of <paramref name="endpoint"/> from <paramref name="start"/> to <paramref name="end"/>.</summary>
    public static byte[] Write(string endpoint, DateTimeOffset start, DateTimeOffset end, string baselineRun, DriftThresholds thresholds, DriftReport report)
    {
        ArgumentException.ThrowIfNullOrEmpty(endpoint);
        ArgumentException.ThrowIfNullOrEmpty(baselineRun);
        ArgumentNullException.ThrowIfNull(thresholds);
        ArgumentNullException.ThrowIfNull(report);
        var violations = report.Violations;
        return TrainingJson.Document(
            new DriftReportJson(
                endpoint,
                new DriftWindowTimes(Time(start), Time(end)),
                baselineRun,
                new DriftThresholdsJson(thresholds.PsiWarn, thresholds.PsiAlarm, thresholds.MinimumRows),
                report.Rows,
                Level(report.Level),
                report.MaxPsi,
                new SchemaViolationsJson(violations.UnknownFields, violations.MissingFields, violations.WrongTypes),
                [.. report.Features.Select(Feature)],
                report.Scores is { } scores ? Feature(scores) : null),
            TrainingJsonContext.Default.DriftReportJson);
    }

    /// <summary>
    /// The embedded-metric log lines of <paramref name="report"/>, timestamped with the window's end: the endpoint's
    /// line, then, for a judged window, one line per feature and one for the scores.
    /// </summary>
    public static IReadOnlyList<string> MetricLines(string endpoint, DateTimeOffset end, DriftReport report)
    {
        ArgumentException.ThrowIfNullOrEmpty(endpoint);
        ArgumentNullException.ThrowIfNull(report);
        var judged = report.Level != DriftLevel.InsufficientData;
        List<(string Name, string Unit, double Value)> endpointMetrics =
        [
            (DriftContract.CapturedRequestsMetric, "Count", report.Rows),
            (DriftContract.SchemaViolationsMetric, "Count", report.Violations.Total),
        ];
        if (judged)
        {
            endpointMetrics.Add((DriftContract.MaxPsiMetric, "None", report.MaxPsi));
        }

        var lines = new List<string> { Line(end, [(DriftContract.EndpointDimension, endpoint)], endpointMetrics) };
        if (judged)
        {
            foreach (var feature in report.Features.Append(report.Scores).OfType<FeatureDrift>())
            {
                lines.Add(Line(end, [(DriftContract.EndpointDimension, endpoint), (DriftContract.FeatureDimension, feature.Feature)], [(DriftContract.PsiMetric, "None", feature.Psi)]));
            }
        }

        return lines;
    }

    private static string Line(DateTimeOffset time, (string Name, string Value)[] dimensions, IReadOnlyList<(string Name, string Unit, double Value)> metrics)
    {
        var line = new MetricLineJson
        {
            Aws = new MetricDirective(
                time.ToUnixTimeMilliseconds(),
                [new MetricSet(DriftContract.MetricNamespace, [[.. dimensions.Select(d => d.Name)]], [.. metrics.Select(m => new MetricDefinition(m.Name, m.Unit))])]),
        };

        // The dimensions' and metrics' values are members named after them, after the _aws directive.
        foreach (var (name, value) in dimensions)
        {
            line.Values[name] = value;
        }

        foreach (var (name, _, value) in metrics)
        {
            line.Values[name] = value;
        }

        return Encoding.UTF8.GetString(TrainingJson.Line(line, AwsJsonContext.Default.MetricLineJson));
    }

    private static DriftFeatureJson Feature(FeatureDrift feature) => new(
        feature.Feature, feature.Psi, Level(feature.Level), feature.MissingShareChange, feature.OutOfRangeShare, feature.MaxShareChange);

    private static string Level(DriftLevel level) => level switch
    {
        DriftLevel.InsufficientData => "insufficient_data",
        DriftLevel.Stable => "stable",
        DriftLevel.Warn => "warn",
        DriftLevel.Alarm => "alarm",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "Not a drift level."),
    };

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

/// <summary>The drift report (<see cref="DriftReportDocument.Write"/>), member by member in the document's order.</summary>
internal sealed record DriftReportJson(
    string Endpoint,
    DriftWindowTimes Window,
    string BaselineRun,
    DriftThresholdsJson Thresholds,
    long Rows,
    string Level,
    double MaxPsi,
    SchemaViolationsJson Violations,
    IReadOnlyList<DriftFeatureJson> Features,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DriftFeatureJson? Scores);

/// <summary>A window as <c>{"start":…,"end":…}</c> (UTC, whole seconds).</summary>
internal sealed record DriftWindowTimes(string Start, string End);

/// <summary>The report's <c>thresholds</c>.</summary>
internal sealed record DriftThresholdsJson(double PsiWarn, double PsiAlarm, long MinimumRows);

/// <summary>The report's <c>violations</c>.</summary>
internal sealed record SchemaViolationsJson(long UnknownFields, long MissingFields, long WrongTypes);

/// <summary>One feature's (or the scores') drift in the report.</summary>
internal sealed record DriftFeatureJson(string Feature, double Psi, string Level, double MissingShareChange, double OutOfRangeShare, double MaxShareChange);

/// <summary>
/// One CloudWatch embedded-metric line
/// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html).
/// </summary>
internal sealed class MetricLineJson
{
    /// <summary>The <c>_aws</c> directive.</summary>
    [JsonPropertyName("_aws")]
    public required MetricDirective Aws { get; init; }

    /// <summary>The dimensions' and metrics' values, by name.</summary>
    [JsonExtensionData]
    public Dictionary<string, object> Values { get; } = new(StringComparer.Ordinal);
}

/// <summary>The <c>_aws</c> directive: when, and which members are dimensions and metrics.</summary>
internal sealed record MetricDirective(long Timestamp, IReadOnlyList<MetricSet> CloudWatchMetrics);

/// <summary>One metric set of the directive.</summary>
internal sealed record MetricSet(string Namespace, IReadOnlyList<IReadOnlyList<string>> Dimensions, IReadOnlyList<MetricDefinition> Metrics);

/// <summary>A metric's name and unit.</summary>
internal sealed record MetricDefinition(string Name, string Unit);
