using System.Globalization;

namespace Pipeline.Training.Drift;

/// <summary>
/// The Population Stability Index between a baseline distribution and a window's over the same bins:
/// PSI = Σ (actualᵢ − expectedᵢ) · ln(actualᵢ / expectedᵢ), over shares that each sum to 1. 0 means the same
/// distribution; by the usual reading below 0.1 is stable, 0.1 to 0.2 a moderate shift, above 0.2 a significant one.
/// </summary>
public static class PopulationStabilityIndex
{
    /// <summary>
    /// The share an empty bin counts with (on either side): ln(0) is undefined, so a bin that holds nothing is taken
    /// to hold one in ten thousand, without rescaling the other bins.
    /// </summary>
    public const double EmptyBinShare = 1e-4;

    /// <summary>The PSI of two share vectors over the same bins.</summary>
    /// <param name="expected">The baseline's share of each bin: each in [0, 1], together 1.</param>
    /// <param name="actual">The window's share of each bin, in the same order.</param>
    /// <exception cref="ArgumentException">The vectors differ in length, are empty, or are not distributions.</exception>
    public static double Compute(IReadOnlyList<double> expected, IReadOnlyList<double> actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        if (expected.Count == 0 || expected.Count != actual.Count)
        {
            throw new ArgumentException(
                $"PSI needs the same bins on both sides: {expected.Count} expected and {actual.Count} actual shares.", nameof(actual));
        }

        CheckDistribution(expected, nameof(expected));
        CheckDistribution(actual, nameof(actual));
        var psi = 0.0;
        for (var i = 0; i < expected.Count; i++)
        {
            var e = Math.Max(expected[i], EmptyBinShare);
            var a = Math.Max(actual[i], EmptyBinShare);
            psi += (a - e) * Math.Log(a / e);
        }

        return psi;
    }

    /// <summary>The shares of <paramref name="counts"/>; all zero when there are no counts.</summary>
    public static double[] Shares(IReadOnlyList<long> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var total = 0L;
        foreach (var count in counts)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(count, nameof(counts));
            total += count;
        }

        var shares = new double[counts.Count];
        for (var i = 0; i < shares.Length && total > 0; i++)
        {
            shares[i] = (double)counts[i] / total;
        }

        return shares;
    }

    private static void CheckDistribution(IReadOnlyList<double> shares, string name)
    {
        var sum = 0.0;
        foreach (var share in shares)
        {
            if (!(share is >= 0 and <= 1))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Every share must be in [0, 1]; {name} has {share}."), name);
            }

            sum += share;
        }

        if (Math.Abs(sum - 1) > 1e-6)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The {name} shares must sum to 1; they sum to {sum}."), name);
        }
    }
}
