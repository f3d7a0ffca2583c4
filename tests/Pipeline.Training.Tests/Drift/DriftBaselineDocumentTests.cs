using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Training.Drift;
using Pipeline.Training.Tests.Support;

namespace Pipeline.Training.Tests.Drift;

public sealed class DriftBaselineDocumentTests
{
    private static readonly DriftBaseline Baseline = new()
    {
        Schema = "telemetry",
        Run = "run-1",
        Rows = 1000,
        Numeric = [new NumericBaseline("torque_nm", 990, 0.01, 3.5, 76.6, 40.1, 9.9, [30.2, 40.0, 50.3], [0.2, 0.3, 0.3, 0.2])],
        Categorical = [new CategoricalBaseline("product_quality", 1000, 0, [new("L", 0.5), new("M", 0.3), new("H", 0.2)])],
        Scores = new NumericBaseline("prediction_score", 250, 0, 0.001, 0.998, 0.04, 0.1, [0.5], [0.9, 0.1]),
    };

    [Fact]
    public void Write_Baseline_EveryValueUnderItsName()
    {
        var json = JsonNode.Parse(DriftBaselineDocument.Write(Baseline))!;

        Assert.Equal(("telemetry", "run-1", 1000L), ((string)json["schema"]!, (string)json["run"]!, (long)json["rows"]!));
        Assert.Equal(
            """{"feature":"torque_nm","count":990,"missingShare":0.01,"min":3.5,"max":76.6,"mean":40.1,"standardDeviation":9.9,"binEdges":[30.2,40,50.3],"binShares":[0.2,0.3,0.3,0.2]}""",
            json["numeric"]![0]!.ToJsonString());
        Assert.Equal(
            """{"feature":"product_quality","count":1000,"missingShare":0,"shares":[{"category":"L","share":0.5},{"category":"M","share":0.3},{"category":"H","share":0.2}]}""",
            json["categorical"]![0]!.ToJsonString());
        Assert.Equal("prediction_score", (string)json["scores"]!["feature"]!);
    }

    [Fact]
    public void Read_WrittenDocument_TheSameBaseline()
    {
        var read = DriftBaselineDocument.Read(DriftBaselineDocument.Write(Baseline));

        Assert.Equal(DriftBaselineDocument.Write(Baseline), DriftBaselineDocument.Write(read));
        Assert.Equal([30.2, 40.0, 50.3], read.Numeric[0].BinEdges);
        Assert.Equal(["L", "M", "H"], read.Categorical[0].Shares.Select(s => s.Key));
    }

    [Fact]
    public void Read_WithoutScores_NoPredictionBaseline()
    {
        var read = DriftBaselineDocument.Read(DriftBaselineDocument.Write(Baseline with { Scores = null }));

        Assert.Null(read.Scores);
    }

    [Theory]
    [InlineData("rows", "0", "$.rows", "0")]
    [InlineData("rows", "\"many\"", "$.rows")]
    [InlineData("run", "\"\"", "$.run")]
    [InlineData("numeric", "{}", "$.numeric")]
    [InlineData("numeric.0", "null", "$.numeric[0]")]
    [InlineData("numeric.0.count", "1001", "$.numeric[0].count", "1001", "1000")]
    [InlineData("numeric.0.min", "80", "$.numeric[0]", "80", "76.6")]
    [InlineData("numeric.0.binEdges", "[30.2,30.2,50.3]", "$.numeric[0].binEdges")]
    [InlineData("numeric.0.binShares", "[0.5,0.5]", "$.numeric[0].binShares", "2", "3")]
    [InlineData("numeric.0.binShares", "[0.2,0.3,0.3,0.3]", "$.numeric[0].binShares", "1.1")]
    [InlineData("numeric.0.missingShare", "1.5", "$.numeric[0].missingShare")]
    [InlineData("numeric.0.mean", "\"40\"", "$.numeric[0].mean")]
    [InlineData("categorical.0.shares.1.share", "-0.3", "$.categorical[0].shares[1].share")]
    [InlineData("categorical.0.shares.2.category", "null", "$.categorical[0].shares[2].category")]
    public void Read_DocumentWithABadValue_RefusedNamingWhereAndTheValue(string path, string value, params string[] named)
    {
        var json = JsonNode.Parse(DriftBaselineDocument.Write(Baseline))!;
        var parts = path.Split('.');
        var parent = parts[..^1].Aggregate(json, (node, part) => int.TryParse(part, out var i) ? node[i]! : node[part]!);
        var replacement = JsonNode.Parse(value);
        if (int.TryParse(parts[^1], out var index))
        {
            parent[index] = replacement;
        }
        else
        {
            parent[parts[^1]] = replacement;
        }

        var ex = Assert.Throws<FormatException>(() => DriftBaselineDocument.Read(Encoding.UTF8.GetBytes(json.ToJsonString())));

        Assert.StartsWith(DriftBaselineDocument.FileName, ex.Message, StringComparison.Ordinal);
        Messages.AssertNames(ex.Message, named);
    }

    [Fact]
    public void Read_NotJson_Refused()
    {
        var ex = Assert.Throws<FormatException>(() => DriftBaselineDocument.Read("{\"rows\": "u8.ToArray()));

        Assert.IsAssignableFrom<JsonException>(ex.InnerException);
    }

    [Theory]
    [InlineData("schema")]
    [InlineData("numeric")]
    [InlineData("categorical")]
    public void Read_PropertyMissing_RefusedNamingIt(string name)
    {
        var json = JsonNode.Parse(DriftBaselineDocument.Write(Baseline))!.AsObject();
        json.Remove(name);

        var ex = Assert.Throws<FormatException>(() => DriftBaselineDocument.Read(Encoding.UTF8.GetBytes(json.ToJsonString())));

        Messages.AssertNames(ex.Message, DriftBaselineDocument.FileName, $"'{name}'");
    }
}
