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
        var result = TrainingJson.ReadApiDocument(resultSet, AwsJsonContext.Default.ResultSetJson, "The Athena ResultSet");
        if (result.Rows is not { } rows || result.ResultSetMetadata?.ColumnInfo is not { } columns)
        {
            throw new FormatException("Not an Athena ResultSet: it needs Rows and ResultSetMetadata.ColumnInfo.");
        }

        if (rows.Count != 2)
        {
            throw new FormatException(string.Create(
                CultureInfo.InvariantCulture, $"The query returned {rows.Count - 1} rows; a single-row query returns a header and exactly one row."));
        }

        var cells = rows[1]?.Data ?? throw new FormatException("Not an Athena ResultSet: its row has no Data.");
        if (cells.Count != columns.Count)
        {
            throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"The row has {cells.Count} values for {columns.Count} columns."));
        }

        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (var i = 0; i < cells.Count; i++)
        {
            var (cell, column) = (cells[i], columns[i]);
            if (cell is null || column is null)
            {
                throw new FormatException("Not an Athena ResultSet: a value or a column is null.");
            }

            var name = column.Name ?? throw new FormatException("A column has no name.");
            values[name] = cell.VarCharValue is { } text ? Value(name, column.Type ?? string.Empty, text) : null;
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

/// <summary>A GetQueryResults <c>ResultSet</c>, as far as a single-row query's is read.</summary>
internal sealed record ResultSetJson(IReadOnlyList<ResultRowJson>? Rows, ResultSetMetadataJson? ResultSetMetadata);

/// <summary>One row: its values in column order.</summary>
internal sealed record ResultRowJson(IReadOnlyList<DatumJson>? Data);

/// <summary>One value: absent for SQL NULL.</summary>
internal sealed record DatumJson(string? VarCharValue);

/// <summary>The result's column descriptions.</summary>
internal sealed record ResultSetMetadataJson(IReadOnlyList<ColumnInfoJson>? ColumnInfo);

/// <summary>A column's name and Athena type.</summary>
internal sealed record ColumnInfoJson(string? Name, string? Type);
