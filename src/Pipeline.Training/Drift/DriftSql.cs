using System.Globalization;

namespace Pipeline.Training.Drift;

/// <summary>The SQL pieces the baseline and window statements share, in the dialect Trino and DuckDB share.</summary>
internal static class DriftSql
{
    /// <summary>Rows where <paramref name="condition"/> holds (a sum, so a count of no rows is NULL, as for every sum).</summary>
    public static string Count(string condition) => $"sum(CASE WHEN {condition} THEN 1 ELSE 0 END)";

    /// <summary>
    /// A DOUBLE literal: one with an exponent is a DOUBLE in Trino and DuckDB alike (without one, Trino reads a
    /// DECIMAL); 17 digits round-trip.
    /// </summary>
    public static string Number(double value) => value.ToString("E16", CultureInfo.InvariantCulture);

    /// <summary>
    /// The condition of each bin of <paramref name="edges"/> on <paramref name="value"/>, by the rule of
    /// <see cref="NumericBaseline.BinOf"/>: bin 0 below the first edge, bin i from edge i (inclusive) to edge i + 1, the
    /// last from the last edge up.
    /// </summary>
    public static IEnumerable<string> BinConditions(string value, IReadOnlyList<double> edges)
    {
        for (var bin = 0; bin <= edges.Count; bin++)
        {
            var lower = bin == 0 ? null : $"{value} >= {Number(edges[bin - 1])}";
            var upper = bin == edges.Count ? null : $"{value} < {Number(edges[bin])}";
            yield return lower is null ? upper ?? $"{value} IS NOT NULL" : upper is null ? lower : $"{lower} AND {upper}";
        }
    }

    /// <summary>The name of a bin's count column.</summary>
    public static string BinColumn(string feature, int bin) => string.Create(CultureInfo.InvariantCulture, $"{feature}__bin_{bin}");
}
