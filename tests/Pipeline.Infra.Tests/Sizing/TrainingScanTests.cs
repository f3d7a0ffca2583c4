using Pipeline.Infra.Sizing;

namespace Pipeline.Infra.Tests.Sizing;

public class TrainingScanTests
{
    [Theory]
    [InlineData(100, 1, 7, 1.25, 77_414_400_000L)] // 100/s x 604,800 s x 1,024 B x 1.25
    [InlineData(2000, 1, 30, 1.25, 6_635_520_000_000L)] // 2,000/s x 2,592,000 s x 1,024 B x 1.25
    [InlineData(10, 0.5, 1, 1, 442_368_000L)] // 10/s x 86,400 s x 512 B
    public void BytesPerQuery_ConfiguredLoad_EveryRowOfTheWindowAtTheRecordSizeWithHeadroom(
        double rate, double recordKiB, int days, double headroom, long bytes)
    {
        Assert.Equal(bytes, TrainingScan.BytesPerQuery(rate, recordKiB, days, headroom));
    }

    [Fact]
    public void BytesPerQuery_TinyLoad_AtLeastAthenasMinimumLimit()
    {
        Assert.Equal(10_000_000L, TrainingScan.BytesPerQuery(0.001, 0.1, 1, 1));
    }

    [Fact]
    public void BytesPerQuery_BeyondALong_Saturates()
    {
        Assert.Equal(long.MaxValue, TrainingScan.BytesPerQuery(1e12, 1e6, 365, 10));
    }

    [Fact]
    public void BytesPerQuery_HeadroomBelowOne_Refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TrainingScan.BytesPerQuery(100, 1, 7, 0.9));
    }
}
