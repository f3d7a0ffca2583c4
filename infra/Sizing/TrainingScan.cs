namespace Pipeline.Infra.Sizing;

/// <summary>
/// The most one training query scans: every UNLOAD reads every row of the training window, all columns. Rows are
/// counted at the configured stream rate with the stream's headroom (bursts above the expected rate), and sized at the
/// record's size on the stream (JSON), an upper bound on the same row as compressed Parquet in the curated zone.
/// </summary>
public static class TrainingScan
{
    /// <summary>Athena's smallest per-query data usage limit, in bytes (10 MB).</summary>
    public const long AthenaMinimumCutoffBytes = 10_000_000;

    private const double SecondsPerDay = 86_400;

    /// <summary>
    /// Bytes one training query may scan: records/s x window seconds x record size x headroom, rounded up, and at least
    /// <see cref="AthenaMinimumCutoffBytes"/>.
    /// </summary>
    /// <param name="recordsPerSecond">The stream's expected rate (<c>stream.recordsPerSecond</c>).</param>
    /// <param name="averageRecordSizeKiB">The average record size on the stream (<c>stream.averageRecordSizeKiB</c>).</param>
    /// <param name="windowDays">The training window (<c>training.lookbackDays</c>).</param>
    /// <param name="headroomFactor">The margin over the expected rate (<c>stream.headroomFactor</c>).</param>
    public static long BytesPerQuery(double recordsPerSecond, double averageRecordSizeKiB, int windowDays, double headroomFactor)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(recordsPerSecond);
        ArgumentOutOfRangeException.ThrowIfNegative(averageRecordSizeKiB);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(windowDays);
        ArgumentOutOfRangeException.ThrowIfLessThan(headroomFactor, 1);
        var bytes = Math.Ceiling(recordsPerSecond * SecondsPerDay * windowDays * averageRecordSizeKiB * 1024 * headroomFactor);
        return bytes >= long.MaxValue ? long.MaxValue : Math.Max(AthenaMinimumCutoffBytes, (long)bytes);
    }
}
