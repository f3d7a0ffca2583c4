using Pipeline.Training.Drift;
using Pipeline.Training.Tests.Support;

namespace Pipeline.Training.Tests.Drift;

public sealed class DriftAssessmentTests
{
    private static readonly DriftThresholds Defaults = new();

    // Quartile edges 10, 20, 30 (four bins of a quarter each); categories L 60 %, M 30 %, H 10 %, never missing.
    private static readonly DriftBaseline Baseline = new()
    {
        Schema = "telemetry",
        Run = "run-1",
        Rows = 1000,
        Numeric = [new NumericBaseline("torque_nm", 1000, 0, 5, 35, 20, 8, [10, 20, 30], [0.25, 0.25, 0.25, 0.25])],
        Categorical = [new CategoricalBaseline("product_quality", 1000, 0, [new("L", 0.6), new("M", 0.3), new("H", 0.1)])],
    };

    private static readonly SchemaViolations NoViolations = new(0, 0, 0);

    private static DriftWindow Window(long rows, long[] bins, (string, long)[] categories, long below = 0, long above = 0, long missingCategory = 0) => new()
    {
        Rows = rows,
        Numeric = [new NumericWindow("torque_nm", 0, below, above, bins)],
        Categorical = [new CategoricalWindow("product_quality", missingCategory, [.. categories.Select(c => new KeyValuePair<string, long>(c.Item1, c.Item2))])],
        Violations = NoViolations,
    };

    [Fact]
    public void Assess_WindowLikeTheBaseline_StableWithZeroPsi()
    {
        var report = DriftAssessment.Assess(Baseline, Window(200, [50, 50, 50, 50], [("L", 120), ("M", 60), ("H", 20)]), Defaults);

        Assert.Equal((DriftLevel.Stable, 0.0), (report.Level, report.MaxPsi));
        Assert.All(report.Features, f => Assert.Equal((0.0, 0.0, 0.0, 0.0), (f.Psi, f.MissingShareChange, f.OutOfRangeShare, f.MaxShareChange)));
    }

    [Fact]
    public void Assess_NumericFeatureShifted_AlarmsOnItWithTheHandComputedPsiAndItsOutOfRangeShare()
    {
        var report = DriftAssessment.Assess(
            Baseline, Window(200, [20, 40, 60, 80], [("L", 120), ("M", 60), ("H", 20)], below: 2, above: 8), Defaults);

        var torque = report.Features[0];
        Assert.Equal(DriftLevel.Alarm, report.Level);
        Assert.Equal(("torque_nm", DriftLevel.Alarm), (torque.Feature, torque.Level));
        Assert.Equal(0.228217, torque.Psi, 6);
        Assert.Equal(0.228217, report.MaxPsi, 6);
        Assert.Equal(0.05, torque.OutOfRangeShare, 12);
        Assert.Equal(0.15, torque.MaxShareChange, 12);
        Assert.Equal(("product_quality", DriftLevel.Stable), (report.Features[1].Feature, report.Features[1].Level));
    }

    [Fact]
    public void Assess_CategoryTheBaselineNeverSaw_CountedInThePsiAndAsOutOfRange()
    {
        // 180 values: L 0.5, M 0.25, H 0.0833, X 0.1667 against 0.6, 0.3, 0.1 and the empty-bin share.
        var report = DriftAssessment.Assess(
            Baseline, Window(200, [50, 50, 50, 50], [("L", 90), ("M", 45), ("H", 15), ("X", 30)], missingCategory: 20), Defaults);

        var quality = report.Features[1];
        Assert.Equal(1.266075, quality.Psi, 6);
        Assert.Equal(30.0 / 180, quality.OutOfRangeShare, 12);
        Assert.Equal(0.1, quality.MissingShareChange, 12);
        Assert.Equal(DriftLevel.Alarm, quality.Level);
    }

