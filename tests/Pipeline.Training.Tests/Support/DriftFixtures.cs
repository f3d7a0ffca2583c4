using System.Text.Json;
using Pipeline.Training.Drift;
using Pipeline.Schema;
using Pipeline.Training;

namespace Pipeline.Training.Tests.Support;

/// <summary>The drift function's settings, a baseline of the telemetry model and Athena results counted in its bins.</summary>
internal static class DriftFixtures
{
    public const string Endpoint = "mlpipe-endpoint";
    public const string Database = "pipeline_lake";
    public const string CaptureTable = "endpoint_capture";
    public const string Run = "telemetry-20261129-0300";
    public const string BaselineKey = "models/" + Run + "/drift-baseline.json";
    public const string BaselineUri = "s3://" + S3rverServer.Bucket + "/" + BaselineKey;

    /// <summary>The layout the function builds from its configuration.</summary>
    public static readonly TrainingSetQuery Layout = new(TelemetrySchema.Definition, new TrainingSetQueryOptions { Database = Database });

    /// <summary>
    /// Every numeric feature with edges 2 and 3 (shares 0.3, 0.4, 0.3), product quality L 0.5, M 0.3, H 0.2, and scores
    /// with edge 0.5 (shares 0.8, 0.2).
    /// </summary>
    public static readonly DriftBaseline Baseline = new()
    {
        Schema = TelemetrySchema.Name,
        Run = Run,
        Rows = 6400,
        Numeric = [.. Layout.Schema.TrainingRoles.NumericFeatures.Select(f => new NumericBaseline(f.Name, 6400, 0, 1, 5, 2.5, 1, [2, 3], [0.3, 0.4, 0.3]))],
        Categorical = [new CategoricalBaseline(TelemetrySchema.ProductQuality, 6400, 0, [new("L", 0.5), new("M", 0.3), new("H", 0.2)])],
        Scores = new NumericBaseline("score", 1600, 0, 0, 1, 0.3, 0.2, [0.5], [0.8, 0.2]),
    };

    public static Dictionary<string, string> Variables() => new()
    {
        ["LAKE_BUCKET"] = S3rverServer.Bucket,
        ["GLUE_DATABASE"] = Database,
        ["CAPTURE_TABLE"] = CaptureTable,
        ["ENDPOINT_NAME"] = Endpoint,
        ["WINDOW_HOURS"] = "1",
        ["PSI_WARN"] = "0.1",
        ["PSI_ALARM"] = "0.2",
        ["MINIMUM_ROWS"] = "100",
    };

    public static global::Pipeline.Drift.DriftConfiguration Configuration(Action<Dictionary<string, string>>? edit = null)
    {
        var variables = Variables();
        edit?.Invoke(variables);
        return global::Pipeline.Drift.DriftConfiguration.FromEnvironment(Settings.Reader(variables));
    }

    /// <summary>The statement the function must return for <paramref name="baseline"/> and the window.</summary>
    public static string Sql(DriftBaseline baseline, DateTimeOffset start, DateTimeOffset end) =>
        new DriftWindowQuery(Layout, baseline, Database, CaptureTable).Sql(Endpoint, start, end);

    /// <summary>
    /// 1,200 requests counted as the baseline is spread (numeric 360, 480, 360; L 600, M 360, H 240; scores 960, 240),
    /// with the given columns changed.
    /// </summary>
    public static Dictionary<string, long?> Counts(params (string Column, long? Value)[] changes)
    {
        var counts = new Dictionary<string, long?>(StringComparer.Ordinal) { ["rows"] = 1200 };
        foreach (var feature in Baseline.Numeric)
        {
            (counts[feature.Feature + "__bin_0"], counts[feature.Feature + "__bin_1"], counts[feature.Feature + "__bin_2"]) = (360, 480, 360);
        }

        (counts["product_quality__is__L"], counts["product_quality__is__M"], counts["product_quality__is__H"]) = (600, 360, 240);
        (counts["prediction_score__bin_0"], counts["prediction_score__bin_1"]) = (960, 240);
        foreach (var (column, value) in changes)
        {
            counts[column] = value;
        }

        return counts;
    }

    /// <summary>The window <see cref="DriftWindowQuery.Read"/> makes of <paramref name="counts"/> (absent columns 0).</summary>
    public static DriftWindow Window(DriftBaseline baseline, IReadOnlyDictionary<string, long?> counts) =>
        new DriftWindowQuery(Layout, baseline, Database, CaptureTable).Read(name => counts.GetValueOrDefault(name) ?? 0);

    /// <summary>
    /// The GetQueryResults <c>ResultSet</c> of the window statement for <paramref name="baseline"/>: every column it
    /// returns (bigint), the value from <paramref name="counts"/> or NULL when absent or null.
    /// </summary>
    public static string ResultSet(DriftBaseline baseline, IReadOnlyDictionary<string, long?> counts)
    {
        var columns = new List<string>();
        new DriftWindowQuery(Layout, baseline, Database, CaptureTable).Read(name =>
        {
            columns.Add(name);
            return 0;
        });
        return ResultSet([.. columns.Select(c => (c, "bigint", counts.GetValueOrDefault(c)?.ToString(System.Globalization.CultureInfo.InvariantCulture)))]);
    }

    /// <summary>A GetQueryResults <c>ResultSet</c> of one row: (name, type, value or null).</summary>
    public static string ResultSet((string Name, string Type, string? Value)[] columns)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("Rows");
            foreach (var row in new[] { columns.Select(c => (string?)c.Name), columns.Select(c => c.Value) })
            {
                json.WriteStartObject();
                json.WriteStartArray("Data");
                foreach (var value in row)
                {
                    json.WriteStartObject();
                    if (value is not null)
                    {
                        json.WriteString("VarCharValue", value);
                    }

                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("ResultSetMetadata");
            json.WriteStartArray("ColumnInfo");
            foreach (var (name, type, _) in columns)
            {
                json.WriteStartObject();
                json.WriteString("Name", name);
                json.WriteString("Label", name);
                json.WriteString("Type", type);
                json.WriteString("Nullable", "UNKNOWN");
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
