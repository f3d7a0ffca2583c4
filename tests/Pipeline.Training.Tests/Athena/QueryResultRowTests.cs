using System.Text.Json;
using Pipeline.Training.Athena;

namespace Pipeline.Training.Tests.Athena;

public sealed class QueryResultRowTests
{
    /// <summary>A GetQueryResults ResultSet with a header row and <paramref name="rows"/>, columns given as (name, type).</summary>
    private static JsonElement ResultSet((string Name, string Type)[] columns, params string?[][] rows)
    {
        static object Cell(string? value) => value is null ? new { } : new { VarCharValue = value };
        var json = JsonSerializer.Serialize(new
        {
            Rows = new[] { new { Data = columns.Select(c => Cell(c.Name)).ToArray() } }
                .Concat(rows.Select(r => new { Data = r.Select(Cell).ToArray() })).ToArray(),
            ResultSetMetadata = new { ColumnInfo = columns.Select(c => new { c.Name, Label = c.Name, c.Type, Nullable = "UNKNOWN" }).ToArray() },
        });
        return JsonDocument.Parse(json).RootElement;
    }

    [Fact]
    public void Read_OneRow_ValuesTypedByTheirColumns()
    {
        var row = QueryResultRow.Read(ResultSet(
            [("rows", "bigint"), ("mean", "double"), ("edges", "array"), ("name", "varchar"), ("sd", "double")],
            ["6400", "300.125", "[298.1, 299.4, 3.0E2]", "telemetry", null]));

        Assert.Equal(6400L, row["rows"]);
        Assert.Equal(300.125, row["mean"]);
        Assert.Equal([298.1, 299.4, 300.0], Assert.IsType<List<double>>(row["edges"]));
        Assert.Equal("telemetry", row["name"]);
        Assert.Null(row["sd"]);
    }

    [Fact]
    public void Read_EmptyArray_NoValues()
    {
        var row = QueryResultRow.Read(ResultSet([("edges", "array(double)")], ["[]"]));

        Assert.Empty(Assert.IsType<List<double>>(row["edges"]));
    }

    [Fact]
    public void Read_NoDataRow_RefusedAsNotASingleRow()
    {
        var ex = Assert.Throws<FormatException>(() => QueryResultRow.Read(ResultSet([("rows", "bigint")])));

        Assert.Equal("The query returned 0 rows; a single-row query returns a header and exactly one row.", ex.Message);
    }

    [Theory]
    [InlineData("bigint", "12.5", "Column c (bigint) holds \"12.5\", which is not a value of that type.")]
    [InlineData("double", "many", "Column c (double) holds \"many\", which is not a value of that type.")]
    [InlineData("array", "[1.0, x]", "Column c (array) holds \"[1.0, x]\", which is not a value of that type.")]
    public void Read_ValueNotOfItsColumnsType_RefusedNamingTheColumn(string type, string value, string message)
    {
        var ex = Assert.Throws<FormatException>(() => QueryResultRow.Read(ResultSet([("c", type)], [value])));

        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void Read_NotAResultSet_RefusedSayingWhatItNeeds()
    {
        var ex = Assert.Throws<FormatException>(() => QueryResultRow.Read(JsonDocument.Parse("""{"Rows": []}""").RootElement));

        Assert.Equal("Not an Athena ResultSet: it needs Rows and ResultSetMetadata.ColumnInfo.", ex.Message);
    }

    [Fact]
    public void Read_RowWithoutData_RefusedAsNotAResultSet()
    {
        var resultSet = """{"Rows": [{"Data": [{"VarCharValue": "rows"}]}, {}], "ResultSetMetadata": {"ColumnInfo": [{"Name": "rows", "Type": "bigint"}]}}""";

        var ex = Assert.Throws<FormatException>(() => QueryResultRow.Read(JsonDocument.Parse(resultSet).RootElement));

        Assert.StartsWith("Not an Athena ResultSet: ", ex.Message, StringComparison.Ordinal);
    }
}