    [Theory]
    [InlineData(0.3, 0.4, DriftLevel.Stable)]
    [InlineData(0.2, 0.3, DriftLevel.Warn)]
    [InlineData(0.1, 0.2, DriftLevel.Alarm)]
    public void Assess_PsiAgainstTheThresholds_LevelFromWarnAndAlarm(double warn, double alarm, DriftLevel level)
    {
        var thresholds = new DriftThresholds { PsiWarn = warn, PsiAlarm = alarm };

        // PSI 0.228.
        var report = DriftAssessment.Assess(Baseline, Window(200, [20, 40, 60, 80], [("L", 120), ("M", 60), ("H", 20)]), thresholds);

        Assert.Equal((level, level), (report.Features[0].Level, report.Level));
    }

    [Fact]
    public void Assess_FewerRowsThanTheMinimum_InsufficientDataNeverDrift()
    {
        var report = DriftAssessment.Assess(Baseline, Window(99, [0, 0, 0, 99], [("X", 99)]), Defaults);

        Assert.Equal((DriftLevel.InsufficientData, 0.0, 0), (report.Level, report.MaxPsi, report.Features.Count));
    }

    [Fact]
    public void Assess_ScoresOnBothSides_PredictionDriftJudgedApart()
    {
        var baseline = Baseline with { Scores = new NumericBaseline("score", 500, 0, 0, 1, 0.3, 0.2, [0.5], [0.8, 0.2]) };
        var window = Window(200, [50, 50, 50, 50], [("L", 120), ("M", 60), ("H", 20)]) with { Scores = new NumericWindow("score", 0, 0, 0, [100, 100]) };

        var report = DriftAssessment.Assess(baseline, window, Defaults);

        // (0.5-0.8)ln(0.625) + (0.5-0.2)ln(2.5) = 0.141001 + 0.274887
        Assert.Equal((DriftReport.ScoresFeature, 0.415888), (report.Scores!.Feature, Math.Round(report.Scores.Psi, 6)));
        Assert.Equal((DriftLevel.Alarm, 0.0), (report.Level, report.MaxPsi));
    }

    [Fact]
    public void Assess_WindowCountedWithOtherBins_ThrowsNamingTheFeatureAndBothCounts()
    {
        var ex = Assert.Throws<ArgumentException>(() => DriftAssessment.Assess(Baseline, Window(200, [100, 100], [("L", 200)]), Defaults));

        Assert.Equal("window", ex.ParamName);
        Messages.AssertNames(ex.Message, "torque_nm", "2 bins", "4");
    }

    [Fact]
    public void Assess_WindowOfOtherFeatures_ThrowsNamingBoth()
    {
        var window = Window(200, [50, 50, 50, 50], [("L", 200)]) with { Numeric = [new NumericWindow("rpm", 0, 0, 0, [1, 1, 1, 1])] };

        var ex = Assert.Throws<ArgumentException>(() => DriftAssessment.Assess(Baseline, window, Defaults));

        Assert.Equal("window", ex.ParamName);
        Messages.AssertNames(ex.Message, "(rpm)", "(torque_nm)");
    }

    [Theory]
    [InlineData(0.2, 0.1, 100, "warn is 0.2, alarm 0.1")]
    [InlineData(0, 0.2, 100, "warn is 0, alarm 0.2")]
    [InlineData(0.1, 0.2, 0, "MinimumRows 0")]
    public void Assess_UnusableThresholds_ThrowsNamingTheThresholdsAndTheirValues(double warn, double alarm, long minimumRows, string named)
    {
        var thresholds = new DriftThresholds { PsiWarn = warn, PsiAlarm = alarm, MinimumRows = minimumRows };

        var ex = Assert.Throws<ArgumentException>(() => DriftAssessment.Assess(Baseline, Window(200, [50, 50, 50, 50], [("L", 200)]), thresholds));

        Assert.Equal("thresholds", ex.ParamName);
        Messages.AssertNames(ex.Message, named);
    }
}
