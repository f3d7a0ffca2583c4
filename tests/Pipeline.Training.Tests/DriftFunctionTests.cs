using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Pipeline.Training.Drift;
using Pipeline.Drift;
using Pipeline.Lambda.Storage;
using Pipeline.Training.Tests.Support;

namespace Pipeline.Training.Tests;

/// <summary>The drift function's <c>plan</c> and <c>assess</c> actions, with the lake as an in-memory store.</summary>
public sealed class DriftFunctionTests : IDisposable
{
    private const string Lake = "s3://" + S3rverServer.Bucket + "/";
    private const string Time = "2026-12-06T19:05:12.345Z";
    private const string ReportKey = "drift/mlpipe-endpoint/20261206T1900Z/report.json";
    private const string Window = """{"start":"2026-12-06T18:00:00Z","end":"2026-12-06T19:00:00Z"}""";

    private static readonly DateTimeOffset Start = new(2026, 12, 6, 18, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset End = Start.AddHours(1);

    private readonly RecordingStore _store = new();
    private readonly StringWriter _log = new() { NewLine = "\n" };

    public DriftFunctionTests()
    {
        _store.Objects[(S3rverServer.Bucket, DriftFixtures.BaselineKey)] = DriftBaselineDocument.Write(DriftFixtures.Baseline);
    }

    public void Dispose()
    {
        _log.Dispose();
        GC.SuppressFinalize(this);
    }

    private Function CreateFunction(Action<Dictionary<string, string>>? edit = null) => new(DriftFixtures.Configuration(edit), _store, _log);

    private string[] LogLines => _log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static async Task<JsonElement> Invoke(Function function, string json)
    {
        using var document = JsonDocument.Parse(await function.HandleAsync(Payloads.Stream(json)));
        return document.RootElement.Clone();
    }

    private static string PlanEvent(string windowEnd = "null", string baseline = DriftFixtures.BaselineUri, string time = Time) =>
        $$"""{"action":"plan","baseline":"{{baseline}}","time":"{{time}}","windowEnd":{{windowEnd}}}""";

    private static string AssessEvent(string result, string window = Window, string baseline = DriftFixtures.BaselineUri) =>
        $$"""{"action":"assess","baseline":"{{baseline}}","window":{{window}},"result":{{result}}}""";

    private static string AssessEvent(IReadOnlyDictionary<string, long?> counts) => AssessEvent(DriftFixtures.ResultSet(DriftFixtures.Baseline, counts));

    /// <summary>Process temperature and the scores alarm (PSI 0.9989, 0.4159), torque warns (0.1386); 1 unknown-field and 2 wrong-type records.</summary>
    private static Dictionary<string, long?> AlarmCounts() => DriftFixtures.Counts(
        ("process_temperature_k__bin_0", 60), ("process_temperature_k__bin_1", 240), ("process_temperature_k__bin_2", 900),
        ("torque_nm__bin_0", 180), ("torque_nm__bin_1", 540), ("torque_nm__bin_2", 480),
        ("prediction_score__bin_0", 600), ("prediction_score__bin_1", 600),
        ("unknown_fields", 1), ("wrong_types", 2));

    [Fact]
    public async Task Plan_TimeWithinAnHour_ReturnsTheStatementForTheHourEndingAtTheHourBefore()
    {
        var plan = await Invoke(CreateFunction(), PlanEvent());

        Assert.Equal(["sql", "window", "baselineRun"], plan.EnumerateObject().Select(p => p.Name));
        Assert.Equal(DriftFixtures.Sql(DriftFixtures.Baseline, Start, End), plan.GetProperty("sql").GetString());
        Assert.Equal(Window, plan.GetProperty("window").GetRawText());
        Assert.Equal(DriftFixtures.Run, plan.GetProperty("baselineRun").GetString());
    }

    [Fact]
    public async Task Plan_WindowEndGiven_WindowEndsThere()
    {
        var plan = await Invoke(CreateFunction(v => v["WINDOW_HOURS"] = "24"), PlanEvent(windowEnd: "\"2026-12-05T00:00:00Z\""));

        Assert.Equal("""{"start":"2026-12-04T00:00:00Z","end":"2026-12-05T00:00:00Z"}""", plan.GetProperty("window").GetRawText());
        Assert.Equal(
            DriftFixtures.Sql(DriftFixtures.Baseline, new(2026, 12, 4, 0, 0, 0, TimeSpan.Zero), new(2026, 12, 5, 0, 0, 0, TimeSpan.Zero)),
            plan.GetProperty("sql").GetString());
    }

    [Fact]
    public async Task Plan_WindowEndTheStartTimesHour_Accepted()
    {
        var plan = await Invoke(CreateFunction(), PlanEvent(windowEnd: "\"2026-12-06T19:00:00Z\"", time: "2026-12-06T19:00:00Z"));

        Assert.Equal(Window, plan.GetProperty("window").GetRawText());
    }

    [Fact]
    public async Task Plan_Event_ReadsOnlyTheBaselineAndWritesNothing()
    {
        await Invoke(CreateFunction(), PlanEvent());

        Assert.Equal([(S3rverServer.Bucket, DriftFixtures.BaselineKey)], _store.Gets);
        Assert.Empty(_store.Puts);
    }

    [Fact]
    public async Task Plan_Event_LogsTheWindowPlanned()
    {
        await Invoke(CreateFunction(), PlanEvent());

        Assert.Equal(
            [$$"""{"level":"INFO","message":"Drift window planned.","event":"drift_window_planned","endpoint":"mlpipe-endpoint","window":{{Window}},"baselineRun":"{{DriftFixtures.Run}}"}"""],
            LogLines);
    }

    [Theory]
    [InlineData("""{"action":"plan","time":"2026-12-06T19:05:12.345Z"}""", "baseline")]
    [InlineData("""{"action":"plan","baseline":7,"time":"2026-12-06T19:05:12.345Z"}""", "baseline", "number")]
    [InlineData("""{"action":"plan","baseline":"s3://other-bucket/models/run-1/drift-baseline.json","time":"2026-12-06T19:05:12.345Z"}""", "baseline", "'s3://other-bucket/models/run-1/drift-baseline.json'")]
    [InlineData("""{"action":"plan","baseline":"s3://pipeline-lake-test/training/run-1/drift-baseline.json","time":"2026-12-06T19:05:12.345Z"}""", "baseline", "'s3://pipeline-lake-test/training/run-1/drift-baseline.json'")]
    [InlineData("""{"action":"plan","baseline":"s3://pipeline-lake-test/models/run-1/manifest.json","time":"2026-12-06T19:05:12.345Z"}""", "baseline", "'s3://pipeline-lake-test/models/run-1/manifest.json'")]
    [InlineData("""{"action":"plan","baseline":"s3://pipeline-lake-test/models/drift-baseline.json","time":"2026-12-06T19:05:12.345Z"}""", "baseline", "'s3://pipeline-lake-test/models/drift-baseline.json'")]
    [InlineData("""{"action":"plan","baseline":"BASE"}""", "time")]
    [InlineData("""{"action":"plan","baseline":"BASE","time":"2026-12-06 19:05"}""", "time", "'2026-12-06 19:05'")]
    [InlineData("""{"action":"plan","baseline":"BASE","time":"2026-12-06T19:05:12"}""", "time", "'2026-12-06T19:05:12'")]
    [InlineData("""{"action":"plan","baseline":"BASE","time":"2026-12-06T19:05:12.345Z","windowEnd":"2026-12-06T18:30:00Z"}""", "windowEnd", "'2026-12-06T18:30:00Z'")]
    [InlineData("""{"action":"plan","baseline":"BASE","time":"2026-12-06T19:05:12.345Z","windowEnd":1796583600}""", "windowEnd", "number")]
    [InlineData("""{"action":"plan","baseline":"BASE","time":"2026-12-06T19:05:12.345Z","windowEnd":"2026-12-06T20:00:00Z"}""", "windowEnd", "2026-12-06T20:00:00Z", "2026-12-06T19:05:12.345Z")]
    public async Task Plan_MalformedEvent_ThrowsNamingTheFieldAndItsValue(string json, string field, params string[] values)
    {
        var ex = await Assert.ThrowsAsync<InvalidEventException>(
            () => CreateFunction().HandleAsync(Payloads.Stream(json.Replace("BASE", DriftFixtures.BaselineUri, StringComparison.Ordinal))));

        Messages.AssertField(ex.Message, field, values);
    }

    [Fact]
    public async Task Plan_BaselineNotInTheLake_ThrowsFileNotFoundForItsUri()
    {
        var ex = await Assert.ThrowsAsync<FileNotFoundException>(() => CreateFunction().HandleAsync(Payloads.Stream(PlanEvent(baseline: Lake + "models/run-2/drift-baseline.json"))));

        Assert.Equal(Lake + "models/run-2/drift-baseline.json", ex.FileName);
    }

    [Fact]
    public async Task Plan_BaselineDocumentDamaged_ThrowsNamingTheDocumentAndWhatIsWrong()
    {
        _store.Objects[(S3rverServer.Bucket, DriftFixtures.BaselineKey)] = Encoding.UTF8.GetBytes("""{"schema":"telemetry","run":"r","rows":"many"}""");

        var ex = await Assert.ThrowsAsync<InvalidEventException>(() => CreateFunction().HandleAsync(Payloads.Stream(PlanEvent())));

        Assert.StartsWith(DriftFixtures.BaselineUri + ": ", ex.Message, StringComparison.Ordinal);
        Messages.AssertNames(ex.Message, "$.rows");
    }

    [Fact]
    public async Task Plan_BaselineOfAnotherSchema_ThrowsNamingBoth()
    {
        _store.Objects[(S3rverServer.Bucket, DriftFixtures.BaselineKey)] = DriftBaselineDocument.Write(DriftFixtures.Baseline with { Schema = "orders" });

        var ex = await Assert.ThrowsAsync<InvalidEventException>(() => CreateFunction().HandleAsync(Payloads.Stream(PlanEvent())));

        Messages.AssertNames(ex.Message, DriftFixtures.BaselineUri, "'orders'", "'telemetry'");
    }

    [Fact]
    public async Task Plan_BaselineOfOtherFeatures_ThrowsNamingTheBaselineAndTheMissingFeature()
    {
        var other = DriftFixtures.Baseline with { Numeric = DriftFixtures.Baseline.Numeric.Skip(1).ToList() };
        _store.Objects[(S3rverServer.Bucket, DriftFixtures.BaselineKey)] = DriftBaselineDocument.Write(other);

        var ex = await Assert.ThrowsAsync<InvalidEventException>(() => CreateFunction().HandleAsync(Payloads.Stream(PlanEvent())));

        Assert.StartsWith(DriftFixtures.BaselineUri + ": ", ex.Message, StringComparison.Ordinal);
        Messages.AssertNames(ex.Message, "air_temperature_k");
    }

    [Theory]
    [InlineData("""{"time":"2026-12-06T19:05:12.345Z"}""", "action", "\"plan\"", "\"assess\"")]
    [InlineData("""{"action":"judge"}""", "action", "'judge'", "\"plan\"", "\"assess\"")]
    [InlineData("""{"action":["plan"]}""", "action", "'[\"plan\"]'")]
    [InlineData("""["plan"]""", "The event", "array", "\"plan\"", "\"assess\"")]
    public async Task Handle_NoKnownAction_ThrowsNamingEveryAction(string json, string field, params string[] values)
    {
        var ex = await Assert.ThrowsAsync<InvalidEventException>(() => CreateFunction().HandleAsync(Payloads.Stream(json)));

        Messages.AssertField(ex.Message, field, values);
    }

    [Fact]
    public async Task Assess_DriftedWindow_ReturnsTheVerdictAndTheDriftedFeaturesWorstFirst()
    {
        var verdict = await Invoke(CreateFunction(), AssessEvent(AlarmCounts()));

        Assert.Equal(["level", "rows", "violations", "maxPsi", "drifted", "report", "summary"], verdict.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("Alarm", 1200L, 3L), (verdict.GetProperty("level").GetString(), verdict.GetProperty("rows").GetInt64(), verdict.GetProperty("violations").GetInt64()));
        // (0.05 - 0.3) ln(0.05 / 0.3) + (0.2 - 0.4) ln(0.5) + (0.75 - 0.3) ln(2.5): the largest feature PSI (the scores are apart).
        Assert.Equal(0.998900, verdict.GetProperty("maxPsi").GetDouble(), 6);
        Assert.Equal("""["process_temperature_k","prediction_score","torque_nm"]""", verdict.GetProperty("drifted").GetRawText());
        Assert.Equal(Lake + ReportKey, verdict.GetProperty("report").GetString());
    }

    [Fact]
    public async Task Assess_DriftedWindow_SummaryNamesTheWindowEachDriftedFeatureWorstFirstTheViolationsAndTheReport()
    {
        var verdict = await Invoke(CreateFunction(), AssessEvent(AlarmCounts()));

        var summary = verdict.GetProperty("summary").GetString()!;
        Messages.AssertNames(summary, "mlpipe-endpoint", "2026-12-06 18:00", "19:00 UTC", "1200 requests", "3 schema violations", Lake + ReportKey);
        string[] features = ["process_temperature_k PSI 1.00 (alarm from 0.2)", "prediction_score PSI 0.42 (alarm from 0.2)", "torque_nm PSI 0.14 (warning from 0.1)"];
        Messages.AssertNames(summary, features);
        Assert.Equal(features, features.OrderBy(f => summary.IndexOf(f, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Assess_DriftedWindow_MaxPsiIsTheAssessmentsExactly()
    {
        var expected = DriftAssessment.Assess(DriftFixtures.Baseline, DriftFixtures.Window(DriftFixtures.Baseline, AlarmCounts()), new DriftThresholds());

        var verdict = await Invoke(CreateFunction(), AssessEvent(AlarmCounts()));

        Assert.Equal(expected.MaxPsi, verdict.GetProperty("maxPsi").GetDouble());
    }

    [Fact]
    public async Task Assess_DriftedWindow_WritesTheReportToTheWindowsKey()
    {
        var counts = AlarmCounts();
        var report = DriftAssessment.Assess(DriftFixtures.Baseline, DriftFixtures.Window(DriftFixtures.Baseline, counts), new DriftThresholds());

        await Invoke(CreateFunction(), AssessEvent(counts));

        var put = Assert.Single(_store.Puts);
        Assert.Equal((S3rverServer.Bucket, ReportKey, "application/json"), (put.Bucket, put.Key, put.ContentType));
        Assert.Equal(
            DriftReportDocument.Write(DriftFixtures.Endpoint, Start, End, DriftFixtures.Run, new DriftThresholds(), report), put.Content);
        Assert.Equal([(S3rverServer.Bucket, DriftFixtures.BaselineKey)], _store.Gets);
    }

    [Fact]
    public async Task Assess_DriftedWindow_LogsTheMetricLinesThenTheVerdict()
    {
        var counts = AlarmCounts();
        var report = DriftAssessment.Assess(DriftFixtures.Baseline, DriftFixtures.Window(DriftFixtures.Baseline, counts), new DriftThresholds());

        var verdict = await Invoke(CreateFunction(), AssessEvent(counts));

        var lines = LogLines;
        // The endpoint's line and one per feature and the scores: 9 EMF lines, then the verdict.
        Assert.Equal(DriftReportDocument.MetricLines(DriftFixtures.Endpoint, End, report), lines[..^1]);
        Assert.Equal(10, lines.Length);
        var maxPsi = verdict.GetProperty("maxPsi").GetRawText();
        Assert.Equal(
            $$"""{"level":"WARN","message":"{{JsonEncodedText.Encode(verdict.GetProperty("summary").GetString()!, JavaScriptEncoder.UnsafeRelaxedJsonEscaping)}}","event":"drift_assessed","endpoint":"mlpipe-endpoint","window":{{Window}},"driftLevel":"Alarm","rows":1200,"violations":3,"maxPsi":{{maxPsi}},"report":"{{Lake}}{{ReportKey}}"}""",
            lines[^1]);
    }

    [Fact]
    public async Task Assess_WarningWindow_SummaryNamesTheWarningAndItsThreshold()
    {
        var counts = DriftFixtures.Counts(("torque_nm__bin_0", 180), ("torque_nm__bin_1", 540), ("torque_nm__bin_2", 480));

        var verdict = await Invoke(CreateFunction(), AssessEvent(counts));

        Assert.Equal(("Warn", """["torque_nm"]"""), (verdict.GetProperty("level").GetString(), verdict.GetProperty("drifted").GetRawText()));
        Messages.AssertNames(verdict.GetProperty("summary").GetString()!, "torque_nm PSI 0.14 (warning from 0.1)", Lake + ReportKey);
    }

    [Fact]
    public async Task Assess_StableWindow_SummaryGivesTheLargestPsi()
    {
        var counts = DriftFixtures.Counts(("torque_nm__bin_0", 300), ("torque_nm__bin_1", 480), ("torque_nm__bin_2", 420));

        var verdict = await Invoke(CreateFunction(), AssessEvent(counts));

        Assert.Equal(("Stable", "[]"), (verdict.GetProperty("level").GetString(), verdict.GetProperty("drifted").GetRawText()));
        Assert.Equal(0.016824, verdict.GetProperty("maxPsi").GetDouble(), 6);
        Messages.AssertNames(verdict.GetProperty("summary").GetString()!, "below 0.1", "largest 0.02, torque_nm", Lake + ReportKey);
    }

    [Fact]
    public async Task Assess_StableWindow_LogsTheVerdictAtInfo()
    {
        await Invoke(CreateFunction(), AssessEvent(DriftFixtures.Counts()));

        using var entry = JsonDocument.Parse(LogLines[^1]);
        Assert.Equal(("INFO", "Stable"), (entry.RootElement.GetProperty("level").GetString(), entry.RootElement.GetProperty("driftLevel").GetString()));
    }

    [Fact]
    public async Task Assess_FewerRequestsThanTheMinimum_InsufficientDataWithTheCountsOnly()
    {
        var counts = DriftFixtures.Counts(("rows", 12), ("missing_fields", 1));

        var verdict = await Invoke(CreateFunction(), AssessEvent(counts));

        Assert.Equal(
            ("InsufficientData", 12L, 1L, "0", "[]", Lake + ReportKey),
            (verdict.GetProperty("level").GetString(), verdict.GetProperty("rows").GetInt64(), verdict.GetProperty("violations").GetInt64(),
             verdict.GetProperty("maxPsi").GetRawText(), verdict.GetProperty("drifted").GetRawText(), verdict.GetProperty("report").GetString()));
        Messages.AssertNames(verdict.GetProperty("summary").GetString()!, "12 requests", "the 100 needed", "1 schema violation", Lake + ReportKey);
        Assert.Single(LogLines[..^1]);
    }

    [Fact]
    public async Task Assess_NoRequestsCaptured_NullSumsCountAsZero()
    {
        // Athena's sums over no rows are NULL: only "rows" (a count) has a value.
        var counts = new Dictionary<string, long?>(StringComparer.Ordinal) { ["rows"] = 0 };

        var verdict = await Invoke(CreateFunction(), AssessEvent(counts));

        Assert.Equal(("InsufficientData", 0L, 0L), (verdict.GetProperty("level").GetString(), verdict.GetProperty("rows").GetInt64(), verdict.GetProperty("violations").GetInt64()));
        Assert.DoesNotContain("violation", verdict.GetProperty("summary").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Assess_WindowAcrossMidnight_SummaryGivesBothDates()
    {
        var window = """{"start":"2026-12-05T19:00:00Z","end":"2026-12-06T19:00:00Z"}""";

        var verdict = await Invoke(CreateFunction(), AssessEvent(DriftFixtures.ResultSet(DriftFixtures.Baseline, DriftFixtures.Counts(("rows", 1))), window));

        Messages.AssertNames(verdict.GetProperty("summary").GetString()!, "2026-12-05 19:00 to 2026-12-06 19:00 UTC", "1 request,");
    }

    [Theory]
    [InlineData("null", "window")]
    [InlineData("""{"start":"2026-12-06T18:00:00Z"}""", "window.end")]
    [InlineData("""{"start":"2026-12-06T18:00:00.5Z","end":"2026-12-06T19:00:00Z"}""", "window.start", "'2026-12-06T18:00:00.5Z'")]
    [InlineData("""{"start":"2026-12-06T19:00:00Z","end":"2026-12-06T19:00:00Z"}""", "window", "2026-12-06T19:00:00Z to 2026-12-06T19:00:00Z")]
    public async Task Assess_WindowMalformed_ThrowsNamingTheFieldAndWritesNothing(string window, string field, params string[] values)
    {
        var ex = await Assert.ThrowsAsync<InvalidEventException>(
            () => CreateFunction().HandleAsync(Payloads.Stream(AssessEvent(DriftFixtures.ResultSet(DriftFixtures.Baseline, DriftFixtures.Counts()), window))));

        Messages.AssertField(ex.Message, field, values);
        Assert.Empty(_store.Puts);
    }

    [Theory]
    [InlineData("null", "result")]
    [InlineData("""{"Rows":[]}""", "result:", "ResultSetMetadata.ColumnInfo")]
    [InlineData("""{"Rows":[{"Data":[{"VarCharValue":"rows"}]}],"ResultSetMetadata":{"ColumnInfo":[{"Name":"rows","Type":"bigint"}]}}""", "result:", "0 rows")]
    [InlineData("""{"Rows":[{"Data":[{"VarCharValue":"rows"}]},{}],"ResultSetMetadata":{"ColumnInfo":[{"Name":"rows","Type":"bigint"}]}}""", "result:", "Data")]
    public async Task Assess_ResultNotAResultSet_ThrowsNamingWhatIsMissingAndWritesNothing(string result, string field, params string[] values)
    {
        var ex = await Assert.ThrowsAsync<InvalidEventException>(() => CreateFunction().HandleAsync(Payloads.Stream(AssessEvent(result))));

        Messages.AssertField(ex.Message, field, values);
        Assert.Empty(_store.Puts);
    }

    [Fact]
    public async Task Assess_ResultWithoutAColumn_ThrowsNamingItAndTheBaseline()
    {
        var result = DriftFixtures.ResultSet([("rows", "bigint", "1200")]);

        var ex = await Assert.ThrowsAsync<InvalidEventException>(() => CreateFunction().HandleAsync(Payloads.Stream(AssessEvent(result))));

        Messages.AssertField(ex.Message, "result", "air_temperature_k__missing", DriftFixtures.BaselineUri);
    }

    [Theory]
    [InlineData("bigint", "-1", "result", "rows", "-1")]
    [InlineData("double", "12.5", "result", "rows", "12.5")]
    [InlineData("varchar", "many", "result", "rows", "\"many\"")]
    [InlineData("bigint", "1.5", "result:", "rows (bigint)", "\"1.5\"")]
    public async Task Assess_CountNotAWholeNumber_ThrowsNamingTheColumnAndItsValue(string type, string value, string field, params string[] values)
    {
        var result = DriftFixtures.ResultSet([("rows", type, value)]);

        var ex = await Assert.ThrowsAsync<InvalidEventException>(() => CreateFunction().HandleAsync(Payloads.Stream(AssessEvent(result))));

        Messages.AssertField(ex.Message, field, values);
    }

    [Fact]
    public async Task Assess_WholeDoubleCount_ReadAsTheCount()
    {
        var columns = DriftFixtures.ResultSet(DriftFixtures.Baseline, DriftFixtures.Counts()).Replace(
            """{"Name":"rows","Label":"rows","Type":"bigint",""", """{"Name":"rows","Label":"rows","Type":"double",""", StringComparison.Ordinal);

        var verdict = await Invoke(CreateFunction(), AssessEvent(columns.Replace("""{"VarCharValue":"1200"}""", """{"VarCharValue":"1200.0"}""", StringComparison.Ordinal)));

        Assert.Equal(1200L, verdict.GetProperty("rows").GetInt64());
    }

    [Fact]
    public async Task Assess_BaselineNotInTheLake_ThrowsFileNotFoundAndWritesNothing()
    {
        var json = AssessEvent(DriftFixtures.ResultSet(DriftFixtures.Baseline, DriftFixtures.Counts()), baseline: Lake + "models/run-2/drift-baseline.json");

        await Assert.ThrowsAsync<FileNotFoundException>(() => CreateFunction().HandleAsync(Payloads.Stream(json)));

        Assert.Empty(_store.Puts);
    }

    [Fact]
    public void ReportKey_WindowEnd_IsTheEndpointsFolderOfThatHour()
    {
        Assert.Equal(ReportKey, Function.ReportKey("mlpipe-endpoint", End));
    }
}
