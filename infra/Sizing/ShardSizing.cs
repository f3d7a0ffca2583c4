using System.Globalization;

namespace Pipeline.Infra.Sizing;

/// <summary>
/// Sizes a provisioned Kinesis data stream: the number of shards needed so that no per-shard limit is exceeded.
/// </summary>
/// <remarks>
/// <para>
/// <c>shards = ceil(headroom × max(writeKiB / 1024, readKiB / 2048, recordsPerSecond / 1000))</c>, never less than 1,
/// where a shard accepts 1 MiB/s (1,024 KiB/s) or 1,000 records/s of writes and serves 2 MiB/s (2,048 KiB/s) of reads
/// shared by all classic (non enhanced fan-out) consumers. The headroom factor multiplies the ratio before the ceiling,
/// so a stream sized for its expected peak does not run at 100 % of a per-shard limit.
/// </para>
/// <para>
/// The ceiling tolerates floating-point artefacts: a ratio within a relative 1e-12 above a whole number counts as that
/// number (<c>0.1 KiB × 12,288 records/s × 5 consumers</c> computes to 6,144.000000000001 KiB/s but is exactly 3 shards
/// of reads), while any real excess (1,024.0001 KiB/s is 1.0000000977 shards) still rounds up.
/// </para>
/// </remarks>
public static class ShardSizing
{
    /// <summary>Write throughput of one shard in KiB per second (1 MiB/s).</summary>
    public const double ShardWriteKiBPerSecond = 1024;

    /// <summary>Read throughput of one shard in KiB per second (2 MiB/s), shared by all classic consumers.</summary>
    public const double ShardReadKiBPerSecond = 2048;

    /// <summary>Write records of one shard per second.</summary>
    public const double ShardWriteRecordsPerSecond = 1000;

    /// <summary>The largest write load accepted, in KiB/s: the load of <see cref="int.MaxValue"/> shards.</summary>
    public const double MaxWriteKiBPerSecond = int.MaxValue * ShardWriteKiBPerSecond;

    /// <summary>The largest read load accepted, in KiB/s: the load of <see cref="int.MaxValue"/> shards.</summary>
    public const double MaxReadKiBPerSecond = int.MaxValue * ShardReadKiBPerSecond;

    /// <summary>The largest record rate accepted, in records/s: the load of <see cref="int.MaxValue"/> shards.</summary>
    public const double MaxRecordsPerSecond = int.MaxValue * ShardWriteRecordsPerSecond;

    /// <summary>
    /// Default headroom factor: the planned peak uses 80 % of the provisioned capacity (1 / 0.8 = 1.25). AWS publishes
    /// no single headroom number for Kinesis; 80 % is the scale-out threshold of the AWS Big Data Blog post "Scale Your
    /// Amazon Kinesis Stream Capacity with UpdateShardCount", so the stream has room for bursts before it throttles.
    /// </summary>
    public const double DefaultHeadroomFactor = 1.25;

    /// <summary>The smallest headroom factor: 1 sizes for exactly the expected peak.</summary>
    public const double MinHeadroomFactor = 1;

    /// <summary>
    /// The largest headroom factor accepted: beyond 4× the expected peak the expected load, not the headroom, is wrong
    /// (and on-demand mode, which absorbs twice its previous peak, is the cheaper answer to unknown load).
    /// </summary>
    public const double MaxHeadroomFactor = 4;

    /// <summary>
    /// Relative amount by which a shard ratio may exceed a whole number and still count as that number; far above
    /// the rounding error of a few multiplications (about 1e-16) and far below any load difference that matters.
    /// </summary>
    internal const double RelativeTolerance = 1e-12;

    /// <summary>Returns the number of shards needed for the given stream load with headroom on top, at least 1.</summary>
    /// <param name="load">The expected peak load.</param>
    /// <param name="headroomFactor">
    /// How much capacity to provision per unit of expected load, from <see cref="MinHeadroomFactor"/> to
    /// <see cref="MaxHeadroomFactor"/>; <see cref="DefaultHeadroomFactor"/> keeps the peak at 80 % of every limit.
    /// </param>
    /// <returns><c>ceil(headroomFactor × max(write / 1024, read / 2048, records / 1000))</c>, at least 1.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="load"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="headroomFactor"/> is outside its range, a derived load is larger than the load of
    /// <see cref="int.MaxValue"/> shards, or the load with headroom needs more than <see cref="int.MaxValue"/> shards.
    /// </exception>
    public static int RequiredShards(StreamLoad load, double headroomFactor)
    {
        ArgumentNullException.ThrowIfNull(load);
        if (!double.IsFinite(headroomFactor) || headroomFactor < MinHeadroomFactor || headroomFactor > MaxHeadroomFactor)
        {
            throw new ArgumentOutOfRangeException(
                nameof(headroomFactor),
                string.Create(CultureInfo.InvariantCulture, $"headroomFactor must be a finite number from {MinHeadroomFactor} to {MaxHeadroomFactor}; was {headroomFactor}."));
        }

        const string param = nameof(load);
        RequireLoad(load.WriteKiBPerSecond, MaxWriteKiBPerSecond, "KiB/s", param, "load.WriteKiBPerSecond");
        RequireLoad(load.ReadKiBPerSecond, MaxReadKiBPerSecond, "KiB/s", param, "load.ReadKiBPerSecond");
        RequireLoad(load.RecordsPerSecond, MaxRecordsPerSecond, "records/s", param, "load.RecordsPerSecond");
        var ratio = Ratio(load.WriteKiBPerSecond, load.ReadKiBPerSecond, load.RecordsPerSecond) * headroomFactor;
        if (ratio * (1 - RelativeTolerance) > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(
                param,
                string.Create(CultureInfo.InvariantCulture, $"The load with headroom {headroomFactor} needs {ratio} shards, more than {int.MaxValue}."));
        }

        return ToShards(ratio);
    }

    /// <summary>
    /// Throws <see cref="ArgumentOutOfRangeException"/> unless <paramref name="value"/> is finite, not negative and at
    /// most <paramref name="maximum"/> (when given); the message names the value, the bad value and the allowed range.
    /// </summary>
    internal static void RequireLoad(double value, double? maximum, string unit, string paramName, string? valueName = null)
    {
        if (double.IsFinite(value) && value >= 0 && (maximum is null || value <= maximum))
        {
            return;
        }

        var range = maximum is { } max
            ? string.Create(CultureInfo.InvariantCulture, $"a finite number from 0 to {max} {unit}")
            : $"a finite number of 0 {unit} or more";
        throw new ArgumentOutOfRangeException(
            paramName,
            string.Create(CultureInfo.InvariantCulture, $"{valueName ?? paramName} must be {range}; was {value}."));
    }

    private static double Ratio(double writeKiBPerSecond, double readKiBPerSecond, double recordsPerSecond) =>
        Math.Max(
            writeKiBPerSecond / ShardWriteKiBPerSecond,
            Math.Max(readKiBPerSecond / ShardReadKiBPerSecond, recordsPerSecond / ShardWriteRecordsPerSecond));

    // Callers guarantee ratio * (1 - RelativeTolerance) <= int.MaxValue.
    private static int ToShards(double ratio) => Math.Max(1, (int)Math.Ceiling(ratio * (1 - RelativeTolerance)));
}
