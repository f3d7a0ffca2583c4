using System.Globalization;
using System.Text;
using Pipeline.Schema;
using Pipeline.Training;

namespace Pipeline.Training.Drift;

/// <summary>
/// Generates the two Athena (Trino) statements that compute a model's <see cref="DriftBaseline"/> over the train split
/// the training run wrote (the same window and hash split as <see cref="TrainingSetQuery"/>), and builds the baseline
/// from their result rows: first each feature's count, range, mean, standard deviation and decile edges
/// (<c>approx_percentile</c>) and each category's count; then, with those edges, each numeric feature's bin counts,
/// counted by the rule the drift window is counted with (<see cref="NumericBaseline.BinOf"/>).
/// </summary>
public sealed class DriftBaselineQuery
{
    /// <summary>The quantiles whose values are the bin edges: the deciles.</summary>
    public static IReadOnlyList<double> EdgeQuantiles { get; } = Array.AsReadOnly(Enumerable.Range(1, 9).Select(d => d / 10.0).ToArray());

    private readonly TrainingSetQuery _layout;
    private readonly TrainingRoles _roles;

    /// <summary>Prepares the statements for the train split of <paramref name="layout"/>.</summary>
    public DriftBaselineQuery(TrainingSetQuery layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        _layout = layout;
        _roles = layout.Schema.TrainingRoles;
    }

    /// <summary>The first statement: one row of counts, ranges, means, standard deviations, decile edges and category counts.</summary>
    public string SummarySql(DateWindow window)
    {
        var quantiles = string.Join(", ", Enumerable.Range(1, EdgeQuantiles.Count).Select(d => string.Create(CultureInfo.InvariantCulture, $"{d}E-1")));
        var text = new StringBuilder("SELECT\n    count(*) AS \"rows\"");
        foreach (var field in _roles.NumericFeatures)
        {
            var value = $"CAST({SqlText.Identifier(field.Name)} AS DOUBLE)";
            text.Append(CultureInfo.InvariantCulture, $",\n    count({value}) AS {Column(field.Name, "count")}")
                .Append(CultureInfo.InvariantCulture, $",\n    min({value}) AS {Column(field.Name, "min")}")
                .Append(CultureInfo.InvariantCulture, $",\n    max({value}) AS {Column(field.Name, "max")}")
                .Append(CultureInfo.InvariantCulture, $",\n    avg({value}) AS {Column(field.Name, "mean")}")
                .Append(CultureInfo.InvariantCulture, $",\n    stddev_samp({value}) AS {Column(field.Name, "sd")}")
                .Append(CultureInfo.InvariantCulture, $",\n    approx_percentile({value}, ARRAY[{quantiles}]) AS {Column(field.Name, "edges")}");
        }

        foreach (var field in _roles.CategoricalFeatures)
        {
            text.Append(CultureInfo.InvariantCulture, $",\n    count({SqlText.Identifier(field.Name)}) AS {Column(field.Name, "count")}");
            foreach (var value in field.AllowedValues!)
            {
                text.Append(CultureInfo.InvariantCulture, $",\n    {DriftSql.Count($"{SqlText.Identifier(field.Name)} = {SqlText.Literal(value)}")} AS {Column(field.Name, "is__" + value)}");
            }
        }

        return text.Append('\n').Append(_layout.ChannelSource(window, TrainingChannel.Train)).ToString();
    }

    /// <summary>The second statement: one row of each numeric feature's values per bin of <paramref name="edges"/>.</summary>
    /// <param name="window">The same window as the first statement.</param>
    /// <param name="edges">Each numeric feature's edges, from <see cref="Edges"/>.</param>
    public string BinSql(DateWindow window, IReadOnlyDictionary<string, IReadOnlyList<double>> edges)
    {
        ArgumentNullException.ThrowIfNull(edges);
        var text = new StringBuilder("SELECT\n    count(*) AS \"rows\"");
        foreach (var field in _roles.NumericFeatures)
        {
            var value = $"CAST({SqlText.Identifier(field.Name)} AS DOUBLE)";
            var bin = 0;
            foreach (var condition in DriftSql.BinConditions(value, edges[field.Name]))
            {
                text.Append(CultureInfo.InvariantCulture, $",\n    {DriftSql.Count(condition)} AS {SqlText.Identifier(DriftSql.BinColumn(field.Name, bin++))}");
            }
        }

        return text.Append('\n').Append(_layout.ChannelSource(window, TrainingChannel.Train)).ToString();
    }

