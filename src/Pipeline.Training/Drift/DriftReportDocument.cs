using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pipeline.Training.Drift;

/// <summary>
/// What one drift run found, as the workflow stores it (<c>drift/&lt;endpoint&gt;/&lt;window end&gt;/report.json</c>)
/// and as CloudWatch embedded-metric log lines: one for the endpoint (captured requests, violations and, once the
/// window is judged, the largest PSI) and one per judged feature (its PSI), so the alarms and the dashboard read
/// metrics that cost nothing while nothing is captured.
/// </summary>
public static class DriftReportDocument
{
    /// <summary>The metrics' namespace.</summary>
    public const string Namespace = "StreamingMlPipeline/Drift";

    /// <summary>The dimension every metric carries.</summary>
    public const string EndpointDimension = "EndpointName";

    /// <summary>The dimension of the per-feature PSI.</summary>
    public const string FeatureDimension = "Feature";

    /// <summary>Captured requests in the window.</summary>
    public const string CapturedRequestsMetric = "CapturedRequests";

    /// <summary>Captured requests that broke the schema.</summary>
    public const string SchemaViolationsMetric = "SchemaViolations";

    /// <summary>The largest feature PSI (only for a judged window).</summary>
    public const string MaxPsiMetric = "MaxPsi";

    /// <summary>A feature's PSI (only for a judged window).</summary>
    public const string PsiMetric = "Psi";

    /// <summary>The report for the window of <paramref name="endpoint"/> from <paramref name="start"/> to <paramref name="end"/>.</summary>
    public static byte[] Write(string endpoint, DateTimeOffset start, DateTimeOffset end, string baselineRun, DriftThresholds thresholds, DriftReport report)
    {
        ArgumentException.ThrowIfNullOrEmpty(endpoint);
        ArgumentException.ThrowIfNullOrEmpty(baselineRun);
        ArgumentNullException.ThrowIfNull(thresholds);
        ArgumentNullException.ThrowIfNull(report);
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("endpoint", endpoint);
            json.WriteStartObject("window");
            json.WriteString("start", Time(start));
            json.WriteString("end", Time(end));
            json.WriteEndObject();
            json.WriteString("baselineRun", baselineRun);
            json.WriteStartObject("thresholds");
            json.WriteNumber("psiWarn", thresholds.PsiWarn);
            json.WriteNumber("psiAlarm", thresholds.PsiAlarm);
            json.WriteNumber("minimumRows", thresholds.MinimumRows);
            json.WriteEndObject();
            json.WriteNumber("rows", report.Rows);
            json.WriteString("level", Level(report.Level));
            json.WriteNumber("maxPsi", report.MaxPsi);
            json.WriteStartObject("violations");
            json.WriteNumber("unknownFields", report.Violations.UnknownFields);
            json.WriteNumber("missingFields", report.Violations.MissingFields);
            json.WriteNumber("wrongTypes", report.Violations.WrongTypes);
            json.WriteEndObject();
            json.WriteStartArray("features");
            foreach (var feature in report.Features)
            {
                WriteFeature(json, feature);
            }

            json.WriteEndArray();
            if (report.Scores is { } scores)
            {
                json.WritePropertyName("scores");
                WriteFeature(json, scores);
            }

            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
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
            (CapturedRequestsMetric, "Count", report.Rows),
            (SchemaViolationsMetric, "Count", report.Violations.Total),
        ];
        if (judged)
        {
            endpointMetrics.Add((MaxPsiMetric, "None", report.MaxPsi));
        }

        var lines = new List<string> { Line(end, [(EndpointDimension, endpoint)], endpointMetrics) };
        if (judged)
        {
            foreach (var feature in report.Features.Append(report.Scores).OfType<FeatureDrift>())
            {
                lines.Add(Line(end, [(EndpointDimension, endpoint), (FeatureDimension, feature.Feature)], [(PsiMetric, "None", feature.Psi)]));
            }
        }

        return lines;
    }

    private static string Line(DateTimeOffset time, (string Name, string Value)[] dimensions, IReadOnlyList<(string Name, string Unit, double Value)> metrics)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteStartObject("_aws");
            json.WriteNumber("Timestamp", time.ToUnixTimeMilliseconds());
            json.WriteStartArray("CloudWatchMetrics");
            json.WriteStartObject();
            json.WriteString("Namespace", Namespace);
            json.WriteStartArray("Dimensions");
            json.WriteStartArray();
            foreach (var (name, _) in dimensions)
            {
                json.WriteStringValue(name);
            }

            json.WriteEndArray();
            json.WriteEndArray();
            json.WriteStartArray("Metrics");
            foreach (var (name, unit, _) in metrics)
            {
                json.WriteStartObject();
                json.WriteString("Name", name);
                json.WriteString("Unit", unit);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            foreach (var (name, value) in dimensions)
            {
                json.WriteString(name, value);
            }

            foreach (var (name, _, value) in metrics)
            {
                json.WriteNumber(name, value);
            }

            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteFeature(Utf8JsonWriter json, FeatureDrift feature)
    {
        json.WriteStartObject();
        json.WriteString("feature", feature.Feature);
        json.WriteNumber("psi", feature.Psi);
        json.WriteString("level", Level(feature.Level));
        json.WriteNumber("missingShareChange", feature.MissingShareChange);
        json.WriteNumber("outOfRangeShare", feature.OutOfRangeShare);
        json.WriteNumber("maxShareChange", feature.MaxShareChange);
        json.WriteEndObject();
    }

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
