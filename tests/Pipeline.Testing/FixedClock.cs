namespace Pipeline.Testing;

/// <summary>A clock that stands still at one instant (timers still run on the system clock).</summary>
/// <param name="now">The instant <see cref="GetUtcNow"/> returns.</param>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => now;
}
