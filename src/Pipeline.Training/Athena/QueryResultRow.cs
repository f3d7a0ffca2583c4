using System.Globalization;
using System.Text.Json;

namespace Pipeline.Training.Athena;

/// <summary>
/// The one row of a single-row Athena query, read from the GetQueryResults response a Step Functions task passes on
/// (<c>ResultSet</c>: a header row of column names, then the data row, every value as <c>VarCharValue</c> text or
/// absent for NULL; <c>ResultSetMetadata.ColumnInfo</c> gives each column's type). Values are typed by the column:
/// whole-number types as <see cref="long"/>, floating and decimal types as <see cref="double"/>, <c>array(double)</c>
/// as a list of doubles, anything else as text.
/// </summary>
public static class QueryResultRow
{
    private static readonly HashSet<string> WholeTypes = new(["tinyint", "smallint", "integer", "bigint"], StringComparer.Ordinal);
    private static readonly HashSet<string> NumberTypes = new(["real", "float", "double", "decimal"], StringComparer.Ordinal);

    /// <summary>The row's values by column name.</summary>
    /// <param name="resultSet">The response's <c>ResultSet</c>.</param>
    /// <exception cref="FormatException">Not the result of a single-row query, or a value that does not read as its column's type.</exception>
    public static IReadOnlyDictionary<string, object?> Read(JsonElement resultSet)
    {
        try
        {
            return ReadRow(resultSet);
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException)
        {
            // A member missing or of another JSON kind than GetQueryResults gives it.
            throw new FormatException($"Not an Athena ResultSet: {ex.Message}", ex);
        }
    }

    private static Dictionary<string, object?> ReadRow(JsonElement resultSet)
    {
        if (resultSet.ValueKind != JsonValueKind.Object
            || !resultSet.TryGetProperty("Rows", out var rows) || rows.ValueKind != JsonValueKind.Array
            || !resultSet.TryGetProperty("ResultSetMetadata", out var metadata)
            || !metadata.TryGetProperty("ColumnInfo", out var columns) || columns.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("Not an Athena ResultSet: it needs Rows and ResultSetMetadata.ColumnInfo.");
        }

        if (rows.GetArrayLength() != 2)
        {
            throw new FormatException(string.Create(
                CultureInfo.InvariantCulture,
                $"The query returned {rows.GetArrayLength() - 1} rows; a single-row query returns a header and exactly one row."));
        }

        var cells = rows[1].GetProperty("Data");
        if (cells.GetArrayLength() != columns.GetArrayLength())
        {
            throw new FormatException(string.Create(
                CultureInfo.InvariantCulture, $"The row has {cells.GetArrayLength()} values for {columns.GetArrayLength()} columns."));
        }

        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (var i = 0; i < cells.GetArrayLength(); i++)
        {
            var name = columns[i].GetProperty("Name").GetString() ?? throw new FormatException("A column has no name.");
            var type = columns[i].GetProperty("Type").GetString() ?? string.Empty;
            values[name] = cells[i].TryGetProperty("VarCharValue", out var text) ? Value(name, type, text.GetString()!) : null;
        }

        return values;
    }

    private static object Value(string name, string type, string text)
    {
        if (WholeTypes.Contains(type))
        {
            return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole)
                ? whole
                : throw Unreadable(name, type, text);
        }

        if (NumberTypes.Contains(type) || type.StartsWith("decimal(", StringComparison.Ordinal))
        {
            return Number(text) ?? throw Unreadable(name, type, text);
        }

        if (type == "array" || type.StartsWith("array(", StringComparison.Ordinal))
        {
            // Athena writes an array as "[1.5, 2.0, 3.25]".
            if (!(text.StartsWith('[') && text.EndsWith(']')))
            {
                throw Unreadable(name, type, text);
            }

            var inner = text[1..^1].Trim();
            return inner.Length == 0
                ? new List<double>()
                : inner.Split(',').Select(item => Number(item.Trim()) ?? throw Unreadable(name, type, text)).ToList();
        }

        return text;
    }

    private static double? Number(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;

    private static FormatException Unreadable(string name, string type, string text) =>
        new($"Column {name} ({type}) holds \"{text}\", which is not a value of that type.");
}
