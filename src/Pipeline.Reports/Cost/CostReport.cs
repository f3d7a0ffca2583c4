using System.Globalization;
using System.Text;
using Pipeline.Reports.Diagram;

namespace Pipeline.Reports.Cost;

/// <summary>The cost estimates of one synthesized profile as text: idle per stack and in total, endpoint per hour, training run.</summary>
public static class CostReport
{
    /// <summary>The report for <paramref name="profile"/>.</summary>
    public static string Render(string profile, IReadOnlyList<SynthesizedStack> stacks, PriceTable prices)
    {
        ArgumentNullException.ThrowIfNull(prices);
        var text = new StringBuilder();
        var idle = CostEstimate.Idle(stacks, prices);
        text.AppendLine(Invariant($"{profile}: idle per month, no model served ({prices.Region} list prices of {prices.Retrieved:yyyy-MM-dd}; usage not counted)"));
        foreach (var stack in stacks.Select(s => s.Id))
        {
            var lines = idle.Where(l => l.Stack == stack).ToList();
            text.AppendLine(Invariant($"  {stack,-17}{string.Empty,83}{lines.Sum(l => l.Cost),10:N2} USD"));
            foreach (var line in lines)
            {
                text.AppendLine(Line(line));
            }
        }

        text.AppendLine(Invariant($"  {"total idle",-17}{string.Empty,83}{idle.Sum(l => l.Cost),10:N2} USD/month"));
        var allowances = CostEstimate.Allowances(idle, prices);
        if (allowances.Count > 0)
        {
            foreach (var line in allowances)
            {
                text.AppendLine(Line(line));
            }

            text.AppendLine(Invariant($"  {"total idle after the always-free allowances (an account running only this app)",-100}{idle.Sum(l => l.Cost) + allowances.Sum(l => l.Cost),10:N2} USD/month"));
        }

        var endpoint = CostEstimate.EndpointHourly(stacks, prices);
        var perHour = endpoint.Sum(l => l.Cost);
        text.AppendLine(Invariant($"{profile}: endpoint while a model is served{string.Empty,35}{perHour,10:N4} USD/hour ({perHour * PriceTable.HoursPerMonth:N2} USD for a month up)"));
        foreach (var line in endpoint)
        {
            text.AppendLine(Line(line, "N4"));
        }

        var training = CostEstimate.TrainingRun(stacks, prices);
        text.AppendLine(Invariant($"{profile}: one training run at most (on-demand, whole maximum runtime; spot bills only what runs, up to 90 % less)"));
        foreach (var line in training)
        {
            text.AppendLine(Line(line));
        }

        var unverified = idle.Concat(endpoint).Concat(training).Select(l => l.PriceKey).Where(prices.IsUnverified).Distinct().Order(StringComparer.Ordinal).ToList();
        if (unverified.Count > 0)
        {
            text.AppendLine("  * a price from third-party sources (the stored AWS pricing page showed no figure): " + string.Join(", ", unverified));
        }

        return text.ToString();
    }

    private static string Line(CostLine line, string format = "N2") => Invariant(
        $"    {line.Item,-56}{line.Quantity,9:0.##} {line.Unit,-19} × {line.UnitPrice,8:0.00##}{string.Empty,-2}{line.Cost.ToString(format, CultureInfo.InvariantCulture),10}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
