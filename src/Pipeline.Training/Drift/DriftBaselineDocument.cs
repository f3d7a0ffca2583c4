using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Training.Drift;

/// <summary>
/// The baseline as the training run stores it beside the model (<c>models/&lt;run&gt;/drift-baseline.json</c>) and the
/// drift workflow reads it back: every value checked on reading, so a damaged or hand-edited document is refused with
/// the path of what is wrong instead of producing a meaningless PSI.
/// </summary>
public static class DriftBaselineDocument
{
    /// <summary>The document's file name beside the model.</summary>
    public const string FileName = "drift-baseline.json";

    /// <summary>How far a feature's shares may sum from 1 (rounding of shares computed in doubles).</summary>
    private const double ShareSumTolerance = 1e-6;

    /// <summary>The document as UTF-8 JSON.</summary>
    public static byte[] Write(DriftBaseline baseline)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        return TrainingJson.Document(
            new DriftBaselineJson(
                baseline.Schema,
                baseline.Run,
                baseline.Rows,
                [.. baseline.Numeric.Select(Numeric)],
                [.. baseline.Categorical.Select(c => new CategoricalBaselineJson(
                    c.Feature, c.Count, c.MissingShare, [.. c.Shares.Select(s => new CategoryShareJson(s.Key, s.Value))]))],
                baseline.Scores is { } scores ? Numeric(scores) : null),
            TrainingJsonContext.Default.DriftBaselineJson);
    }

    /// <summary>Reads and checks a document.</summary>
    /// <exception cref="FormatException">The document is not a drift baseline; the message names what is wrong and where.</exception>
    public static DriftBaseline Read(ReadOnlyMemory<byte> utf8Json)
    {
        DriftBaselineJson document;
        try
        {
            document = JsonSerializer.Deserialize(utf8Json.Span, TrainingJsonContext.Default.DriftBaselineJson)
                ?? throw Invalid("$", "is null; expected the baseline object");
        }
        catch (JsonException ex)
        {
            // Not JSON, or a member missing, null or of another JSON type: the reader names where.
            throw new FormatException($"{FileName} is not a drift baseline at {ex.Path ?? "$"}: {ex.Message}", ex);
        }

        var rows = document.Rows;
        if (rows < 1)
        {
            throw Invalid("$.rows", $"is {rows}; a baseline describes at least one row");
        }

        return new DriftBaseline
        {
            Schema = Text(document.Schema, "$.schema"),
            Run = Text(document.Run, "$.run"),
            Rows = rows,
            Numeric = [.. document.Numeric.Select((f, i) => ReadNumeric(Item(f, $"$.numeric[{i}]"), $"$.numeric[{i}]", rows))],
            Categorical = [.. document.Categorical.Select((f, i) => ReadCategorical(Item(f, $"$.categorical[{i}]"), $"$.categorical[{i}]", rows))],
            Scores = document.Scores is { } scores ? ReadNumeric(scores, "$.scores", long.MaxValue) : null,
        };
    }

    private static NumericBaselineJson Numeric(NumericBaseline feature) => new(
        feature.Feature, feature.Count, feature.MissingShare, feature.Min, feature.Max, feature.Mean, feature.StandardDeviation,
        feature.BinEdges, feature.BinShares);

    private static NumericBaseline ReadNumeric(NumericBaselineJson feature, string path, long rows)
    {
        var count = Count(feature.Count, path, rows);
        var (min, max) = (Finite(feature.Min, $"{path}.min"), Finite(feature.Max, $"{path}.max"));
        if (min > max)
        {
            throw Invalid(path, string.Create(CultureInfo.InvariantCulture, $"has min {min} above max {max}"));
        }

        double[] edges = [.. feature.BinEdges.Select((e, i) => Finite(e, $"{path}.binEdges[{i}]"))];
        for (var i = 1; i < edges.Length; i++)
        {
            if (!(edges[i] > edges[i - 1]))
            {
                throw Invalid($"{path}.binEdges", "must be strictly increasing");
            }
        }

        double[] shares = [.. feature.BinShares.Select((e, i) => Share(e, $"{path}.binShares[{i}]"))];
        if (shares.Length != edges.Length + 1)
        {
            throw Invalid($"{path}.binShares", $"has {shares.Length} values for {edges.Length} edges; it needs one more than the edges");
        }

        CheckSum(shares, $"{path}.binShares");
        return new NumericBaseline(
            Text(feature.Feature, $"{path}.feature"), count, Share(feature.MissingShare, $"{path}.missingShare"), min, max,
            Finite(feature.Mean, $"{path}.mean"), Finite(feature.StandardDeviation, $"{path}.standardDeviation"), edges, shares);
    }

    private static CategoricalBaseline ReadCategorical(CategoricalBaselineJson feature, string path, long rows)
    {
        var shares = feature.Shares
            .Select((s, i) => Item(s, $"{path}.shares[{i}]"))
            .Select((s, i) => new KeyValuePair<string, double>(
                Text(s.Category, $"{path}.shares[{i}].category"), Share(s.Share, $"{path}.shares[{i}].share")))
            .ToList();
        CheckSum([.. shares.Select(s => s.Value)], $"{path}.shares");
        return new CategoricalBaseline(
            Text(feature.Feature, $"{path}.feature"), Count(feature.Count, path, rows), Share(feature.MissingShare, $"{path}.missingShare"), shares);
    }

    private static long Count(long count, string path, long rows) =>
        count >= 0 && count <= rows
            ? count
            : throw Invalid($"{path}.count", string.Create(CultureInfo.InvariantCulture, $"is {count}; it must be from 0 to the baseline's {rows} rows"));

    private static void CheckSum(double[] shares, string path)
    {
        if (Math.Abs(shares.Sum() - 1) > ShareSumTolerance)
        {
            throw Invalid(path, string.Create(CultureInfo.InvariantCulture, $"sum to {shares.Sum()}; shares of a distribution sum to 1"));
        }
    }

    /// <summary>An array's item: the reader lets a JSON null through there (nullability is checked on members only).</summary>
    private static T Item<T>(T? item, string path)
        where T : class => item ?? throw Invalid(path, "must be an object");

    private static string Text(string text, string path) => text.Length > 0 ? text : throw Invalid(path, "must be a non-empty string");

    private static double Finite(double number, string path) => double.IsFinite(number) ? number : throw Invalid(path, "must be a finite number");

    private static double Share(double value, string path) =>
        Finite(value, path) is var share and >= 0 and <= 1 ? share : throw Invalid(path, "must be a share from 0 to 1");

    private static FormatException Invalid(string path, string problem) => new($"{FileName}: {path} {problem}.");
}

/// <summary>The baseline document, member by member in its order; every member but <c>scores</c> is required.</summary>
internal sealed record DriftBaselineJson(
    string Schema,
    string Run,
    long Rows,
    IReadOnlyList<NumericBaselineJson> Numeric,
    IReadOnlyList<CategoricalBaselineJson> Categorical,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] NumericBaselineJson? Scores = null);

/// <summary>A numeric feature (or the scores) in the baseline document.</summary>
internal sealed record NumericBaselineJson(
    string Feature,
    long Count,
    double MissingShare,
    double Min,
    double Max,
    double Mean,
    double StandardDeviation,
    IReadOnlyList<double> BinEdges,
    IReadOnlyList<double> BinShares);

/// <summary>A categorical feature in the baseline document.</summary>
internal sealed record CategoricalBaselineJson(string Feature, long Count, double MissingShare, IReadOnlyList<CategoryShareJson> Shares);

/// <summary>One category's share.</summary>
internal sealed record CategoryShareJson(string Category, double Share);
