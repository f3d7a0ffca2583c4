using Pipeline.Infra.Sizing;

namespace Pipeline.Infra.Tests.Sizing;

public class ShardSizingTests
{
    [Fact]
    public void Constants_PerShardLimits_AreKinesisLimits()
    {
        Assert.Equal(1024.0, ShardSizing.ShardWriteKiBPerSecond);
        Assert.Equal(2048.0, ShardSizing.ShardReadKiBPerSecond);
        Assert.Equal(1000.0, ShardSizing.ShardWriteRecordsPerSecond);
    }

    [Fact]
    public void RequiredShards_ZeroLoad_ReturnsOne()
    {
        Assert.Equal(1, ShardSizing.RequiredShards(new StreamLoad(0, 0, 0), 1));
    }

    [Theory]
    [InlineData(100, 50, 0, 5)] // write: 5,000 KiB/s / 1,024 = 4.88 -> 5
    [InlineData(8, 128, 4, 2)] // read: 1,024 KiB/s x 4 consumers = 4,096 / 2,048 = 2
    [InlineData(4500, 0.01, 1, 5)] // records: 4,500 / 1,000 = 4.5 -> 5
    public void RequiredShards_EachTermDominatingInTurn_TakesTheLargest(double records, double sizeKiB, int consumers, int shards)
    {
        Assert.Equal(shards, ShardSizing.RequiredShards(new StreamLoad(records, sizeKiB, consumers), 1));
    }

    [Theory]
    [InlineData(1, 1024, 0, 1)] // write exactly one shard
    [InlineData(1, 1024.0001, 0, 2)]
    [InlineData(1, 512, 4, 1)] // read exactly one shard
    [InlineData(1, 512.0001, 4, 2)]
    [InlineData(1000, 0, 0, 1)] // records exactly one shard
    [InlineData(1000.001, 0, 0, 2)]
    [InlineData(0.5, 0, 0, 1)]
    public void RequiredShards_ExactBoundaries_RoundUpOnlyPastTheLimit(double records, double sizeKiB, int consumers, int shards)
    {
        Assert.Equal(shards, ShardSizing.RequiredShards(new StreamLoad(records, sizeKiB, consumers), 1));
    }

    [Fact]
    public void RequiredShards_WorkedExampleRecordsDominate_ReturnsThree()
    {
        // 3,000 records/s of 0.5 KiB, one consumer:
        //   write   = 3,000 × 0.5 = 1,500 KiB/s -> 1,500 / 1,024 = 1.46 shards
        //   read    = 1,500 × 1   = 1,500 KiB/s -> 1,500 / 2,048 = 0.73 shards
        //   records = 3,000 / 1,000                               = 3.00 shards   <- dominates
        // ceil(max(1.46, 0.73, 3.00)) = 3
        Assert.Equal(3, ShardSizing.RequiredShards(new StreamLoad(3000, 0.5, 1), 1));
    }

    [Fact]
    public void RequiredShards_WorkedExampleReadDominatesWithRoundingArtefact_ReturnsExactlyThree()
    {
        // 384 records/s of 3.2 KiB, five classic consumers:
        //   write   = 384 × 3.2 = 1,228.8 KiB/s -> 1.2 shards
        //   read    = 1,228.8 × 5 = 6,144 KiB/s -> 6,144 / 2,048 = 3 shards exactly   <- dominates
        //   records = 384 / 1,000 = 0.384 shards
        // In doubles the read load computes to 6,144.000000000001, which a naive ceiling turns into 4 shards.
        var load = new StreamLoad(384, 3.2, 5);

        Assert.Equal(6144.000000000001, load.ReadKiBPerSecond);
        Assert.Equal(4, (int)Math.Ceiling(load.ReadKiBPerSecond / ShardSizing.ShardReadKiBPerSecond));
        Assert.Equal(3, ShardSizing.RequiredShards(load, 1));
    }

    [Fact]
    public void RequiredShards_WorkedExampleWriteDominatesWithRoundingArtefact_ReturnsExactlySeven()
    {
        // 3,200 records/s of 2.24 KiB, one consumer:
        //   write   = 3,200 × 2.24 = 7,168 KiB/s -> 7,168 / 1,024 = 7 shards exactly   <- dominates
        //   read    = 7,168 × 1    = 7,168 KiB/s -> 3.5 shards
        //   records = 3,200 / 1,000 = 3.2 shards
        // In doubles the write load computes to 7,168.000000000001 (naively 8 shards).
        var load = new StreamLoad(3200, 2.24, 1);

        Assert.Equal(7168.000000000001, load.WriteKiBPerSecond);
        Assert.Equal(7, ShardSizing.RequiredShards(load, 1));
    }

