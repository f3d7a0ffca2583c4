using Pipeline.Training.Drift;
using Pipeline.Schema;
using Pipeline.Training;
using Pipeline.Training.Tests.Support;

namespace Pipeline.Training.Tests.Drift;

public sealed class DriftBaselineQueryTests
{
    private static readonly TrainingSetQuery Layout = new(TelemetrySchema.Definition, new TrainingSetQueryOptions { Database = "lake" });
    private static readonly DateWindow Window = new(new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30));
    private static readonly DriftBaselineQuery Query = new(Layout);

    private static readonly IReadOnlyList<string> Numeric = [.. Layout.Schema.TrainingRoles.NumericFeatures.Select(f => f.Name)];

    /// <summary>10 rows: every numeric feature 8 values from 1 to 8 (2 missing), edges 2 and 5; quality 6 L, 3 M, 1 H.</summary>
    private static Dictionary<string, object?> Summary()
    {
        var row = new Dictionary<string, object?>(StringComparer.Ordinal) { ["rows"] = 10L, ["product_quality__count"] = 10L };
        foreach (var feature in Numeric)
        {
            row[$"{feature}__count"] = 8L;
            row[$"{feature}__min"] = 1.0;
            row[$"{feature}__max"] = 8.0;
            row[$"{feature}__mean"] = 4.5;
            row[$"{feature}__sd"] = 2.449;
            row[$"{feature}__edges"] = new List<double> { 2, 2, 5 };
        }

        (row["product_quality__is__L"], row["product_quality__is__M"], row["product_quality__is__H"]) = (6L, 3L, 1L);
        return row;
    }

    [Fact]
    public void SummarySql_Window_DescribesTheTrainSplitWithDecileEdges()
    {
        var sql = Query.SummarySql(Window);

        Assert.Contains(
            "    approx_percentile(CAST(\"torque_nm\" AS DOUBLE), ARRAY[1E-1, 2E-1, 3E-1, 4E-1, 5E-1, 6E-1, 7E-1, 8E-1, 9E-1]) AS \"torque_nm__edges\",\n",
            sql, StringComparison.Ordinal);
        // The train split of the training run: its window, and the hash buckets at or above the validation share's.
        Assert.Contains(
            "\nFROM \"lake\".\"telemetry\"\nWHERE \"event_date\" BETWEEN '2026-11-01' AND '2026-11-30'\n    AND bitwise_and(from_big_endian_64(xxhash64(to_utf8(",
            sql, StringComparison.Ordinal);
        Assert.EndsWith(" % 10000 >= 2000", sql, StringComparison.Ordinal);
    }

    [Fact]
    public void BinSql_Edges_CountsEachBinOfTheTrainSplit()
    {
        var edges = Query.Edges(name => Summary()[name]);

        var sql = Query.BinSql(Window, edges);

        Assert.Contains(
            "    sum(CASE WHEN CAST(\"torque_nm\" AS DOUBLE) >= 2.0000000000000000E+000 AND CAST(\"torque_nm\" AS DOUBLE) < 5.0000000000000000E+000 THEN 1 ELSE 0 END) AS \"torque_nm__bin_1\",\n",
            sql, StringComparison.Ordinal);
        Assert.EndsWith(" % 10000 >= 2000", sql, StringComparison.Ordinal);
    }

    [Fact]
    public void Edges_RepeatedDeciles_MergedIntoFewerBins()
    {
        Assert.Equal([2.0, 5.0], Query.Edges(name => Summary()[name])[TelemetrySchema.TorqueNm]);
    }

    [Fact]
    public void Build_BothRows_TheBaselineWithSharesAndMissingShares()
    {
        var bins = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var feature in Numeric)
        {
            (bins[$"{feature}__bin_0"], bins[$"{feature}__bin_1"], bins[$"{feature}__bin_2"]) = (1, 3, 4);
        }

        var baseline = Query.Build("run-7", name => Summary()[name], name => bins[name]);

        Assert.Equal((TelemetrySchema.Name, "run-7", 10L), (baseline.Schema, baseline.Run, baseline.Rows));
        Assert.Equal(Numeric, baseline.Numeric.Select(f => f.Feature));
        var torque = baseline.Numeric.Single(f => f.Feature == TelemetrySchema.TorqueNm);
        Assert.Equal((8L, 0.2, 1.0, 8.0, 4.5, 2.449), (torque.Count, torque.MissingShare, torque.Min, torque.Max, torque.Mean, torque.StandardDeviation));
        Assert.Equal([2.0, 5.0], torque.BinEdges);
        Assert.Equal([0.125, 0.375, 0.5], torque.BinShares);
        var quality = Assert.Single(baseline.Categorical);
        Assert.Equal(["L=0.6", "M=0.3", "H=0.1"], quality.Shares.Select(s => FormattableString.Invariant($"{s.Key}={s.Value}")));
        Assert.Equal(0, quality.MissingShare);
    }

    [Fact]
    public void Build_EmptyTrainSplit_ThrowsSayingThereIsNothingToDescribe()
    {
        var summary = Summary();
        summary["rows"] = 0L;

        var ex = Assert.Throws<ArgumentException>(() => Query.Build("run-7", name => summary[name], _ => 0));

        Assert.Equal("summary", ex.ParamName);
    }

    [Fact]
    public void Edges_FeatureWithoutValues_ThrowsNamingItAndTheFix()
    {
        var summary = Summary();
        summary["vibration_mm_s__edges"] = null;

        var ex = Assert.Throws<ArgumentException>(() => Query.Edges(name => summary[name]));

        Assert.Equal("column", ex.ParamName);
        Messages.AssertField(ex.Message, "vibration_mm_s", "Identifier");
    }
}
