using System.Globalization;

namespace Pipeline.Training.Drift;

/// <summary>When drift warns and when it alarms.</summary>
public sealed record DriftThresholds
{
    /// <summary>The PSI from which a feature's drift is a warning: default 0.1 (a moderate shift).</summary>
    public double PsiWarn { get; init; } = 0.1;

    /// <summary>The PSI from which a feature's drift raises the alarm: default 0.2 (a significant shift).</summary>
    public double PsiAlarm { get; init; } = 0.2;

    /// <summary>
    /// The fewest captured requests a window needs to be judged: default 100. Below it the shares are too coarse for
    /// PSI to mean anything, and the window is reported as insufficient, never as drift.
    /// </summary>
    public long MinimumRows { get; init; } = 100;

    /// <summary>Why these thresholds cannot be used, or null.</summary>
    public string? Problem() =>
        PsiWarn is > 0 and < double.PositiveInfinity && PsiAlarm > PsiWarn && !double.IsPositiveInfinity(PsiAlarm)
            ? MinimumRows >= 1 ? null : string.Create(CultureInfo.InvariantCulture, $"MinimumRows {MinimumRows} must be at least 1.")
            : string.Create(CultureInfo.InvariantCulture, $"PSI thresholds must satisfy 0 < warn < alarm; warn is {PsiWarn}, alarm {PsiAlarm}.");
}

/// <summary>How far a window has moved from the baseline.</summary>
public enum DriftLevel
{
    /// <summary>Too few captured requests to judge.</summary>
    InsufficientData,

    /// <summary>Every PSI below the warning threshold.</summary>
    Stable,

    /// <summary>Some PSI at or above the warning threshold, none at the alarm threshold.</summary>
    Warn,

    /// <summary>Some PSI at or above the alarm threshold.</summary>
    Alarm,
}

/// <summary>One feature's (or the scores') drift.</summary>
/// <param name="Feature">The field name, or <see cref="DriftReport.ScoresFeature"/>.</param>
/// <param name="Psi">The PSI over the baseline's bins or categories.</param>
/// <param name="MissingShareChange">The window's share of rows without a value minus the baseline's.</param>
/// <param name="OutOfRangeShare">Numeric: the share of values outside the baseline's [min, max]; categorical: the share in categories the baseline never saw.</param>
/// <param name="MaxShareChange">The largest change in one bin's or category's share, in either direction.</param>
/// <param name="Level">The PSI against the thresholds.</param>
public sealed record FeatureDrift(string Feature, double Psi, double MissingShareChange, double OutOfRangeShare, double MaxShareChange, DriftLevel Level);

/// <summary>A window judged against a baseline.</summary>
/// <param name="Rows">Captured requests in the window.</param>
/// <param name="Level">The worst feature's level (prediction drift included), or insufficient data.</param>
/// <param name="MaxPsi">The largest feature PSI (0 when the window is not judged).</param>
/// <param name="Features">Each feature's drift, numeric then categorical, in the baseline's order (empty when not judged).</param>
/// <param name="Scores">The prediction drift, when both sides recorded scores.</param>
/// <param name="Violations">Records that broke the schema.</param>
public sealed record DriftReport(
    long Rows, DriftLevel Level, double MaxPsi, IReadOnlyList<FeatureDrift> Features, FeatureDrift? Scores, SchemaViolations Violations)
{
    /// <summary>The name the scores' drift goes by.</summary>
    public const string ScoresFeature = "prediction_score";
}

