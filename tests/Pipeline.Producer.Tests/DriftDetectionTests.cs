using System.Globalization;
using System.Numerics;
using System.Text.Json;
using DuckDB.NET.Data;
using Pipeline.Training.Drift;
using Pipeline.Schema;
using Pipeline.Training;
using Pipeline.Producer.Telemetry;
using Xunit.Abstractions;

namespace Pipeline.Producer.Tests;

/// <summary>
/// The proof that drift monitoring detects drift: the generator's readings, split in time-interleaved parts, give the
/// training data the baseline statements describe and a window of captured requests (in SageMaker's capture record, the request as the model's CSV);
/// the drift statement the workflow sends to Athena runs on DuckDB over that capture, and the assessment of what it
/// counted stays stable for traffic like the training data and alarms on exactly the features that moved.
/// </summary>
public sealed class DriftDetectionTests(ITestOutputHelper output) : IDisposable
{
    private static readonly DateTimeOffset Hour = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly TrainingSetQuery Layout = new(TelemetrySchema.Definition, new TrainingSetQueryOptions { Database = "lake" });

    private static readonly (string Name, Func<TelemetryReading, double> Value)[] NumericFeatures =
    [
        (TelemetrySchema.AirTemperatureK, r => r.AirTemperatureK), (TelemetrySchema.ProcessTemperatureK, r => r.ProcessTemperatureK),
        (TelemetrySchema.RotationalSpeedRpm, r => r.RotationalSpeedRpm), (TelemetrySchema.TorqueNm, r => r.TorqueNm),
        (TelemetrySchema.ToolWearMin, r => r.ToolWearMin), (TelemetrySchema.VibrationMmS, r => r.VibrationMmS),
    ];

    private static readonly Lazy<(DriftBaseline Baseline, TelemetryReading[] Window)> Halves = new(() =>
    {
        var generator = new TelemetryGenerator(new TelemetryGeneratorOptions { Seed = 2026, Start = Hour, Interval = TimeSpan.FromSeconds(1) });
        var readings = Enumerable.Range(0, 12_000).Select(_ => generator.Next()).ToArray();
        // Through the document the training run stores beside the model and the drift workflow reads back.
        var baseline = DriftBaselineDocument.Read(DriftBaselineDocument.Write(Baseline([.. readings.Where((_, i) => i % 3 != 2)])));
        return (baseline, [.. readings.Where((_, i) => i % 3 == 2)]);
    });

    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-drift-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Baseline_TrainSplitOfTheTrainingReadings_DecileBinsAndTheCategoryMix()
    {
        var baseline = Halves.Value.Baseline;

        // 8,000 training readings, about 80 % of them in the train split.
        Assert.InRange(baseline.Rows, 6200, 6600);
        var air = baseline.Numeric.Single(f => f.Feature == TelemetrySchema.AirTemperatureK);
        Assert.Equal((9, baseline.Rows, 0.0), (air.BinEdges.Count, air.Count, air.MissingShare));
        // Readings are rounded to 0.1 K: the values equal to an edge all fall in the bin above it.
        Assert.All(air.BinShares, share => Assert.InRange(share, 0.08, 0.12));
        Assert.Equal(1, air.BinShares.Sum(), 9);
        var quality = Assert.Single(baseline.Categorical).Shares.ToDictionary(s => s.Key, s => s.Value);
        Assert.Equal((0.5, 0.3, 0.2), (Math.Round(quality["L"], 1), Math.Round(quality["M"], 1), Math.Round(quality["H"], 1)));
    }

    [Fact]
    public void Window_LikeTheTrainingData_StableOnEveryFeature()
    {
        var report = Assess(Halves.Value.Window);

        Assert.Equal(DriftLevel.Stable, report.Level);
        Assert.All(report.Features, f => Assert.True(f.Psi < 0.05, $"{f.Feature}: PSI {f.Psi}"));
        Assert.Equal((4000L, 0L), (report.Rows, report.Violations.Total));
    }

    [Fact]
    public void Window_HotterProcessAndMoreHighQualityProducts_AlarmsOnThoseTwoFeaturesOnly()
    {
        // A plant change: the process runs 3 K hotter, and half the products are now H (training: about a fifth).
        var shifted = Halves.Value.Window.Select((r, i) => r with
        {
            ProcessTemperatureK = r.ProcessTemperatureK + 3,
            ProductQuality = (i % 10) switch { < 2 => "L", < 5 => "M", _ => "H" },
        });

        var report = Assess(shifted);

        Assert.Equal(DriftLevel.Alarm, report.Level);
        Assert.Equal(
            [TelemetrySchema.ProcessTemperatureK, TelemetrySchema.ProductQuality],
            report.Features.Where(f => f.Level == DriftLevel.Alarm).Select(f => f.Feature));
        Assert.All(report.Features.Where(f => f.Level != DriftLevel.Alarm), f => Assert.Equal(DriftLevel.Stable, f.Level));
    }