    /// <summary>
    /// Each numeric feature's bin edges from the first statement's row: its deciles, repeated values merged (a feature
    /// with few distinct values has fewer bins).
    /// </summary>
    /// <param name="column">The first row's value by column name (an array of doubles for the edges).</param>
    /// <exception cref="ArgumentException">A feature has no value in the train split.</exception>
    public IReadOnlyDictionary<string, IReadOnlyList<double>> Edges(Func<string, object?> column)
    {
        ArgumentNullException.ThrowIfNull(column);
        return _roles.NumericFeatures.ToDictionary(
            f => f.Name,
            f => (IReadOnlyList<double>)[.. (column(Name(f.Name, "edges")) as System.Collections.IEnumerable ?? throw new ArgumentException(NoValues(f.Name), nameof(column)))
                .Cast<object>().Select(v => Convert.ToDouble(v, CultureInfo.InvariantCulture)).Distinct().Order()],
            StringComparer.Ordinal);
    }

    /// <summary>The baseline from both statements' rows.</summary>
    /// <param name="run">The training run.</param>
    /// <param name="summary">The first row's value by column name.</param>
    /// <param name="bins">The second row's counts by column name.</param>
    /// <exception cref="ArgumentException">The train split is empty, or a feature has no value in it.</exception>
    public DriftBaseline Build(string run, Func<string, object?> summary, Func<string, long> bins)
    {
        ArgumentException.ThrowIfNullOrEmpty(run);
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(bins);
        double Value(string feature, string statistic) => Convert.ToDouble(summary(Name(feature, statistic)), CultureInfo.InvariantCulture);
        long Whole(string name) => Convert.ToInt64(summary(name), CultureInfo.InvariantCulture);

        var rows = Whole("rows");
        if (rows == 0)
        {
            throw new ArgumentException("The train split holds no rows: there is nothing to describe. Train on a window with data.", nameof(summary));
        }

        var edges = Edges(summary);
        return new DriftBaseline
        {
            Schema = _layout.Schema.Name,
            Run = run,
            Rows = rows,
            Numeric =
            [
                .. _roles.NumericFeatures.Select(f =>
                {
                    var count = Whole(Name(f.Name, "count"));
                    var counts = Enumerable.Range(0, edges[f.Name].Count + 1)
                        .Select(bin => bins(DriftSql.BinColumn(f.Name, bin))).ToList();
                    var sd = summary(Name(f.Name, "sd")) is null or DBNull ? 0 : Value(f.Name, "sd");
                    return new NumericBaseline(
                        f.Name, count, (double)(rows - count) / rows, Value(f.Name, "min"), Value(f.Name, "max"), Value(f.Name, "mean"), sd,
                        edges[f.Name], PopulationStabilityIndex.Shares(counts));
                }),
            ],
            Categorical =
            [
                .. _roles.CategoricalFeatures.Select(f =>
                {
                    var count = Whole(Name(f.Name, "count"));
                    var counts = f.AllowedValues!.Select(v => Whole(Name(f.Name, "is__" + v))).ToList();
                    var shares = PopulationStabilityIndex.Shares(counts);
                    return new CategoricalBaseline(
                        f.Name, count, (double)(rows - count) / rows, [.. f.AllowedValues!.Select((v, i) => new KeyValuePair<string, double>(v, shares[i]))]);
                }),
            ],
        };
    }

    private static string NoValues(string feature) =>
        $"{feature} has no value in the train split, so it has no distribution to compare with; train on a window where it is sent, or make it an Identifier.";

    private static string Name(string feature, string statistic) => $"{feature}__{statistic}";

    private static string Column(string feature, string statistic) => SqlText.Identifier(Name(feature, statistic));
}