/// <summary>
/// Judges a window of captured requests against the served model's baseline: per feature the PSI, the change in the
/// missing share, the share out of the training range (or in unseen categories) and the largest share change.
/// </summary>
public static class DriftAssessment
{
    /// <summary>Judges <paramref name="window"/> against <paramref name="baseline"/>.</summary>
    /// <exception cref="ArgumentException">
    /// The thresholds are unusable, or the window was not counted with this baseline's features and bins.
    /// </exception>
    public static DriftReport Assess(DriftBaseline baseline, DriftWindow window, DriftThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(thresholds);
        if (thresholds.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(thresholds));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(window.Rows, nameof(window));
        Match(baseline.Numeric.Select(f => f.Feature), window.Numeric.Select(f => f.Feature), "numeric");
        Match(baseline.Categorical.Select(f => f.Feature), window.Categorical.Select(f => f.Feature), "categorical");
        if (window.Rows < thresholds.MinimumRows)
        {
            return new DriftReport(window.Rows, DriftLevel.InsufficientData, 0, [], null, window.Violations);
        }

        var features = new List<FeatureDrift>();
        features.AddRange(baseline.Numeric.Zip(window.Numeric, (b, w) => Numeric(b, w, window.Rows, thresholds)));
        features.AddRange(baseline.Categorical.Zip(window.Categorical, (b, w) => Categorical(b, w, window.Rows, thresholds)));
        var scores = baseline.Scores is { } expected && window.Scores is { } actual
            ? Numeric(expected with { Feature = DriftReport.ScoresFeature }, actual, window.Rows, thresholds)
            : null;
        var level = features.Append(scores).OfType<FeatureDrift>().Select(f => f.Level).DefaultIfEmpty(DriftLevel.Stable).Max();
        return new DriftReport(window.Rows, level, features.Select(f => f.Psi).DefaultIfEmpty(0).Max(), features, scores, window.Violations);
    }

    private static FeatureDrift Numeric(NumericBaseline baseline, NumericWindow window, long rows, DriftThresholds thresholds)
    {
        if (window.BinCounts.Count != baseline.BinShares.Count)
        {
            throw new ArgumentException(
                $"{baseline.Feature}: the window has {window.BinCounts.Count} bins, the baseline {baseline.BinShares.Count}; count the window with the baseline's edges.",
                nameof(window));
        }

        var values = window.BinCounts.Sum();
        var shares = PopulationStabilityIndex.Shares(window.BinCounts);
        return Judge(
            baseline.Feature, baseline.BinShares, shares, Share(window.Missing, rows) - baseline.MissingShare,
            Share(window.BelowMin + window.AboveMax, values), thresholds);
    }

    private static FeatureDrift Categorical(CategoricalBaseline baseline, CategoricalWindow window, long rows, DriftThresholds thresholds)
    {
        // The baseline's categories in its order, then those only the window has (their baseline share is 0).
        var known = baseline.Shares.ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
        var counts = window.Counts.ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
        var categories = baseline.Shares.Select(s => s.Key).Concat(window.Counts.Select(c => c.Key).Where(c => !known.ContainsKey(c))).ToList();
        var actualCounts = categories.Select(c => counts.GetValueOrDefault(c)).ToList();
        var unseen = counts.Where(c => !known.ContainsKey(c.Key)).Sum(c => c.Value);
        return Judge(
            baseline.Feature, [.. categories.Select(c => known.GetValueOrDefault(c))], PopulationStabilityIndex.Shares(actualCounts),
            Share(window.Missing, rows) - baseline.MissingShare, Share(unseen, actualCounts.Sum()), thresholds);
    }

    private static FeatureDrift Judge(
        string feature, IReadOnlyList<double> expected, double[] actual, double missingShareChange, double outOfRangeShare, DriftThresholds thresholds)
    {
        // A feature with no value in the window has no distribution to compare: its missing share says it all.
        var empty = actual.Sum() == 0;
        var psi = empty ? 0 : PopulationStabilityIndex.Compute(expected, actual);
        var maxShareChange = empty ? 0 : expected.Select((e, i) => Math.Abs(actual[i] - e)).Max();
        var level = psi >= thresholds.PsiAlarm ? DriftLevel.Alarm : psi >= thresholds.PsiWarn ? DriftLevel.Warn : DriftLevel.Stable;
        return new FeatureDrift(feature, psi, missingShareChange, outOfRangeShare, maxShareChange, level);
    }

    private static double Share(long part, long whole) => whole == 0 ? 0 : (double)part / whole;

    private static void Match(IEnumerable<string> baseline, IEnumerable<string> window, string kind)
    {
        var (expected, actual) = (baseline.ToList(), window.ToList());
        if (!expected.SequenceEqual(actual, StringComparer.Ordinal))
        {
            throw new ArgumentException(
                $"The window's {kind} features ({string.Join(", ", actual)}) are not the baseline's ({string.Join(", ", expected)}); count the window with the served model's baseline.",
                nameof(window));
        }
    }
}
