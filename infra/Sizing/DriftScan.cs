namespace Pipeline.Infra.Sizing;

/// <summary>
/// The most one drift query scans: every captured request of the window, at the endpoint's largest fleet serving its
/// load-tested rate, of which the configured share is captured, each a SageMaker capture record of at most
/// <see cref="CaptureRecordBytes"/> (JSON Lines: the request's CSV, the score and the event metadata).
/// </summary>
public static class DriftScan
{
    /// <summary>
    /// The size one capture record is taken at: the telemetry request is about a hundred bytes of CSV, the record around
    /// it (event id, inference time, encodings, the score) a few hundred more; 1 KiB bounds both.
    /// </summary>
    public const int CaptureRecordBytes = 1024;

    /// <summary>
    /// Bytes one drift query may scan: max instances x requests/s per instance x captured share x window seconds x
    /// <see cref="CaptureRecordBytes"/>, rounded up, and at least <see cref="TrainingScan.AthenaMinimumCutoffBytes"/>.
    /// </summary>
    /// <param name="maxInstances">The largest fleet (<c>endpoint.maxInstances</c>).</param>
    /// <param name="maxRpsPerInstance">What one instance serves (<c>endpoint.maxRpsPerInstance</c>).</param>
    /// <param name="capturePercent">The captured share (<c>endpoint.dataCapturePercent</c>).</param>
    /// <param name="windowHours">The window (<c>drift.windowHours</c>).</param>
    public static long BytesPerQuery(int maxInstances, double maxRpsPerInstance, int capturePercent, int windowHours)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxInstances);
        ArgumentOutOfRangeException.ThrowIfNegative(maxRpsPerInstance);
        ArgumentOutOfRangeException.ThrowIfNegative(capturePercent);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(windowHours);
        var bytes = Math.Ceiling(maxInstances * maxRpsPerInstance * (capturePercent / 100.0) * windowHours * 3600.0 * CaptureRecordBytes);
        return bytes >= long.MaxValue ? long.MaxValue : Math.Max(TrainingScan.AthenaMinimumCutoffBytes, (long)bytes);
    }
}
