using System.Globalization;
using System.Text.RegularExpressions;
using Pipeline.Schema;

namespace Pipeline.Infra.Configuration;

/// <summary>
/// Checks EventBridge schedule expressions as documented in "Cron expressions reference" and "Rate expressions"
/// (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html), so a mistake fails synth
/// instead of the deployment.
/// </summary>
internal static partial class ScheduleExpression
{
    private static readonly string[] Months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];

    private static readonly string[] Days = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    private static readonly Field[] Fields =
    [
        new("minutes", 0, 59, null),
        new("hours", 0, 23, null),
        new("day-of-month", 1, 31, null),
        new("month", 1, 12, Months),
        new("day-of-week", 1, 7, Days),
        new("year", 1970, 2199, null),
    ];

    /// <summary>
    /// Returns why the expression is refused (malformed, or a valid cron expression that never fires), or null when
    /// EventBridge accepts it (or it is <c>disabled</c>).
    /// </summary>
    /// <param name="value">The trimmed configuration value.</param>
    public static ValueProblem? Problem(string value)
    {
        if (value == "disabled")
        {
            return null;
        }

        if (value.StartsWith("rate(", StringComparison.Ordinal))
        {
            return Malformed(RateProblem(value));
        }

        if (value.StartsWith("cron(", StringComparison.Ordinal))
        {
            return Malformed(CronProblem(value)) ?? NeverFiresProblem(value, DateTime.UtcNow);
        }

        return Malformed("is neither disabled nor a rate(...) or cron(...) expression.");
    }

    /// <summary>
    /// Why a valid cron expression never fires from <paramref name="nowUtc"/> on (EventBridge accepts such a rule and
    /// then never starts a run), or null when it fires at least once more.
    /// </summary>
    internal static ValueProblem? NeverFiresProblem(string value, DateTime nowUtc)
    {
        if (NextFireTimes(value, nowUtc, 1).Count > 0)
        {
            return null;
        }

        var year = value["cron(".Length..^1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[5];
        var lastYear = Array.LastIndexOf(Expand(Fields[5], year), true) + Fields[5].Min;
        return new ValueProblem(ConfigurationErrorCode.NotAllowed, lastYear < nowUtc.Year
            ? string.Create(CultureInfo.InvariantCulture, $"never fires: its last year, {lastYear}, is past, so EventBridge would accept the rule and never start a run.")
            : "never fires: no date from now to the end of its years matches its day-of-month, month and day-of-week (such as 31 February, or a weekday a month does not have), so EventBridge would accept the rule and never start a run.");
    }

    private static ValueProblem? Malformed(string? problem) =>
        problem is null ? null : new ValueProblem(ConfigurationErrorCode.Malformed, problem);

    private static string? RateProblem(string value)
    {
        var rate = RatePattern().Match(value);
        if (!rate.Success)
        {
            return "is not a rate expression of the form rate(<n> <unit>) with unit minute(s), hour(s) or day(s).";
        }

        if (!int.TryParse(rate.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return $"has a rate value too large for a whole number (at most {int.MaxValue}).";
        }

        var unit = rate.Groups["unit"].Value;
        var plural = unit.EndsWith('s');
        if (n < 1)
        {
            return "has a rate value of 0; EventBridge needs 1 or more.";
        }

        // EventBridge wants the singular unit for 1 and the plural otherwise.
        return n == 1 && plural ? $"uses the plural unit {unit} for 1; EventBridge wants {unit[..^1]}."
            : n > 1 && !plural ? $"uses the singular unit {unit} for {n}; EventBridge wants {unit}s."
            : null;
    }

    private static string? CronProblem(string value)
    {
        if (!value.EndsWith(')'))
        {
            return "does not end with ) after the cron fields.";
        }

        var fields = value["cron(".Length..^1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != Fields.Length)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"has {fields.Length} cron fields; EventBridge needs 6: minutes hours day-of-month month day-of-week year.");
        }

        // Every bad field at once, so one run shows everything to fix.
        var problems = Fields.Zip(fields)
            .Select(f => FieldProblem(f.First, f.Second) is { } problem ? $"{f.First.Name} \"{SafeText.Echo(f.Second)}\" {problem}" : null)
            .OfType<string>()
            .ToList();
        if (problems.Count > 0)
        {
            return $"has {(problems.Count == 1 ? "an invalid cron field" : "invalid cron fields")}: {string.Join("; ", problems)}.";
        }

        // "You can't specify values for both day-of-month and day-of-week": exactly one of them is '?'.
        return (fields[2] == "?") == (fields[4] == "?")
            ? "must have ? in exactly one of day-of-month and day-of-week."
            : null;
    }

    private static string? FieldProblem(Field field, string text)
    {
        var dayField = field.Name is "day-of-month" or "day-of-week";
        if (text == "?")
        {
            return dayField ? null : "uses ?, which only day-of-month and day-of-week allow";
        }

        if (field.Name == "day-of-week" && text.Contains('#', StringComparison.Ordinal))
        {
            // '#' names the nth weekday of the month (3#2 = second Tuesday); only one such expression is allowed.
            var parts = text.Split('#');
            return parts.Length == 2 && Value(field, parts[0]) is not null && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var nth) && nth is >= 1 and <= 5
                ? null
                : "must be one <weekday>#<1-5> expression, such as 3#2 (the second Tuesday), when it uses #";
        }

        foreach (var item in text.Split(','))
        {
            if (ItemProblem(field, item) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    private static string? ItemProblem(Field field, string item)
    {
        var range = $"{field.Min}-{field.Max}" + (field.Names is null ? string.Empty : $" or {field.Names[0]}-{field.Names[^1]}");
        if (field.Name == "day-of-month" && (item == "L" || (item.EndsWith('W') && Value(field, item[..^1]) is not null)))
        {
            return null;
        }

        if (field.Name == "day-of-week" && (item == "L" || (item.EndsWith('L') && Value(field, item[..^1]) is not null)))
        {
            return null;
        }

        var slash = item.Split('/');
        if (slash.Length > 2)
        {
            return "has more than one /";
        }

        if (slash.Length == 2)
        {
            if (field.Name == "day-of-week")
            {
                return "uses /, which day-of-week does not allow";
            }

            if (!int.TryParse(slash[1], NumberStyles.None, CultureInfo.InvariantCulture, out var step) || step < 1 || step > field.Max)
            {
                return $"needs an increment after / from 1 to {field.Max}";
            }
        }

        var start = slash[0];
        if (start == "*")
        {
            return null;
        }

        var bounds = start.Split('-');
        if (bounds.Length > 2 || bounds.Any(b => Value(field, b) is null))
        {
            return $"is not within {range}";
        }

        return null;
    }

    private static int? Value(Field field, string text)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return number >= field.Min && number <= field.Max ? number : null;
        }

        var index = field.Names is null ? -1 : Array.FindIndex(field.Names, n => n.Equals(text, StringComparison.OrdinalIgnoreCase));
        return index >= 0 ? field.Min + index : null;
    }

    private sealed record Field(string Name, int Min, int Max, string[]? Names);

    [GeneratedRegex(@"^rate\((?<n>[0-9]+) (?<unit>minutes?|hours?|days?)\)$", RegexOptions.CultureInvariant)]
    private static partial Regex RatePattern();
}
