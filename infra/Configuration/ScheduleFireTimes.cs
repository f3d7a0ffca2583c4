using System.Globalization;

namespace Pipeline.Infra.Configuration;

/// <summary>
/// When a valid schedule expression fires: enough of EventBridge's cron semantics (UTC; day-of-week 1-7 = SUN-SAT;
/// L, W and # as documented in https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html)
/// to tell a schedule that never fires (31 February, a past year) and the shortest gap between two runs.
/// </summary>
internal static partial class ScheduleExpression
{
    /// <summary>The last year a cron expression can name (the year field allows 1970-2199).</summary>
    private const int LastYear = 2199;

    /// <summary>
    /// The first fire times at or after <paramref name="fromUtc"/> (at most <paramref name="limit"/>), in order. Empty for
    /// <c>disabled</c> and for a cron expression that never fires again. The expression must be valid (<see cref="Problem"/> null).
    /// </summary>
    internal static IReadOnlyList<DateTime> NextFireTimes(string expression, DateTime fromUtc, int limit)
    {
        var times = new List<DateTime>();
        var start = new DateTime(fromUtc.Year, fromUtc.Month, fromUtc.Day, fromUtc.Hour, fromUtc.Minute, 0, DateTimeKind.Utc);
        if (start < fromUtc)
        {
            start = start.AddMinutes(1);
        }

        if (RateInterval(expression) is { } interval)
        {
            for (var i = 0; i < limit; i++)
            {
                times.Add(start + (interval * i));
            }

            return times;
        }

        if (!expression.StartsWith("cron(", StringComparison.Ordinal))
        {
            return times;
        }

        var fields = expression["cron(".Length..^1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var minutes = Selected(Fields[0], fields[0]);
        var hours = Selected(Fields[1], fields[1]);
        var months = Expand(Fields[3], fields[3]);
        var years = Expand(Fields[5], fields[5]);
        for (var day = start.Date; day.Year <= LastYear && times.Count < limit; day = day.AddDays(1))
        {
            if (!years[day.Year - Fields[5].Min] || !months[day.Month - 1] || !DayMatches(fields[2], fields[4], day))
            {
                continue;
            }

            foreach (var h in hours)
            {
                foreach (var m in minutes)
                {
                    var time = day.AddHours(h).AddMinutes(m);
                    if (time >= start && times.Count < limit)
                    {
                        times.Add(time);
                    }
                }
            }
        }

        return times;
    }

    /// <summary>
    /// The shortest time between two consecutive runs among the first 10,000 after <paramref name="fromUtc"/>; null when
    /// the schedule fires at most once more (or is <c>disabled</c>).
    /// </summary>
    internal static TimeSpan? ShortestInterval(string expression, DateTime fromUtc)
    {
        if (RateInterval(expression) is { } interval)
        {
            return interval;
        }

        var times = NextFireTimes(expression, fromUtc, 10_000);
        return times.Count < 2 ? null : times.Zip(times.Skip(1), (a, b) => b - a).Min();
    }

    /// <summary>Describes an interval the way a person would write it: 30 minutes, 1 hour, 2 days, 1 hour 30 minutes.</summary>
    internal static string Describe(TimeSpan interval)
    {
        var minutes = (long)interval.TotalMinutes;
        var parts = new List<string>();
        var days = minutes / 1440;
        var hours = minutes % 1440 / 60;
        var rest = minutes % 60;
        if (days > 0)
        {
            parts.Add(Count(days, "day"));
        }

        if (hours > 0)
        {
            parts.Add(Count(hours, "hour"));
        }

        if (rest > 0 || parts.Count == 0)
        {
            parts.Add(Count(rest, "minute"));
        }

        return string.Join(' ', parts);

        static string Count(long n, string unit) => string.Create(CultureInfo.InvariantCulture, $"{n} {unit}{(n == 1 ? string.Empty : "s")}");
    }

    private static TimeSpan? RateInterval(string expression)
    {
        var rate = RatePattern().Match(expression);
        if (!rate.Success || !int.TryParse(rate.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return null;
        }

        return rate.Groups["unit"].Value.TrimEnd('s') switch
        {
            "minute" => TimeSpan.FromMinutes(n),
            "hour" => TimeSpan.FromHours(n),
            _ => TimeSpan.FromDays(n),
        };
    }

    private static bool DayMatches(string dayOfMonth, string dayOfWeek, DateTime day)
    {
        var last = DateTime.DaysInMonth(day.Year, day.Month);
        if (dayOfMonth != "?")
        {
            return dayOfMonth.Split(',').Any(item => item switch
            {
                "L" => day.Day == last,
                _ when item.EndsWith('W') => day.Day == NearestWeekday(day, int.Parse(item[..^1], CultureInfo.InvariantCulture)),
                _ => Expand(Fields[2], item)[day.Day - 1],
            });
        }

        var weekday = (int)day.DayOfWeek + 1;
        if (dayOfWeek.Contains('#', StringComparison.Ordinal))
        {
            var parts = dayOfWeek.Split('#');
            return weekday == WeekdayValue(parts[0]) && ((day.Day - 1) / 7) + 1 == int.Parse(parts[1], CultureInfo.InvariantCulture);
        }

        return dayOfWeek.Split(',').Any(item => item switch
        {
            "L" => weekday == 7,
            _ when item.Length > 1 && item.EndsWith('L') => weekday == WeekdayValue(item[..^1]) && day.Day + 7 > last,
            _ => Expand(Fields[4], item)[weekday - 1],
        });
    }

    private static int WeekdayValue(string text) => Value(Fields[4], text) ?? 0;

    /// <summary>The weekday nearest to day <paramref name="target"/> of the month, never crossing into another month.</summary>
    private static int NearestWeekday(DateTime day, int target)
    {
        var last = DateTime.DaysInMonth(day.Year, day.Month);
        if (target > last)
        {
            return -1;
        }

        var date = new DateTime(day.Year, day.Month, target, 0, 0, 0, DateTimeKind.Utc);
        return date.DayOfWeek switch
        {
            DayOfWeek.Saturday => target == 1 ? 3 : target - 1,
            DayOfWeek.Sunday => target == last ? target - 2 : target + 1,
            _ => target,
        };
    }

    private static int[] Selected(Field field, string text) =>
        Expand(field, text).Select((on, i) => on ? field.Min + i : -1).Where(v => v >= 0).ToArray();

    /// <summary>The values a list of items (n, a-b, *, a/s, a-b/s, */s) selects, as flags indexed from the field's minimum.</summary>
    private static bool[] Expand(Field field, string text)
    {
        var size = field.Max - field.Min + 1;
        var selected = new bool[size];
        foreach (var item in text.Split(','))
        {
            var slash = item.Split('/');
            var step = slash.Length == 2 ? int.Parse(slash[1], CultureInfo.InvariantCulture) : 1;
            int from, to;
            if (slash[0] is "*" or "?")
            {
                (from, to) = (field.Min, field.Max);
            }
            else
            {
                var bounds = slash[0].Split('-');
                from = Value(field, bounds[0]) ?? field.Min;
                to = bounds.Length == 2 ? Value(field, bounds[1]) ?? field.Max : slash.Length == 2 ? field.Max : from;
            }

            // A range may wrap (FRI-MON, 22-2): it runs past the maximum back to the minimum.
            var count = (to >= from ? to - from : to - from + size) + 1;
            for (var i = 0; i < count; i += step)
            {
                selected[(from - field.Min + i) % size] = true;
            }
        }

        return selected;
    }
}
