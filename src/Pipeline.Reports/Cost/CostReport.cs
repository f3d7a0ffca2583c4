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
                text.AppendLine(Line(line, prices));
            }
        }

        text.AppendLine(Invariant($"  {"total idle",-17}{string.Empty,83}{idle.Sum(l => l.Cost),10:N2} USD/month"));
        var allowances = CostEstimate.Allowances(idle, prices);
        if (allowances.Count > 0)
        {
            foreach (var line in allowances)
            {
                text.AppendLine(Line(line, prices));
            }

            text.AppendLine(Invariant($"  {"total idle after the always-free allowances (an account running only this app)",-100}{idle.Sum(l => l.Cost) + allowances.Sum(l => l.Cost),10:N2} USD/month"));
        }

        var endpoint = CostEstimate.EndpointHourly(stacks, prices);
        var perHour = endpoint.Sum(l => l.Cost);
        text.AppendLine(Invariant($"{profile}: endpoint while a model is served{string.Empty,35}{perHour,10:N4} USD/hour ({perHour * PriceTable.HoursPerMonth:N2} USD for a month up)"));
        foreach (var line in endpoint)
        {
            text.AppendLine(Line(line, prices, "N4"));
        }

        var serving = CostEstimate.Serving(stacks, prices);
        if (serving.Count > 0)
        {
            text.AppendLine(Invariant($"{profile + ": while a model is served, per month besides the endpoint's instances",-102}{serving.Sum(l => l.Cost),10:N2} USD/month"));
            foreach (var line in serving)
            {
                text.AppendLine(Line(line, prices));
            }

            text.AppendLine(Invariant($"  {"a month served: the endpoint's instances and the above",-100}{perHour * PriceTable.HoursPerMonth + serving.Sum(l => l.Cost),10:N2} USD/month"));
        }

        var growth = CostEstimate.LakeGrowth(stacks, prices);
        if (growth.Count > 0)
        {
            text.AppendLine(Invariant($"{profile + ": lake storage a month of ingest adds, billed every month it is kept",-102}{growth.Sum(l => l.Cost),10:N2} USD/month"));
            foreach (var line in growth)
            {
                text.AppendLine(Line(line, prices));
            }
        }

        var training = CostEstimate.TrainingRun(stacks, prices);
        var scheduled = CostEstimate.ScheduledTrainingRuns(stacks);
        text.AppendLine(Invariant($"{profile}: one training run at most (on-demand, whole maximum runtime; spot bills only what runs, up to 90 % less){(scheduled > 0 ? $"; scheduled {scheduled:0.##} runs a month" : string.Empty)}"));
        foreach (var line in training)
        {
            text.AppendLine(Line(line, prices));
        }

        var unverified = idle.Concat(endpoint).Concat(serving).Concat(growth).Concat(training).Select(l => l.PriceKey).Where(prices.IsUnverified).Distinct().Order(StringComparer.Ordinal).ToList();
        if (unverified.Count > 0)
        {
            text.AppendLine("  * a price from third-party sources (the stored AWS pricing page showed no figure): " + string.Join(", ", unverified));
        }

        return text.ToString();
    }

    // An unverified price carries a * after it; an item longer than its column pushes the figures right rather than being cut.
    private static string Line(CostLine line, PriceTable prices, string format = "N2") => Invariant(
        $"    {line.Item,-56}{line.Quantity.ToString(Math.Abs(line.Quantity) < 1 ? "0.####" : "0.##", CultureInfo.InvariantCulture),9} {line.Unit,-19} × {line.UnitPrice,8:0.00####}{(prices.IsUnverified(line.PriceKey) ? " *" : "  ")}{line.Cost.ToString(format, CultureInfo.InvariantCulture),10}{(line.Basis is null ? string.Empty : "  (" + line.Basis + ")")}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
