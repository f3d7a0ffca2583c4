using System.Text.Json;
using Pipeline.Training.Athena;
using Pipeline.Training.Tests.Support;

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

        Messages.AssertNames(ex.Message, "0 rows");
    }

    [Theory]
    [InlineData("bigint", "12.5")]
    [InlineData("double", "many")]
    [InlineData("array", "[1.0, x]")]
    public void Read_ValueNotOfItsColumnsType_RefusedNamingTheColumnItsTypeAndTheValue(string type, string value)
    {
        var ex = Assert.Throws<FormatException>(() => QueryResultRow.Read(ResultSet([("c", type)], [value])));

        Messages.AssertNames(ex.Message, $"c ({type})", $"\"{value}\"");
    }

    [Fact]
    public void Read_NotAResultSet_RefusedSayingWhatItNeeds()
    {
        var ex = Assert.Throws<FormatException>(() => QueryResultRow.Read(JsonDocument.Parse("""{"Rows": []}""").RootElement));

        Messages.AssertNames(ex.Message, "Rows", "ResultSetMetadata.ColumnInfo");
    }

    [Fact]
    public void Read_RowWithoutData_RefusedAsNotAResultSet()
    {
        var resultSet = """{"Rows": [{"Data": [{"VarCharValue": "rows"}]}, {}], "ResultSetMetadata": {"ColumnInfo": [{"Name": "rows", "Type": "bigint"}]}}""";

        var ex = Assert.Throws<FormatException>(() => QueryResultRow.Read(JsonDocument.Parse(resultSet).RootElement));

        Messages.AssertNames(ex.Message, "Data");
    }

    [Fact]
    public void Read_NullValue_RefusedAsNotAResultSet()
    {
        var resultSet = """{"Rows": [{"Data": [{"VarCharValue": "rows"}]}, {"Data": [null]}], "ResultSetMetadata": {"ColumnInfo": [{"Name": "rows", "Type": "bigint"}]}}""";

        var ex = Assert.Throws<FormatException>(() => QueryResultRow.Read(JsonDocument.Parse(resultSet).RootElement));

        Messages.AssertNames(ex.Message, "null");
    }
}
