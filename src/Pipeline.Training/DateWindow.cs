using System.Globalization;

namespace Pipeline.Training;

/// <summary>An inclusive range of UTC dates (event-date partitions) to train on.</summary>
public readonly record struct DateWindow
{
    /// <summary>Creates a window; <paramref name="from"/> must not be after <paramref name="to"/>.</summary>
    /// <param name="from">The first date (inclusive).</param>
    /// <param name="to">The last date (inclusive).</param>
    /// <exception cref="ArgumentException"><paramref name="from"/> is after <paramref name="to"/>.</exception>
    public DateWindow(DateOnly from, DateOnly to)
    {
        if (from > to)
        {
            throw new ArgumentException(
                $"Date window from {Format(from)} to {Format(to)} is empty; 'from' must not be after 'to'.", nameof(from));
        }

        From = from;
        To = to;
    }

    /// <summary>The first date (inclusive).</summary>
    public DateOnly From { get; }

    /// <summary>The last date (inclusive).</summary>
    public DateOnly To { get; }

    /// <summary>The number of days in the window (at least 1).</summary>
    public int Days => To.DayNumber - From.DayNumber + 1;

    /// <summary>The <see cref="From"/> date as <c>yyyy-MM-dd</c>.</summary>
    public string FromText => Format(From);

    /// <summary>The <see cref="To"/> date as <c>yyyy-MM-dd</c>.</summary>
    public string ToText => Format(To);

    /// <inheritdoc/>
    public override string ToString() => $"{FromText}..{ToText}";

    /// <summary>Formats a date as <c>yyyy-MM-dd</c> (invariant culture), the partition-value format.</summary>
    internal static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