    [Fact]
    public void Window_RequestsThatBreakTheLayout_CountedAsViolations()
    {
        var window = Halves.Value.Window.Take(200).Select(Csv).ToList();
        window[0] += ",1";
        window[1] = window[1][..window[1].LastIndexOf(',')];
        window[2] = "hot," + window[2][(window[2].IndexOf(',') + 1)..];
        window[3] = window[3][..^1] + "2";
        window[4] += "\r\n";

        var report = Assess(window);

        Assert.Equal(new SchemaViolations(UnknownFields: 1, MissingFields: 1, WrongTypes: 2), report.Violations);
    }

    private DriftReport Assess(IEnumerable<TelemetryReading> window) => Assess(window.Select(Csv));

    private DriftReport Assess(IEnumerable<string> requests)
    {
        var capture = Path.Combine(_directory, "capture.jsonl");
        File.WriteAllLines(capture, requests.Select((csv, i) => JsonSerializer.Serialize(new
        {
            captureData = new
            {
                endpointInput = new { observedContentType = "text/csv", mode = "INPUT", data = csv, encoding = "CSV" },
                endpointOutput = new { observedContentType = "text/csv; charset=utf-8", mode = "OUTPUT", data = "0.1", encoding = "CSV" },
            },
            eventMetadata = new { eventId = $"event-{i}", inferenceTime = Hour.AddSeconds(i).ToString("O", CultureInfo.InvariantCulture) },
            eventVersion = "0",
        })));
        var query = new DriftWindowQuery(Layout, Halves.Value.Baseline, "lake", "capture");

        using var duck = new DuckDBConnection("DataSource=:memory:");
        duck.Open();
        Execute(duck, "CREATE SCHEMA lake");
        // The capture table: the capture records, and the endpoint and hour its partition projection gives them.
        Execute(duck, $"CREATE VIEW lake.capture AS SELECT *, 'mlpipe-endpoint' AS endpoint, '{Hour:yyyy/MM/dd/HH}' AS capture_hour FROM read_json_auto('{capture}')");
        var row = Row(duck, query.Sql("mlpipe-endpoint", Hour, Hour.AddHours(1)));
        var window = query.Read(name => row[name] is { } value ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : 0);
        var report = DriftAssessment.Assess(Halves.Value.Baseline, window, new DriftThresholds());
        foreach (var feature in report.Features)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{feature.Feature}: PSI {feature.Psi:F4}, {feature.Level}"));
        }

        return report;
    }

    private static void Execute(DuckDBConnection duck, string sql)
    {
        using var command = duck.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>A reading as the model's CSV request: numeric features, then the one-hot product quality.</summary>
    private static string Csv(TelemetryReading reading) =>
        string.Join(',', NumericFeatures.Select(f => f.Value(reading).ToString(CultureInfo.InvariantCulture))
            .Concat(TelemetrySchema.ProductQualities.Select(q => q == reading.ProductQuality ? "1" : "0")));

    /// <summary>
    /// The baseline the training run computes: both baseline statements run on DuckDB over a lake table of the training
    /// readings, with DuckDB's own functions standing in for the four Trino functions it lacks (the hash split then puts
    /// other records in the train split than Athena would, as deterministically).
    /// </summary>
    private static DriftBaseline Baseline(TelemetryReading[] train)
    {
        var lake = Path.Combine(Path.GetTempPath(), $"pipeline-drift-lake-{Guid.NewGuid():N}.jsonl");
        File.WriteAllLines(lake, train.Select(r => System.Text.Encoding.UTF8.GetString(r.ToJsonLine()).TrimEnd('\n')));
        try
        {
            using var duck = new DuckDBConnection("DataSource=:memory:");
            duck.Open();
            foreach (var statement in (string[])
            [
                "CREATE MACRO to_utf8(s) AS s", "CREATE MACRO xxhash64(s) AS hash(s)", "CREATE MACRO from_big_endian_64(h) AS CAST(h AS HUGEINT)",
                "CREATE MACRO bitwise_and(a, b) AS a & b", "CREATE MACRO approx_percentile(x, p) AS quantile_cont(x, p)", "CREATE SCHEMA lake",
                $"CREATE VIEW lake.telemetry AS SELECT *, strftime(CAST(event_time AS TIMESTAMP), '%Y-%m-%d') AS event_date FROM read_json_auto('{lake}')",
            ])
            {
                Execute(duck, statement);
            }

            var query = new DriftBaselineQuery(Layout);
            var window = new DateWindow(DateOnly.FromDateTime(Hour.UtcDateTime), DateOnly.FromDateTime(Hour.UtcDateTime.AddDays(1)));
            var summary = Row(duck, query.SummarySql(window));
            var bins = Row(duck, query.BinSql(window, query.Edges(name => summary[name])));
            return query.Build("drift-proof", name => summary[name], name => Convert.ToInt64(bins[name], CultureInfo.InvariantCulture));
        }
        finally
        {
            File.Delete(lake);
        }
    }

    /// <summary>A statement's one row by column name, DuckDB's HUGEINT sums as longs (a sum over no rows is NULL, as in Athena).</summary>
    private static Dictionary<string, object?> Row(DuckDBConnection duck, string sql)
    {
        using var command = duck.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        return Enumerable.Range(0, reader.FieldCount).ToDictionary(
            reader.GetName,
            i => reader.GetValue(i) switch { DBNull => null, BigInteger sum => (object)(long)sum, var value => value },
            StringComparer.Ordinal);
    }
}
