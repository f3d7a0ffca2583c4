namespace Pipeline.Transform.Tests.Support;

/// <summary>A clock that stands still: "now" is fixed and no time elapses (so elapsedMs is 0 in log lines).</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;

    public override long GetTimestamp() => 0;
}
