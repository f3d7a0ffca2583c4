using Pipeline.Training.Drift;
using Pipeline.Schema;
using Pipeline.Training;
using Pipeline.Training.Tests.Support;

namespace Pipeline.Training.Tests.Drift;

public sealed class DriftWindowQueryTests
{
    private static readonly DateTimeOffset Ten = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly TrainingSetQuery Layout = new(TelemetrySchema.Definition, new TrainingSetQueryOptions { Database = "lake" });

    private static readonly DriftBaseline Baseline = new()
    {
        Schema = TelemetrySchema.Name,
        Run = "run-1",
        Rows = 10,
        Numeric = [.. Layout.Schema.TrainingRoles.NumericFeatures.Select(f => new NumericBaseline(f.Name, 10, 0, 1, 5, 3, 1, [2, 3], [0.3, 0.4, 0.3]))],
        Categorical = [new CategoricalBaseline(TelemetrySchema.ProductQuality, 10, 0, [new("L", 0.5), new("M", 0.3), new("H", 0.2)])],
    };

    [Fact]
    public void Sql_Window_ReadsOnlyTheEndpointsCaptureHours()
    {
        var sql = new DriftWindowQuery(Layout, Baseline, "lake", "capture").Sql("mlpipe-endpoint", Ten, Ten.AddHours(2));

        Assert.Contains(
            "        FROM \"lake\".\"capture\"\n        WHERE \"endpoint\" = 'mlpipe-endpoint'\n            AND \"capture_hour\" >= '2026/12/01/10' AND \"capture_hour\" < '2026/12/01/12'\n",
            sql, StringComparison.Ordinal);
    }

    [Fact]
    public void Sql_BaselineEdges_BinsAsTheBaselineDoes()
    {
        var sql = new DriftWindowQuery(Layout, Baseline, "lake", "capture").Sql("mlpipe-endpoint", Ten, Ten.AddHours(1));

        // Bin 0 below the first edge, bin i from edge i (inclusive) to edge i + 1, the last from the last edge up: NumericBaseline.BinOf.
        Assert.Contains("sum(CASE WHEN \"torque_nm\" < 2.0000000000000000E+000 THEN 1 ELSE 0 END) AS \"torque_nm__bin_0\"", sql, StringComparison.Ordinal);
        Assert.Contains(
            "sum(CASE WHEN \"torque_nm\" >= 2.0000000000000000E+000 AND \"torque_nm\" < 3.0000000000000000E+000 THEN 1 ELSE 0 END) AS \"torque_nm__bin_1\"",
            sql, StringComparison.Ordinal);
        Assert.Contains("sum(CASE WHEN \"torque_nm\" >= 3.0000000000000000E+000 THEN 1 ELSE 0 END) AS \"torque_nm__bin_2\"", sql, StringComparison.Ordinal);
        Assert.Equal([0, 1, 2, 2], [Baseline.Numeric[0].BinOf(1.9), Baseline.Numeric[0].BinOf(2.0), Baseline.Numeric[0].BinOf(3.0), Baseline.Numeric[0].BinOf(9.0)]);
    }

    [Theory]
    [InlineData(0, 0, "2026-12-01T10:00:00")]
    [InlineData(30, 60, "2026-12-01T10:30:00")]
    public void Sql_WindowNotWholeHoursStartBeforeEnd_ThrowsNamingIt(int startMinutes, int lengthMinutes, string start)
    {
        var from = Ten.AddMinutes(startMinutes);
        var query = new DriftWindowQuery(Layout, Baseline, "lake", "capture");

        var ex = Assert.Throws<ArgumentException>(() => query.Sql("mlpipe-endpoint", from, from.AddMinutes(lengthMinutes)));

        Assert.Equal("end", ex.ParamName);
        Messages.AssertNames(ex.Message, start);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-endpoint")]
    [InlineData("endpoint' OR '1'='1")]
    public void Sql_NotAnEndpointName_ThrowsSayingWhatSageMakerAllows(string endpoint)
    {
        var query = new DriftWindowQuery(Layout, Baseline, "lake", "capture");

        var ex = Assert.Throws<ArgumentException>(() => query.Sql(endpoint, Ten, Ten.AddHours(1)));

        Assert.Equal("endpoint", ex.ParamName);
        Messages.AssertNames(ex.Message, $"'{endpoint}'");
    }

    [Fact]
    public void Constructor_BaselineOfOtherFeatures_ThrowsNamingBoth()
    {
        var other = Baseline with { Numeric = Baseline.Numeric.Skip(1).ToList() };

        var ex = Assert.Throws<ArgumentException>(() => new DriftWindowQuery(Layout, other, "lake", "capture"));

        Assert.Equal("baseline", ex.ParamName);
        Messages.AssertNames(ex.Message, "(process_temperature_k, ", "(air_temperature_k, process_temperature_k, ");
    }

    [Fact]
    public void Constructor_TableNameGlueRefuses_ThrowsSayingWhatIsAllowed()
    {
        var ex = Assert.Throws<ArgumentException>(() => new DriftWindowQuery(Layout, Baseline, "lake", "Capture; DROP"));

        Assert.Equal("table", ex.ParamName);
        Messages.AssertNames(ex.Message, "'lake.Capture; DROP'");
    }

    [Fact]
    public void Read_ResultRow_TheWindowInTheBaselinesFeaturesAndBins()
    {
        var query = new DriftWindowQuery(Layout, Baseline, "lake", "capture");
        var columns = new Dictionary<string, long>(StringComparer.Ordinal) { ["rows"] = 7, ["wrong_types"] = 2, ["product_quality__is__H"] = 4, ["torque_nm__bin_2"] = 5 };

        var window = query.Read(name => columns.GetValueOrDefault(name));

        Assert.Equal(7, window.Rows);
        Assert.Equal(new SchemaViolations(0, 0, 2), window.Violations);
        Assert.Equal([0L, 0L, 5L], window.Numeric.Single(f => f.Feature == TelemetrySchema.TorqueNm).BinCounts);
        Assert.Equal(["L=0", "M=0", "H=4"], window.Categorical.Single().Counts.Select(c => $"{c.Key}={c.Value}"));
        Assert.Null(window.Scores);
    }
}
