using System.Globalization;
using System.Numerics;
using System.Text.Json;
using DuckDB.NET.Data;
using Pipeline.Core.Drift;
using Pipeline.Core.Schema;
using Pipeline.Core.Training;
using Pipeline.Producer.Telemetry;
using Xunit.Abstractions;

namespace Pipeline.Producer.Tests;

/// <summary>
/// The proof that drift monitoring detects drift: the generator's readings, split in time-interleaved halves, give a
/// training baseline and a window of captured requests (in SageMaker's capture record, the request as the model's CSV);
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
        return (Baseline([.. readings.Where((_, i) => i % 3 != 2)]), [.. readings.Where((_, i) => i % 3 == 2)]);
    });

    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-drift-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

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
        // The capture table: the capture records, and the hour the capture path's partition projection gives them.
        Execute(duck, $"CREATE VIEW lake.capture AS SELECT *, '{Hour:yyyy/MM/dd/HH}' AS capture_hour FROM read_json_auto('{capture}')");
        using var command = duck.CreateCommand();
        command.CommandText = query.Sql(Hour, Hour.AddHours(1));
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        // DuckDB sums integers as HUGEINT; a sum over no rows is NULL, as in Athena.
        var window = query.Read(name => reader.GetValue(reader.GetOrdinal(name)) switch
        {
            DBNull => 0,
            BigInteger sum => (long)sum,
            var value => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        });
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
    /// The baseline the training run computes over its train split: here from the readings directly, with decile edges
    /// (repeated edges merged) and each bin's share by the same rule the drift statement counts with.
    /// </summary>
    private static DriftBaseline Baseline(TelemetryReading[] train) => new()
    {
        Schema = TelemetrySchema.Name,
        Run = "drift-proof",
        Rows = train.Length,
        Numeric =
        [
            .. NumericFeatures.Select(feature =>
            {
                var values = train.Select(feature.Value).Order().ToArray();
                double[] edges = [.. Enumerable.Range(1, 9).Select(d => values[d * values.Length / 10]).Distinct()];
                var mean = values.Average();
                var sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
                var shape = new NumericBaseline(feature.Name, values.Length, 0, values[0], values[^1], mean, sd, edges, []);
                var counts = new long[edges.Length + 1];
                foreach (var value in values)
                {
                    counts[shape.BinOf(value)]++;
                }

                return shape with { BinShares = PopulationStabilityIndex.Shares(counts) };
            }),
        ],
        Categorical =
        [
            new CategoricalBaseline(
                TelemetrySchema.ProductQuality, train.Length, 0,
                [.. TelemetrySchema.ProductQualities.Select(q => new KeyValuePair<string, double>(q, (double)train.Count(r => r.ProductQuality == q) / train.Length))]),
        ],
    };
}
