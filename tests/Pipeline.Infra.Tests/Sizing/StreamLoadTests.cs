using Pipeline.Infra.Sizing;

namespace Pipeline.Infra.Tests.Sizing;

public class StreamLoadTests
{
    [Fact]
    public void DerivedLoads_WriteAndRead_AreSizeTimesRateTimesConsumers()
    {
        var load = new StreamLoad(RecordsPerSecond: 2000, AverageRecordSizeKiB: 1.5, ConsumerCount: 3);

        Assert.Equal(3000.0, load.WriteKiBPerSecond);
        Assert.Equal(9000.0, load.ReadKiBPerSecond);
    }

    [Fact]
    public void DerivedLoads_NoConsumers_ReadIsZero()
    {
        Assert.Equal(0.0, new StreamLoad(10, 1, 0).ReadKiBPerSecond);
    }

    [Theory]
    [InlineData(-1.0, 1.0, "RecordsPerSecond")]
    [InlineData(double.NaN, 1.0, "RecordsPerSecond")]
    [InlineData(1.0, double.PositiveInfinity, "AverageRecordSizeKiB")]
    [InlineData(1.0, -0.1, "AverageRecordSizeKiB")]
    public void Constructor_BadNumber_ThrowsNamingTheProperty(double records, double size, string property)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new StreamLoad(records, size, 1));

        Assert.Equal(property, ex.ParamName);
    }

    [Fact]
    public void Constructor_NegativeRate_SaysTheRangeAndTheValue()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new StreamLoad(-1, 1, 1));

        // The one exact message of an open range: name, range with unit, value given.
        Assert.Equal("RecordsPerSecond must be a finite number of 0 records/s or more; was -1. (Parameter 'RecordsPerSecond')", ex.Message);
    }

    [Fact]
    public void Constructor_NegativeConsumers_Throws()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new StreamLoad(1, 1, -1));

        Assert.Equal("ConsumerCount", ex.ParamName);
    }

    [Fact]
    public void With_BadValue_ThrowsToo()
    {
        var load = new StreamLoad(1, 1, 1);

        Assert.Throws<ArgumentOutOfRangeException>(() => load with { RecordsPerSecond = double.NaN });
        Assert.Throws<ArgumentOutOfRangeException>(() => load with { AverageRecordSizeKiB = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => load with { ConsumerCount = -2 });
        Assert.Equal(4.0, (load with { ConsumerCount = 4 }).ReadKiBPerSecond);
    }

    [Fact]
    public void Equality_SameValues_AreEqual()
    {
        Assert.Equal(new StreamLoad(1, 2, 3), new StreamLoad(1, 2, 3));
        Assert.NotEqual(new StreamLoad(1, 2, 3), new StreamLoad(1, 2, 4));
    }

    [Fact]
    public void Deconstruct_PositionalRecord_GivesTheInputs()
    {
        var (records, size, consumers) = new StreamLoad(1, 2, 3);

        Assert.Equal((1.0, 2.0, 3), (records, size, consumers));
    }
}
