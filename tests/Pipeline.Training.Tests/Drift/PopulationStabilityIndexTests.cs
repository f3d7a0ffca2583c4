using Pipeline.Training.Drift;
using Pipeline.Training.Tests.Support;

namespace Pipeline.Training.Tests.Drift;

public sealed class PopulationStabilityIndexTests
{
    [Fact]
    public void Compute_SameShares_IsZero()
    {
        Assert.Equal(0, PopulationStabilityIndex.Compute([0.2, 0.3, 0.5], [0.2, 0.3, 0.5]));
    }

    [Fact]
    public void Compute_UniformAgainstRisingShares_MatchesTheHandComputedSum()
    {
        // (0.1-0.25)ln(0.4) + (0.2-0.25)ln(0.8) + (0.3-0.25)ln(1.2) + (0.4-0.25)ln(1.6)
        // = 0.137444 + 0.011157 + 0.009116 + 0.070501 = 0.228217
        Assert.Equal(0.228217, PopulationStabilityIndex.Compute([0.25, 0.25, 0.25, 0.25], [0.1, 0.2, 0.3, 0.4]), 6);
    }

    [Fact]
    public void Compute_BinEmptyInTheBaseline_CountsItWithTheEmptyBinShare()
    {
        // (0.4-0.5)ln(0.8) + (0.1-0.0001)ln(0.1/0.0001) = 0.022314 + 0.0999 * 6.907755 = 0.022314 + 0.690085
        Assert.Equal(0.712399, PopulationStabilityIndex.Compute([0.5, 0.5, 0], [0.5, 0.4, 0.1]), 6);
    }

    [Fact]
    public void Compute_SidesSwapped_SameValue()
    {
        double[] expected = [0.1, 0.6, 0.3];
        double[] actual = [0.3, 0.3, 0.4];

        Assert.Equal(PopulationStabilityIndex.Compute(expected, actual), PopulationStabilityIndex.Compute(actual, expected), 12);
    }

    [Theory]
    [InlineData(new[] { 0.5, 0.5 }, new[] { 1.0 }, "actual", "2 expected", "1 actual")]
    [InlineData(new[] { 0.5, 0.4 }, new[] { 0.5, 0.5 }, "expected", "0.9")]
    [InlineData(new[] { 0.5, 0.5 }, new[] { 1.5, -0.5 }, "actual", "1.5")]
    public void Compute_NotTwoDistributionsOverTheSameBins_ThrowsNamingTheSideAndTheValue(double[] expected, double[] actual, string side, params string[] named)
    {
        var ex = Assert.Throws<ArgumentException>(() => PopulationStabilityIndex.Compute(expected, actual));

        Assert.Equal(side, ex.ParamName);
        Messages.AssertNames(ex.Message, named);
    }

    [Fact]
    public void Shares_Counts_DividedByTheirTotal()
    {
        Assert.Equal([0.25, 0.75, 0], PopulationStabilityIndex.Shares([1, 3, 0]));
    }

    [Fact]
    public void Shares_NoCounts_AllZero()
    {
        Assert.Equal([0.0, 0.0], PopulationStabilityIndex.Shares([0, 0]));
    }
}
