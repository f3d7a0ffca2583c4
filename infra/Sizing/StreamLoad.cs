using System.Globalization;

namespace Pipeline.Infra.Sizing;

/// <summary>The expected load of a Kinesis data stream, the input of <see cref="ShardSizing.RequiredShards(StreamLoad, double)"/>.</summary>
/// <param name="RecordsPerSecond">Incoming records per second; finite and not negative.</param>
/// <param name="AverageRecordSizeKiB">Average size of one record in KiB (1 KiB = 1,024 bytes); finite and not negative.</param>
/// <param name="ConsumerCount">
/// Number of classic consumers reading the whole stream with shared throughput (each reads every record once);
/// not negative. Enhanced fan-out consumers have throughput of their own and do not count.
/// </param>
public sealed record StreamLoad(double RecordsPerSecond, double AverageRecordSizeKiB, int ConsumerCount)
{
    /// <summary>Incoming records per second; finite and not negative.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative, NaN or infinite value.</exception>
    public double RecordsPerSecond { get; init => field = RequireFinite(value, nameof(RecordsPerSecond), "records/s"); }
        = RequireFinite(RecordsPerSecond, nameof(RecordsPerSecond), "records/s");

    /// <summary>Average size of one record in KiB; finite and not negative.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative, NaN or infinite value.</exception>
    public double AverageRecordSizeKiB { get; init => field = RequireFinite(value, nameof(AverageRecordSizeKiB), "KiB"); }
        = RequireFinite(AverageRecordSizeKiB, nameof(AverageRecordSizeKiB), "KiB");

    /// <summary>Number of classic (shared-throughput) consumers; not negative.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative value.</exception>
    public int ConsumerCount { get; init => field = RequireCount(value, nameof(ConsumerCount)); }
        = RequireCount(ConsumerCount, nameof(ConsumerCount));

    /// <summary>Incoming data in KiB per second: <see cref="RecordsPerSecond"/> × <see cref="AverageRecordSizeKiB"/>.</summary>
    public double WriteKiBPerSecond => RecordsPerSecond * AverageRecordSizeKiB;

    /// <summary>Outgoing data in KiB per second: <see cref="WriteKiBPerSecond"/> × <see cref="ConsumerCount"/>.</summary>
    public double ReadKiBPerSecond => WriteKiBPerSecond * ConsumerCount;

    private static double RequireFinite(double value, string name, string unit)
    {
        ShardSizing.RequireLoad(value, maximum: null, unit, name);
        return value;
    }

    private static int RequireCount(int value, string paramName)
    {
        if (value < 0)
        {
            throw new ArgumentOutOfRangeException(
                paramName,
                string.Create(CultureInfo.InvariantCulture, $"{paramName} must be 0 or more; was {value}."));
        }

        return value;
    }
}