    [Fact]
    public void RequiredShards_WorkedExampleTelemetryFleet_ReturnsOne()
    {
        // 500 machines sending one 0.4 KiB reading per second, read by Firehose, the inference Lambda and one more
        // classic consumer:
        //   write   = 500 × 0.4 = 200 KiB/s -> 0.20 shards
        //   read    = 200 × 3   = 600 KiB/s -> 0.29 shards
        //   records = 500 / 1,000           -> 0.50 shards
        // ceil(0.5) = 1
        Assert.Equal(1, ShardSizing.RequiredShards(new StreamLoad(500, 0.4, 3), 1));
    }

    [Fact]
    public void RequiredShards_LoadOfIntMaxValueShards_ReturnsIntMaxValue()
    {
        Assert.Equal(int.MaxValue, ShardSizing.RequiredShards(new StreamLoad(1, ShardSizing.MaxWriteKiBPerSecond, 0), 1));
        Assert.Equal(int.MaxValue, ShardSizing.RequiredShards(new StreamLoad(ShardSizing.MaxRecordsPerSecond, 0, 0), 1));
    }

    [Fact]
    public void RequiredShards_DerivedLoadTooLarge_ThrowsNamingTheLoadPropertyValueAndRange()
    {
        var load = new StreamLoad(1e12, 1e12, 1);

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ShardSizing.RequiredShards(load, 1));

        // The one exact message: the derived value's name, its range and the value given.
        Assert.Equal("load", ex.ParamName);
        Assert.Equal(
            "load.WriteKiBPerSecond must be a finite number from 0 to 2199023254528 KiB/s; was 1E+24. (Parameter 'load')",
            ex.Message);
    }

    [Fact]
    public void RequiredShards_ReadLoadTooLarge_NamesTheReadLoad()
    {
        var load = new StreamLoad(1, ShardSizing.MaxWriteKiBPerSecond, 3);

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ShardSizing.RequiredShards(load, 1));

        Assert.Equal("load", ex.ParamName);
        Assert.StartsWith("load.ReadKiBPerSecond ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RequiredShards_NullLoad_ThrowsArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => ShardSizing.RequiredShards(null!, 1.25));
    }

    [Fact]
    public void DefaultHeadroomFactor_KeepsThePeakAtEightyPercent()
    {
        Assert.Equal(1.25, ShardSizing.DefaultHeadroomFactor);
        Assert.Equal(0.8, 1 / ShardSizing.DefaultHeadroomFactor);
    }

    [Theory]
    [InlineData(2000, 1, 2, 1.0, 2)] // records: 2.0 shards exactly, no headroom
    [InlineData(2000, 1, 2, 1.25, 3)] // 2.0 x 1.25 = 2.5 -> 3 (the production preset)
    [InlineData(800, 1, 1, 1.25, 1)] // 0.8 x 1.25 = 1.0 exactly -> 1, not 2
    [InlineData(801, 1, 1, 1.25, 2)] // 0.801 x 1.25 = 1.00125 -> 2
    [InlineData(1000, 4, 5, 1.25, 13)] // reads: 20,000 / 2,048 = 9.77 x 1.25 = 12.2 -> 13
    [InlineData(3200, 2.24, 1, 1.25, 9)] // writes: 7,168 / 1,024 = 7 (7,168.000000000001 in doubles) x 1.25 = 8.75 -> 9
    [InlineData(4000, 1, 1, 2, 8)] // records 4.0 x 2 = 8 exactly
    [InlineData(0, 0, 0, 4, 1)] // no load: still one shard
    public void RequiredShards_WithHeadroom_MultipliesBeforeRoundingUp(double records, double sizeKiB, int consumers, double headroom, int shards)
    {
        Assert.Equal(shards, ShardSizing.RequiredShards(new StreamLoad(records, sizeKiB, consumers), headroom));
    }

    [Theory]
    [InlineData(0.99)]
    [InlineData(4.5)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void RequiredShards_HeadroomOutOfRange_ThrowsNamingTheParameterAndValue(double headroom)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ShardSizing.RequiredShards(new StreamLoad(1, 1, 1), headroom));

        Assert.Equal("headroomFactor", ex.ParamName);
        Assert.Contains($"was {headroom.ToString(System.Globalization.CultureInfo.InvariantCulture)}.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RequiredShards_LoadWithHeadroomBeyondIntMaxValueShards_Throws()
    {
        var load = new StreamLoad(ShardSizing.MaxRecordsPerSecond, 0, 0);

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ShardSizing.RequiredShards(load, 2));

        Assert.Equal("load", ex.ParamName);
    }
}
