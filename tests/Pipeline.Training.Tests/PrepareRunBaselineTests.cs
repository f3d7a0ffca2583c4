using System.Globalization;
using System.Text.Json;
using Pipeline.Training.Drift;
using Pipeline.Schema;
using Pipeline.Training;
using Pipeline.Lambda.Storage;
using Pipeline.PrepareRun;
using Pipeline.Training.Tests.Support;
using Pipeline.Testing;

namespace Pipeline.Training.Tests;

/// <summary>
/// The <c>baselineBins</c> and <c>baseline</c> actions: the drift baseline's two GetQueryResults ResultSets in, the bin
/// statement and the baseline written beside the model out.
/// </summary>
public sealed class PrepareRunBaselineTests
{
    private const string RunId = "telemetry-20261129-0300";
    private const string Window = """{"from":"2026-11-01","to":"2026-11-14"}""";
    private const string Key = "models/" + RunId + "/drift-baseline.json";

    private static readonly DateWindow PlanWindow = new(new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 14));

    /// <summary>The statements for the test settings (database pipeline_curated, validation share 0.2).</summary>
    private static readonly DriftBaselineQuery Query = new(new TrainingSetQuery(
        TelemetrySchema.Definition, new TrainingSetQueryOptions { Database = "pipeline_curated", ValidationFraction = 0.2 }));

    private static readonly IReadOnlyList<string> Numeric = [.. TelemetrySchema.Definition.TrainingRoles.NumericFeatures.Select(f => f.Name)];

    /// <summary>
    /// The summary row as (column, Athena type, VarCharValue): 10 rows; every numeric feature 8 values from 1 to 8 with
    /// deciles 2, 2, 5 (edges 2 and 5); product quality 6 L, 3 M, 1 H.
    /// </summary>
    private static List<(string Name, string Type, string? Value)> SummaryColumns()
    {
        List<(string Name, string Type, string? Value)> columns = [("rows", "bigint", "10")];
        foreach (var feature in Numeric)
        {
            columns.Add(($"{feature}__count", "bigint", "8"));
            columns.Add(($"{feature}__min", "double", "1.0"));
            columns.Add(($"{feature}__max", "double", "8.0"));
            columns.Add(($"{feature}__mean", "double", "4.5"));
            columns.Add(($"{feature}__sd", "double", "2.449"));
            columns.Add(($"{feature}__edges", "array", "[2.0, 2.0, 5.0]"));
        }

        columns.Add(("product_quality__count", "bigint", "10"));
        columns.Add(("product_quality__is__L", "bigint", "6"));
        columns.Add(("product_quality__is__M", "bigint", "3"));
        columns.Add(("product_quality__is__H", "bigint", "1"));
        return columns;
    }

    /// <summary>The bin row: every numeric feature 1, 3 and 4 values in its three bins.</summary>
    private static List<(string Name, string Type, string? Value)> BinColumns()
    {
        List<(string Name, string Type, string? Value)> columns = [("rows", "bigint", "10")];
        foreach (var feature in Numeric)
        {
            columns.Add(($"{feature}__bin_0", "bigint", "1"));
            columns.Add(($"{feature}__bin_1", "bigint", "3"));
            columns.Add(($"{feature}__bin_2", "bigint", "4"));
        }

        return columns;
    }

    /// <summary>A GetQueryResults ResultSet as Athena returns it: the header row, then <paramref name="rows"/> data rows.</summary>
    private static string ResultSet(IEnumerable<(string Name, string Type, string? Value)> columns, int rows = 1)
    {
        var list = columns.ToList();
        static string Cell(string? value) => value is null ? "{}" : $$"""{"VarCharValue":"{{value}}"}""";
        var header = $$"""{"Data":[{{string.Join(",", list.Select(c => Cell(c.Name)))}}]}""";
        var data = $$"""{"Data":[{{string.Join(",", list.Select(c => Cell(c.Value)))}}]}""";
        var info = string.Join(",", list.Select(c =>
            $$"""{"CatalogName":"hive","SchemaName":"","TableName":"","Name":"{{c.Name}}","Label":"{{c.Name}}","Type":"{{c.Type}}","Precision":17,"Scale":0,"Nullable":"UNKNOWN","CaseSensitive":false}"""));
        return $$$"""{"Rows":[{{{string.Join(",", Enumerable.Repeat(data, rows).Prepend(header))}}}],"ResultSetMetadata":{"ColumnInfo":[{{{info}}}]}}""";
    }

    private static List<(string Name, string Type, string? Value)> With(
        List<(string Name, string Type, string? Value)> columns, string name, string type, string? value) =>
        [.. columns.Select(c => c.Name == name ? (name, type, value) : c)];

    private static string BinsEvent(string? summary = null, string window = Window) =>
        $$"""{"action":"baselineBins","window":{{window}},"summary":{{summary ?? ResultSet(SummaryColumns())}}}""";

    private static string BaselineEvent(string? summary = null, string? bins = null) =>
        $$"""{"action":"baseline","executionName":"{{RunId}}","window":{{Window}},"summary":{{summary ?? ResultSet(SummaryColumns())}},"bins":{{bins ?? ResultSet(BinColumns())}}}""";

    private static Function CreateFunction(RecordingStore store, TextWriter? log = null) =>
        new(Settings.PrepareRunConfiguration(), store, new FixedClock(Settings.Now), log ?? TextWriter.Null);

    /// <summary>The baseline the test rows describe, built by Core from the same values.</summary>
    private static DriftBaseline ExpectedBaseline()
    {
        var summary = new Dictionary<string, object?>(StringComparer.Ordinal) { ["rows"] = 10L };
        foreach (var feature in Numeric)
        {
            summary[$"{feature}__count"] = 8L;
            summary[$"{feature}__min"] = 1.0;
            summary[$"{feature}__max"] = 8.0;
            summary[$"{feature}__mean"] = 4.5;
            summary[$"{feature}__sd"] = 2.449;
            summary[$"{feature}__edges"] = new List<double> { 2.0, 2.0, 5.0 };
        }

        (summary["product_quality__count"], summary["product_quality__is__L"], summary["product_quality__is__M"], summary["product_quality__is__H"]) = (10L, 6L, 3L, 1L);
        var bins = Numeric
            .SelectMany(f => new[] { ($"{f}__bin_0", 1L), ($"{f}__bin_1", 3L), ($"{f}__bin_2", 4L) })
            .ToDictionary(b => b.Item1, b => b.Item2, StringComparer.Ordinal);
        return Query.Build(RunId, name => summary[name], name => bins[name]);
    }

    [Fact]
    public async Task BaselineBins_SummaryRow_ReturnsTheBinStatementForItsEdges()
    {
        var store = new RecordingStore();
        IReadOnlyList<double> edges = [2.0, 5.0];
        var expected = Query.BinSql(PlanWindow, Numeric.ToDictionary(f => f, _ => edges, StringComparer.Ordinal));

        using var response = JsonDocument.Parse(await CreateFunction(store).HandleAsync(Payloads.Stream(BinsEvent())));

        Assert.Equal([("sql", expected)], response.RootElement.EnumerateObject().Select(p => (p.Name, p.Value.GetString())));
    }

    [Fact]
    public async Task BaselineBins_SummaryRow_WritesNothing()
    {
        var store = new RecordingStore();

        await CreateFunction(store).HandleAsync(Payloads.Stream(BinsEvent()));

        Assert.Empty(store.Puts);
    }

    [Fact]
    public async Task BaselineBins_SummaryRow_LogsThePlannedBins()
    {
        using var log = new StringWriter(CultureInfo.InvariantCulture);

        await CreateFunction(new RecordingStore(), log).HandleAsync(Payloads.Stream(BinsEvent()));

        Assert.Equal(
            """{"level":"INFO","message":"Drift baseline bins planned.","event":"drift_baseline_bins_planned","window":"2026-11-01..2026-11-14","features":6}""" + Environment.NewLine,
            log.ToString());
    }

    [Fact]
    public async Task Baseline_BothRows_WritesTheBaselineBesideTheModel()
    {
        var store = new RecordingStore();

        await CreateFunction(store).HandleAsync(Payloads.Stream(BaselineEvent()));

        var put = Assert.Single(store.Puts);
        Assert.Equal((S3rverServer.Bucket, Key, "application/json"), (put.Bucket, put.Key, put.ContentType));
        Assert.Equal(DriftBaselineDocument.Write(ExpectedBaseline()), put.Content);
    }

    [Fact]
    public async Task Baseline_BothRows_ReturnsTheLocationAndRows()
    {
        var response = Payloads.Text(await CreateFunction(new RecordingStore()).HandleAsync(Payloads.Stream(BaselineEvent())));

        Assert.Equal("""{"location":"s3://pipeline-lake-test/models/telemetry-20261129-0300/drift-baseline.json","rows":10}""", response);
    }

    [Fact]
    public async Task Baseline_BothRows_LogsTheWrittenBaseline()
    {
        using var log = new StringWriter(CultureInfo.InvariantCulture);

        await CreateFunction(new RecordingStore(), log).HandleAsync(Payloads.Stream(BaselineEvent()));

        Assert.Equal(
            """{"level":"INFO","message":"Drift baseline written.","event":"drift_baseline_written","runId":"telemetry-20261129-0300","location":"s3://pipeline-lake-test/models/telemetry-20261129-0300/drift-baseline.json","rows":10}""" + Environment.NewLine,
            log.ToString());
    }

    [Fact]
    public async Task Baseline_ExecutionNameNotARunId_WritesUnderTheDerivedRunId()
    {
        var store = new RecordingStore();
        var json = BaselineEvent().Replace($"\"executionName\":\"{RunId}\"", "\"executionName\":\"manual_1\"", StringComparison.Ordinal);

        var response = Payloads.Text(await CreateFunction(store).HandleAsync(Payloads.Stream(json)));

        var runId = TrainingRunPlan.DeriveRunId("manual_1");
        Assert.Equal($"models/{runId}/drift-baseline.json", Assert.Single(store.Puts).Key);
        Assert.Equal(runId, DriftBaselineDocument.Read(store.Puts[0].Content).Run);
        Assert.Equal($$"""{"location":"s3://pipeline-lake-test/models/{{runId}}/drift-baseline.json","rows":10}""", response);
    }

    [Fact]
    public async Task Baseline_NullBinCount_CountsAsZero()
    {
        var store = new RecordingStore();
        var bins = With(BinColumns(), "torque_nm__bin_0", "bigint", null);

        await CreateFunction(store).HandleAsync(Payloads.Stream(BaselineEvent(bins: ResultSet(bins))));

        var torque = DriftBaselineDocument.Read(Assert.Single(store.Puts).Content).Numeric.Single(f => f.Feature == TelemetrySchema.TorqueNm);
        Assert.Equal([0.0, 3.0 / 7, 4.0 / 7], torque.BinShares);
    }

    public static TheoryData<string, string, string[]> MalformedBinsEvents() => new()
    {
        { """{"action":"baselineBins","summary":{}}""", "window", [] },
        { BinsEvent(window: """{"from":"2026-11-01"}"""), "window.to", [] },
        { BinsEvent(window: """{"to":"2026-11-14"}"""), "window.from", [] },
        { BinsEvent(window: """{"from":"2026-11-01","to":"14.11.2026"}"""), "window.to", ["'14.11.2026'"] },
        { BinsEvent(window: """{"from":"2026-11-01","to":"2026-12-01"}"""), "Requested window", ["To 2026-12-01", "2026-11-29"] },
        { $$"""{"action":"baselineBins","window":{{Window}}}""", "summary", [] },
        { $$"""{"action":"baselineBins","window":{{Window}},"summary":"s"}""", "summary", ["string"] },
        { BinsEvent(summary: """{"Rows":[]}"""), "summary:", ["ResultSetMetadata.ColumnInfo"] },
        { BinsEvent(summary: ResultSet(SummaryColumns(), rows: 2)), "summary:", ["2 rows"] },
        { BinsEvent(summary: ResultSet(With(SummaryColumns(), "torque_nm__edges", "array", "[2.0, x]"))), "summary:", ["torque_nm__edges", "\"[2.0, x]\""] },
        { BinsEvent(summary: ResultSet(With(SummaryColumns(), "torque_nm__edges", "varchar", "2.0 5.0"))), "summary.torque_nm__edges", ["'2.0 5.0'"] },
        { BinsEvent(summary: ResultSet(With(SummaryColumns(), "torque_nm__edges", "double", "2.0"))), "summary.torque_nm__edges", ["number 2"] },
        { BinsEvent(summary: ResultSet(SummaryColumns().Where(c => c.Name != "torque_nm__edges"))), "summary", ["torque_nm__edges"] },
    };

    [Theory]
    [MemberData(nameof(MalformedBinsEvents))]
    public async Task BaselineBins_MalformedEvent_ThrowsNamingTheField(string json, string field, string[] values)
    {
        var ex = await Assert.ThrowsAsync<InvalidEventException>(() => CreateFunction(new RecordingStore()).HandleAsync(Payloads.Stream(json)));

        Messages.AssertField(ex.Message, field, values);
    }

    [Fact]
    public async Task BaselineBins_FeatureWithoutValue_ThrowsNamingIt()
    {
        var summary = ResultSet(With(SummaryColumns(), "vibration_mm_s__edges", "array", null));

        var ex = await Assert.ThrowsAsync<InvalidEventException>(() => CreateFunction(new RecordingStore()).HandleAsync(Payloads.Stream(BinsEvent(summary))));

        Messages.AssertField(ex.Message, "vibration_mm_s");
    }

    public static TheoryData<string, string, string[]> MalformedBaselineEvents() => new()
    {
        { $$$"""{"action":"baseline","window":{{{Window}}},"summary":{},"bins":{}}""", "executionName", [] },
        { $$$"""{"action":"baseline","executionName":"{{{RunId}}}","summary":{},"bins":{}}""", "window", [] },
        {
            $$"""{"action":"baseline","executionName":"has space","window":{{Window}},"summary":{{ResultSet(SummaryColumns())}},"bins":{{ResultSet(BinColumns())}}}""",
            "Execution name",
            ["'has space'"]
        },
        { $$"""{"action":"baseline","executionName":"{{RunId}}","window":{{Window}},"bins":{{ResultSet(BinColumns())}}}""", "summary", [] },
        { $$"""{"action":"baseline","executionName":"{{RunId}}","window":{{Window}},"summary":{{ResultSet(SummaryColumns())}}}""", "bins", [] },
        { BaselineEvent(bins: ResultSet(BinColumns(), rows: 0)), "bins:", ["0 rows"] },
        { BaselineEvent(summary: ResultSet(With(SummaryColumns(), "torque_nm__mean", "varchar", "4.5"))), "summary.torque_nm__mean", ["'4.5'"] },
        { BaselineEvent(bins: ResultSet(With(BinColumns(), "torque_nm__bin_1", "double", "3.0"))), "bins.torque_nm__bin_1", ["number 3"] },
        { BaselineEvent(bins: ResultSet(With(BinColumns(), "torque_nm__bin_1", "bigint", "-3"))), "bins.torque_nm__bin_1", ["-3"] },
        { BaselineEvent(bins: ResultSet(BinColumns().Where(c => c.Name != "torque_nm__bin_2"))), "bins", ["torque_nm__bin_2"] },
        { BaselineEvent(bins: ResultSet(SummaryColumns())), "bins", ["air_temperature_k__bin_0"] },
    };

    [Theory]
    [MemberData(nameof(MalformedBaselineEvents))]
    public async Task Baseline_MalformedEvent_ThrowsNamingTheFieldAndWritesNothing(string json, string field, string[] values)
    {
        var store = new RecordingStore();

        var ex = await Assert.ThrowsAsync<InvalidEventException>(() => CreateFunction(store).HandleAsync(Payloads.Stream(json)));

        Messages.AssertField(ex.Message, field, values);
        Assert.Empty(store.Puts);
    }

    [Fact]
    public async Task Baseline_EmptyTrainSplit_ThrowsAndWritesNothing()
    {
        var store = new RecordingStore();
        var summary = ResultSet(With(SummaryColumns(), "rows", "bigint", "0"));

        var ex = await Assert.ThrowsAsync<InvalidEventException>(() => CreateFunction(store).HandleAsync(Payloads.Stream(BaselineEvent(summary))));

        Assert.Equal("summary", Assert.IsType<ArgumentException>(ex.InnerException).ParamName);
        Assert.Empty(store.Puts);
    }

    [Fact]
    public async Task Baseline_FeatureWithoutValue_ThrowsNamingItAndWritesNothing()
    {
        var store = new RecordingStore();
        var summary = ResultSet(With(SummaryColumns(), "vibration_mm_s__edges", "array", null));

        var ex = await Assert.ThrowsAsync<InvalidEventException>(() => CreateFunction(store).HandleAsync(Payloads.Stream(BaselineEvent(summary))));

        Messages.AssertField(ex.Message, "vibration_mm_s");
        Assert.Empty(store.Puts);
    }
}
