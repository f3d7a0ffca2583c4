using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

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
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("schema", baseline.Schema);
            json.WriteString("run", baseline.Run);
            json.WriteNumber("rows", baseline.Rows);
            json.WriteStartArray("numeric");
            foreach (var feature in baseline.Numeric)
            {
                WriteNumeric(json, feature);
            }

            json.WriteEndArray();
            json.WriteStartArray("categorical");
            foreach (var feature in baseline.Categorical)
            {
                json.WriteStartObject();
                json.WriteString("feature", feature.Feature);
                json.WriteNumber("count", feature.Count);
                json.WriteNumber("missingShare", feature.MissingShare);
                json.WriteStartArray("shares");
                foreach (var (category, share) in feature.Shares)
                {
                    json.WriteStartObject();
                    json.WriteString("category", category);
                    json.WriteNumber("share", share);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            if (baseline.Scores is { } scores)
            {
                json.WritePropertyName("scores");
                WriteNumeric(json, scores);
            }

            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads and checks a document.</summary>
    /// <exception cref="FormatException">The document is not a drift baseline; the message names what is wrong and where.</exception>
    public static DriftBaseline Read(ReadOnlyMemory<byte> utf8Json)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8Json);
            var root = document.RootElement;
            var rows = Whole(root, "rows", "$");
            if (rows < 1)
            {
                throw Invalid("$.rows", $"is {rows}; a baseline describes at least one row");
            }

            return new DriftBaseline
            {
                Schema = Text(root, "schema", "$"),
                Run = Text(root, "run", "$"),
                Rows = rows,
                Numeric = [.. Items(root, "numeric", "$").Select((f, i) => ReadNumeric(f, $"$.numeric[{i}]", rows))],
                Categorical = [.. Items(root, "categorical", "$").Select((f, i) => ReadCategorical(f, $"$.categorical[{i}]", rows))],
                Scores = root.TryGetProperty("scores", out var scores) && scores.ValueKind != JsonValueKind.Null
                    ? ReadNumeric(scores, "$.scores", long.MaxValue)
                    : null,
            };
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{FileName} is not JSON: {ex.Message}", ex);
        }
    }

    private static void WriteNumeric(Utf8JsonWriter json, NumericBaseline feature)
    {
        json.WriteStartObject();
        json.WriteString("feature", feature.Feature);
        json.WriteNumber("count", feature.Count);
        json.WriteNumber("missingShare", feature.MissingShare);
        json.WriteNumber("min", feature.Min);
        json.WriteNumber("max", feature.Max);
        json.WriteNumber("mean", feature.Mean);
        json.WriteNumber("standardDeviation", feature.StandardDeviation);
        json.WriteStartArray("binEdges");
        foreach (var edge in feature.BinEdges)
        {
            json.WriteNumberValue(edge);
        }

        json.WriteEndArray();
        json.WriteStartArray("binShares");
        foreach (var share in feature.BinShares)
        {
            json.WriteNumberValue(share);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static NumericBaseline ReadNumeric(JsonElement element, string path, long rows)
    {
        var count = Count(element, path, rows);
        var (min, max) = (Number(element, "min", path), Number(element, "max", path));
        if (min > max)
        {
            throw Invalid(path, string.Create(CultureInfo.InvariantCulture, $"has min {min} above max {max}"));
        }

        double[] edges = [.. Items(element, "binEdges", path).Select((e, i) => Finite(e, $"{path}.binEdges[{i}]"))];
        for (var i = 1; i < edges.Length; i++)
        {
            if (!(edges[i] > edges[i - 1]))
            {
                throw Invalid($"{path}.binEdges", "must be strictly increasing");
            }
        }

        double[] shares = [.. Items(element, "binShares", path).Select((e, i) => Share(e, $"{path}.binShares[{i}]"))];
        if (shares.Length != edges.Length + 1)
        {
            throw Invalid($"{path}.binShares", $"has {shares.Length} values for {edges.Length} edges; it needs one more than the edges");
        }

        CheckSum(shares, $"{path}.binShares");
        return new NumericBaseline(
            Text(element, "feature", path), count, Share(Property(element, "missingShare", path), $"{path}.missingShare"), min, max,
            Number(element, "mean", path), Number(element, "standardDeviation", path), edges, shares);
    }

    private static CategoricalBaseline ReadCategorical(JsonElement element, string path, long rows)
    {
        var shares = Items(element, "shares", path)
            .Select((s, i) => new KeyValuePair<string, double>(Text(s, "category", $"{path}.shares[{i}]"), Share(Property(s, "share", $"{path}.shares[{i}]"), $"{path}.shares[{i}].share")))
            .ToList();
        CheckSum([.. shares.Select(s => s.Value)], $"{path}.shares");
        return new CategoricalBaseline(
            Text(element, "feature", path), Count(element, path, rows), Share(Property(element, "missingShare", path), $"{path}.missingShare"), shares);
    }

    private static long Count(JsonElement element, string path, long rows)
    {
        var count = Whole(element, "count", path);
        return count >= 0 && count <= rows
            ? count
            : throw Invalid($"{path}.count", string.Create(CultureInfo.InvariantCulture, $"is {count}; it must be from 0 to the baseline's {rows} rows"));
    }

    private static void CheckSum(double[] shares, string path)
    {
        if (Math.Abs(shares.Sum() - 1) > ShareSumTolerance)
        {
            throw Invalid(path, string.Create(CultureInfo.InvariantCulture, $"sum to {shares.Sum()}; shares of a distribution sum to 1"));
        }
    }

    private static JsonElement Property(JsonElement element, string name, string path) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value
            : throw Invalid(path, $"has no \"{name}\"");

    private static string Text(JsonElement element, string name, string path) =>
        Property(element, name, path) is { ValueKind: JsonValueKind.String } value && value.GetString() is { Length: > 0 } text
            ? text
            : throw Invalid($"{path}.{name}", "must be a non-empty string");

    private static long Whole(JsonElement element, string name, string path) =>
        Property(element, name, path) is { ValueKind: JsonValueKind.Number } value && value.TryGetInt64(out var number)
            ? number
            : throw Invalid($"{path}.{name}", "must be a whole number");

    private static double Number(JsonElement element, string name, string path) => Finite(Property(element, name, path), $"{path}.{name}");

    private static double Finite(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number)
            ? number
            : throw Invalid(path, "must be a finite number");

    private static double Share(JsonElement value, string path) =>
        Finite(value, path) is var share and >= 0 and <= 1 ? share : throw Invalid(path, "must be a share from 0 to 1");

    private static List<JsonElement> Items(JsonElement element, string name, string path) =>
        Property(element, name, path) is { ValueKind: JsonValueKind.Array } array
            ? array.EnumerateArray().ToList()
            : throw Invalid($"{path}.{name}", "must be an array");

    private static FormatException Invalid(string path, string problem) => new($"{FileName}: {path} {problem}.");
}
