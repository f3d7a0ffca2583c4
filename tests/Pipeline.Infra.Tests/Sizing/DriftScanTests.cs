using Pipeline.Infra.Sizing;

namespace Pipeline.Infra.Tests.Sizing;

public class DriftScanTests
{
    [Theory]
    [InlineData(2, 20, 100, 24, 3_538_944_000L)] // sandbox: 2 x 20/s x 100 % x 86,400 s x 1,024 B
    [InlineData(6, 20, 20, 24, 2_123_366_400L)] // production: 6 x 20/s x 20 % x 86,400 s x 1,024 B
    [InlineData(1, 10, 50, 1, 18_432_000L)] // 1 x 10/s x 50 % x 3,600 s x 1,024 B
    public void BytesPerQuery_EndpointAtItsLargestFleet_EveryCapturedRequestOfTheWindow(
        int instances, double rps, int percent, int hours, long bytes)
    {
        Assert.Equal(bytes, DriftScan.BytesPerQuery(instances, rps, percent, hours));
    }

    [Fact]
    public void BytesPerQuery_NothingCaptured_AthenasMinimumLimit()
    {
        Assert.Equal(10_000_000L, DriftScan.BytesPerQuery(2, 20, 0, 24));
    }

    [Fact]
    public void BytesPerQuery_NoWindow_Refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DriftScan.BytesPerQuery(2, 20, 100, 0));
    }
}
