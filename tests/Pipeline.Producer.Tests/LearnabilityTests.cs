using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using Pipeline.Infra.Configuration;
using Pipeline.Schema;
using Pipeline.Training;
using Pipeline.Producer.Telemetry;
using Xunit.Abstractions;

namespace Pipeline.Producer.Tests;

/// <summary>
/// The guard that the generated data can be learned: a gradient-boosted classifier trained on producer output, shaped
/// exactly as the training query shapes it (its columns in its order, its encoding, its split), must reach the
/// production preset's minimum AUC on the held-out share, or the pipeline would never register a model.
/// </summary>
public sealed class LearnabilityTests(ITestOutputHelper output)
{
    private static readonly TrainingSetQuery Query = new(TelemetrySchema.Definition, new TrainingSetQueryOptions { Database = "pipeline" });

    [Fact]
    public void Classifier_TrainedOnProducerOutput_ReachesTheProductionMinimumAuc()
    {
        var generator = new TelemetryGenerator(new TelemetryGeneratorOptions
        {
            Seed = 2020,
            Start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero),
            Interval = TimeSpan.FromSeconds(3),
        });
        var rows = Enumerable.Range(0, 40_000).Select(_ => Shape(generator.Next())).ToList();
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(rows.Where(r => !r.Validation));
        var validation = ml.Data.LoadFromEnumerable(rows.Where(r => r.Validation));

        var model = ml.BinaryClassification.Trainers.FastTree(new Microsoft.ML.Trainers.FastTree.FastTreeBinaryTrainer.Options
        {
            NumberOfTrees = 200,
            NumberOfLeaves = 20,
            LearningRate = 0.2,
            FeatureColumnName = nameof(Row.Features),
            LabelColumnName = nameof(Row.Label),
        }).Fit(train);
        var metrics = ml.BinaryClassification.Evaluate(model.Transform(validation), labelColumnName: nameof(Row.Label));

        var minimum = SettingsPresets.Production.Training.MinimumAuc;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"held-out AUC {metrics.AreaUnderRocCurve:F4} (minimum {minimum}); {rows.Count(r => r.Validation)} validation rows, {rows.Count(r => r.Label)} failures in {rows.Count}"));
        Assert.True(metrics.AreaUnderRocCurve >= minimum, $"Held-out AUC {metrics.AreaUnderRocCurve:F4} is below training.minimumAuc {minimum}.");
    }

    [Fact]
    public void Row_Columns_AreTheTrainingQuerysFeaturesInItsOrder()
    {
        Assert.Equal(
            [
                TelemetrySchema.AirTemperatureK, TelemetrySchema.ProcessTemperatureK, TelemetrySchema.RotationalSpeedRpm, TelemetrySchema.TorqueNm,
                TelemetrySchema.ToolWearMin, TelemetrySchema.VibrationMmS, "product_quality_l", "product_quality_m", "product_quality_h",
            ],
            Query.FeatureNames);
        Assert.Equal(2000, Query.ValidationBuckets);
    }

    [Fact]
    public void Split_IdentityHash_TheBucketsTheQueryComputes()
    {
        // The query's expression: bitwise_and(from_big_endian_64(xxhash64(to_utf8(concat_ws('|', device_id,
        // CAST(event_time AS varchar))))), 9223372036854775807) % 10000, with event_time as Athena writes a timestamp(3).
        Assert.Contains(
            "bitwise_and(from_big_endian_64(xxhash64(to_utf8(concat_ws('|', \"device_id\", CAST(\"event_time\" AS varchar))))), 9223372036854775807) % 10000",
            Query.UnloadSql(new DateWindow(new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 2)), TrainingChannel.Validation, "s3://lake-bucket/training/run-1/validation/"),
            StringComparison.Ordinal);
        // xxhash64 of the empty input with seed 0, big-endian (the XXH64 reference value EF46DB3751D8E999).
        Assert.Equal(0x6F46DB3751D8E999 % 10_000, Bucket(string.Empty));
    }

    // One row as the UNLOAD writes it: the label, then the features (numeric as is, one 0/1 column per quality).
    private static Row Shape(TelemetryReading r)
    {
        var features = new float[]
        {
            (float)r.AirTemperatureK, (float)r.ProcessTemperatureK, (float)r.RotationalSpeedRpm, (float)r.TorqueNm, r.ToolWearMin, (float)r.VibrationMmS,
            r.ProductQuality == "L" ? 1 : 0, r.ProductQuality == "M" ? 1 : 0, r.ProductQuality == "H" ? 1 : 0,
        };
        var identity = $"{r.DeviceId}|{r.EventTime.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture)}";
        return new Row { Label = r.MachineFailure, Features = features, Validation = Bucket(identity) < Query.ValidationBuckets };
    }

    private static long Bucket(string identity) =>
        (BinaryPrimitives.ReadInt64BigEndian(XxHash64.Hash(Encoding.UTF8.GetBytes(identity))) & long.MaxValue) % TrainingSetQuery.SplitBuckets;

    private sealed class Row
    {
        public bool Label { get; set; }

        [VectorType(9)]
        public float[] Features { get; set; } = [];

        public bool Validation { get; set; }
    }
}
