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
    [InlineData("""{"action":"plan","time":"2026-12-06T19:05:12.345Z"}""", "baseline is missing or empty; expected the served model's baseline, s3://pipeline-lake-test/models/<run>/drift-baseline.json.")]
    [InlineData("""{"action":"plan","baseline":7,"time":"2026-12-06T19:05:12.345Z"}""", "baseline is a JSON number; expected the served model's baseline, s3://pipeline-lake-test/models/<run>/drift-baseline.json.")]
    [InlineData("""{"action":"plan","baseline":"s3://other-bucket/models/run-1/drift-baseline.json","time":"2026-12-06T19:05:12.345Z"}""", "baseline is 's3://other-bucket/models/run-1/drift-baseline.json'; expected the served model's baseline, s3://pipeline-lake-test/models/<run>/drift-baseline.json.")]
    [InlineData("""{"action":"plan","baseline":"s3://pipeline-lake-test/training/run-1/drift-baseline.json","time":"2026-12-06T19:05:12.345Z"}""", "baseline is 's3://pipeline-lake-test/training/run-1/drift-baseline.json'; expected the served model's baseline, s3://pipeline-lake-test/models/<run>/drift-baseline.json.")]
    [InlineData("""{"action":"plan","baseline":"s3://pipeline-lake-test/models/run-1/manifest.json","time":"2026-12-06T19:05:12.345Z"}""", "baseline is 's3://pipeline-lake-test/models/run-1/manifest.json'; expected the served model's baseline, s3://pipeline-lake-test/models/<run>/drift-baseline.json.")]
    [InlineData("""{"action":"plan","baseline":"s3://pipeline-lake-test/models/drift-baseline.json","time":"2026-12-06T19:05:12.345Z"}""", "baseline is 's3://pipeline-lake-test/models/drift-baseline.json'; expected the served model's baseline, s3://pipeline-lake-test/models/<run>/drift-baseline.json.")]
    [InlineData("""{"action":"plan","baseline":"s3://pipeline-lake-test/models/telemetry-20261129-0300/drift-baseline.json"}""", "time is missing or empty; expected the execution's start time ($$.Execution.StartTime), e.g. 2026-12-06T19:05:12.345Z.")]
    [InlineData("""{"action":"plan","baseline":"s3://pipeline-lake-test/models/telemetry-20261129-0300/drift-baseline.json","time":"2026-12-06 19:05"}""", "time is '2026-12-06 19:05'; expected the execution's start time ($$.Execution.StartTime), e.g. 2026-12-06T19:05:12.345Z.")]
    [InlineData("""{"action":"plan","baseline":"s3://pipeline-lake-test/models/telemetry-20261129-0300/drift-baseline.json","time":"2026-12-06T19:05:12"}""", "time is '2026-12-06T19:05:12'; expected the execution's start time ($$.Execution.StartTime), e.g. 2026-12-06T19:05:12.345Z.")]
    [InlineData("""{"action":"plan","baseline":"s3://pipeline-lake-test/models/telemetry-20261129-0300/drift-baseline.json","time":"2026-12-06T19:05:12.345Z","windowEnd":"2026-12-06T18:30:00Z"}""", "windowEnd is '2026-12-06T18:30:00Z'; expected null or a whole UTC hour such as 2026-12-06T19:00:00Z.")]
    [InlineData("""{"action":"plan","baseline":"s3://pipeline-lake-test/models/telemetry-20261129-0300/drift-baseline.json","time":"2026-12-06T19:05:12.345Z","windowEnd":1796583600}""", "windowEnd is a JSON number; expected null or a whole UTC hour such as 2026-12-06T19:00:00Z.")]
    [InlineData("""{"action":"plan","baseline":"s3://pipeline-lake-test/models/telemetry-20261129-0300/drift-baseline.json","time":"2026-12-06T19:05:12.345Z","windowEnd":"2026-12-06T20:00:00Z"}""", "windowEnd is 2026-12-06T20:00:00Z, after the execution's start time 2026-12-06T19:05:12.345Z; expected a window that has ended.")]
    public async Task Plan_MalformedEvent_ThrowsSayingWhatWasExpected(string json, string message)
    {
        var ex = await Assert.ThrowsAsync<InvalidEventException>(() => CreateFunction().HandleAsync(Payloads.Stream(json)));

        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public async Task Plan_BaselineNotInTheLake_ThrowsFileNotFound()
    {
        var ex = await Assert.ThrowsAsync<FileNotFoundException>(() => CreateFunction().HandleAsync(Payloads.Stream(PlanEvent(baseline: Lake + "models/run-2/drift-baseline.json"))));

        Assert.Equal("s3://pipeline-lake-test/models/run-2/drift-baseline.json does not exist (NoSuchKey).", ex.Message);
    }

    [Fact]
    public async Task Plan_BaselineDocumentDamaged_ThrowsNamingTheDocumentAndWhatIsWrong()
    {
        _store.Objects[(S3rverServer.Bucket, DriftFixtures.BaselineKey)] = Encoding.UTF8.GetBytes("""{"schema":"telemetry","run":"r","rows":"many"}""");

        var ex = await Assert.ThrowsAsync<InvalidEventException>(() => CreateFunction().HandleAsync(Payloads.Stream(PlanEvent())));

        Assert.Equal($"{DriftFixtures.BaselineUri}: drift-baseline.json: $.rows must be a whole number.", ex.Message);
    }

    [Fact]
    public async Task Plan_BaselineOfAnotherSchema_ThrowsNamingBoth()
    {
        _store.Objects[(S3rverServer.Bucket, DriftFixtures.BaselineKey)] = DriftBaselineDocument.Write(DriftFixtures.Baseline with { Schema = "orders" });

        var ex = await Assert.ThrowsAsync<InvalidEventException>(() => CreateFunction().HandleAsync(Payloads.Stream(PlanEvent())));

        Assert.Equal(
            $"{DriftFixtures.BaselineUri} is a baseline of schema 'orders'; expected one of 'telemetry', the schema the endpoint's model reads.", ex.Message);
    }

    [Fact]
    public async Task Plan_BaselineOfOtherFeatures_ThrowsNamingBoth()
    {
        var other = DriftFixtures.Baseline with { Numeric = DriftFixtures.Baseline.Numeric.Skip(1).ToList() };
        _store.Objects[(S3rverServer.Bucket, DriftFixtures.BaselineKey)] = DriftBaselineDocument.Write(other);

        var ex = await Assert.ThrowsAsync<InvalidEventException>(() => CreateFunction().HandleAsync(Payloads.Stream(PlanEvent())));

        Assert.Equal(
            $"{DriftFixtures.BaselineUri}: The baseline's features (process_temperature_k, rotational_speed_rpm, torque_nm, tool_wear_min, vibration_mm_s, product_quality) " +
            "are not the model's (air_temperature_k, process_temperature_k, rotational_speed_rpm, torque_nm, tool_wear_min, vibration_mm_s, product_quality); " +
            "use the baseline of the model this layout trained. (Parameter 'baseline')",
            ex.Message);
    }

    [Theory]
    [InlineData("""{"time":"2026-12-06T19:05:12.345Z"}""", "action is missing; expected an object with \"action\": \"plan\" (with \"baseline\", \"time\" and optional \"windowEnd\") or \"assess\" (with \"baseline\", \"window\" {\"start\",\"end\"} and \"result\", the window statement's GetQueryResults ResultSet).")]
    [InlineData("""{"action":"judge"}""", "action is 'judge'; expected \"plan\" or \"assess\".")]
    [InlineData("""{"action":["plan"]}""", "action is '[\"plan\"]'; expected \"plan\" or \"assess\".")]
    [InlineData("""["plan"]""", "The event is a JSON array; expected an object with \"action\": \"plan\" (with \"baseline\", \"time\" and optional \"windowEnd\") or \"assess\" (with \"baseline\", \"window\" {\"start\",\"end\"} and \"result\", the window statement's GetQueryResults ResultSet).")]
    public async Task Handle_NoKnownAction_ThrowsNamingEveryAction(string json, string message)
    {
        var ex = await Assert.ThrowsAsync<InvalidEventException>(() => CreateFunction().HandleAsync(Payloads.Stream(json)));

        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public async Task Assess_DriftedWindow_ReturnsTheVerdictTheDriftedFeaturesWorstFirstAndTheSummary()
    {
        var verdict = await Invoke(CreateFunction(), AssessEvent(AlarmCounts()));

        Assert.Equal(["level", "rows", "violations", "maxPsi", "drifted", "report", "summary"], verdict.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("Alarm", 1200L, 3L), (verdict.GetProperty("level").GetString(), verdict.GetProperty("rows").GetInt64(), verdict.GetProperty("violations").GetInt64()));
        // (0.05 - 0.3) ln(0.05 / 0.3) + (0.2 - 0.4) ln(0.5) + (0.75 - 0.3) ln(2.5): the largest feature PSI (the scores are apart).
        Assert.Equal(0.998900, verdict.GetProperty("maxPsi").GetDouble(), 6);
        Assert.Equal("""["process_temperature_k","prediction_score","torque_nm"]""", verdict.GetProperty("drifted").GetRawText());
        Assert.Equal(Lake + ReportKey, verdict.GetProperty("report").GetString());
        Assert.Equal(
            "Drift alarm on mlpipe-endpoint, 2026-12-06 18:00 to 19:00 UTC, 1200 requests: process_temperature_k PSI 1.00 (alarm from 0.2), " +
            "prediction_score PSI 0.42 (alarm from 0.2), torque_nm PSI 0.14 (warning from 0.1); 3 schema violations (1 with unknown fields, 2 with wrong types). " +
            $"Report: {Lake}{ReportKey}",
            verdict.GetProperty("summary").GetString());
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
        Assert.Equal(
            $"Drift warning on mlpipe-endpoint, 2026-12-06 18:00 to 19:00 UTC, 1200 requests: torque_nm PSI 0.14 (warning from 0.1). Report: {Lake}{ReportKey}",
            verdict.GetProperty("summary").GetString());
    }

    [Fact]
    public async Task Assess_StableWindow_SummaryGivesTheLargestPsi()
    {
        var counts = DriftFixtures.Counts(("torque_nm__bin_0", 300), ("torque_nm__bin_1", 480), ("torque_nm__bin_2", 420));

        var verdict = await Invoke(CreateFunction(), AssessEvent(counts));

        Assert.Equal(("Stable", "[]"), (verdict.GetProperty("level").GetString(), verdict.GetProperty("drifted").GetRawText()));
        Assert.Equal(0.016824, verdict.GetProperty("maxPsi").GetDouble(), 6);
        Assert.Equal(
            $"No drift on mlpipe-endpoint, 2026-12-06 18:00 to 19:00 UTC, 1200 requests: every PSI below 0.1 (largest 0.02, torque_nm). Report: {Lake}{ReportKey}",
            verdict.GetProperty("summary").GetString());
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
            $$"""{"level":"InsufficientData","rows":12,"violations":1,"maxPsi":0,"drifted":[],"report":"{{Lake}}{{ReportKey}}","summary":"Too few requests to judge drift on mlpipe-endpoint, 2026-12-06 18:00 to 19:00 UTC: 12 requests, fewer than the 100 needed; 1 schema violation (1 with missing fields). Report: {{Lake}}{{ReportKey}}"}""",
            verdict.GetRawText());
        Assert.Single(LogLines[..^1]);
    }

    [Fact]
    public async Task Assess_NoRequestsCaptured_NullSumsCountAsZero()
    {
        // Athena's sums over no rows are NULL: only "rows" (a count) has a value.
        var counts = new Dictionary<string, long?>(StringComparer.Ordinal) { ["rows"] = 0 };

        var verdict = await Invoke(CreateFunction(), AssessEvent(counts));

        Assert.Equal(("InsufficientData", 0L, 0L), (verdict.GetProperty("level").GetString(), verdict.GetProperty("rows").GetInt64(), verdict.GetProperty("violations").GetInt64()));
        Assert.Equal(
            $"Too few requests to judge drift on mlpipe-endpoint, 2026-12-06 18:00 to 19:00 UTC: 0 requests, fewer than the 100 needed. Report: {Lake}{ReportKey}",
            verdict.GetProperty("summary").GetString());
    }

    [Fact]
    public async Task Assess_WindowAcrossMidnight_SummaryGivesBothDates()
    {
        var window = """{"start":"2026-12-05T19:00:00Z","end":"2026-12-06T19:00:00Z"}""";

        var verdict = await Invoke(CreateFunction(), AssessEvent(DriftFixtures.ResultSet(DriftFixtures.Baseline, DriftFixtures.Counts(("rows", 1))), window));

        Assert.StartsWith(
            "Too few requests to judge drift on mlpipe-endpoint, 2026-12-05 19:00 to 2026-12-06 19:00 UTC: 1 request, fewer than the 100 needed.",
            verdict.GetProperty("summary").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("null", "window is missing; expected the plan's window {\"start\",\"end\"}.")]
    [InlineData("""{"start":"2026-12-06T18:00:00Z"}""", "window.end is missing or empty; expected a whole UTC hour such as 2026-12-06T19:00:00Z.")]
    [InlineData("""{"start":"2026-12-06T18:00:00.5Z","end":"2026-12-06T19:00:00Z"}""", "window.start is '2026-12-06T18:00:00.5Z'; expected a whole UTC hour such as 2026-12-06T19:00:00Z.")]
    [InlineData("""{"start":"2026-12-06T19:00:00Z","end":"2026-12-06T19:00:00Z"}""", "window is 2026-12-06T19:00:00Z to 2026-12-06T19:00:00Z; expected the plan's window, start before end.")]
    public async Task Assess_WindowMalformed_ThrowsSayingWhatWasExpectedAndWritesNothing(string window, string message)
    {
        var ex = await Assert.ThrowsAsync<InvalidEventException>(() => CreateFunction().HandleAsync(Payloads.Stream(AssessEvent(DriftFixtures.ResultSet(DriftFixtures.Baseline, DriftFixtures.Counts()), window))));

        Assert.Equal(message, ex.Message);
        Assert.Empty(_store.Puts);
    }

    [Theory]
    [InlineData("null", "result is missing; expected the window statement's GetQueryResults ResultSet ({\"Rows\":[…],\"ResultSetMetadata\":{\"ColumnInfo\":[…]}}).")]
    [InlineData("""{"Rows":[]}""", "result: Not an Athena ResultSet: it needs Rows and ResultSetMetadata.ColumnInfo. Expected the window statement's GetQueryResults ResultSet ({\"Rows\":[…],\"ResultSetMetadata\":{\"ColumnInfo\":[…]}}).")]
    [InlineData("""{"Rows":[{"Data":[{"VarCharValue":"rows"}]}],"ResultSetMetadata":{"ColumnInfo":[{"Name":"rows","Type":"bigint"}]}}""", "result: The query returned 0 rows; a single-row query returns a header and exactly one row. Expected the window statement's GetQueryResults ResultSet ({\"Rows\":[…],\"ResultSetMetadata\":{\"ColumnInfo\":[…]}}).")]
    [InlineData("""{"Rows":[{"Data":[{"VarCharValue":"rows"}]},{}],"ResultSetMetadata":{"ColumnInfo":[{"Name":"rows","Type":"bigint"}]}}""", "result: Not an Athena ResultSet: The given key was not present in the dictionary. Expected the window statement's GetQueryResults ResultSet ({\"Rows\":[…],\"ResultSetMetadata\":{\"ColumnInfo\":[…]}}).")]
    public async Task Assess_ResultNotAResultSet_ThrowsSayingWhatWasExpectedAndWritesNothing(string result, string message)
    {
        var ex = await Assert.ThrowsAsync<InvalidEventException>(() => CreateFunction().HandleAsync(Payloads.Stream(AssessEvent(result))));

        Assert.Equal(message, ex.Message);
        Assert.Empty(_store.Puts);
    }

    [Fact]
    public async Task Assess_ResultWithoutAColumn_ThrowsNamingItAndTheBaseline()
    {
        var result = DriftFixtures.ResultSet([("rows", "bigint", "1200")]);

        var ex = await Assert.ThrowsAsync<InvalidEventException>(() => CreateFunction().HandleAsync(Payloads.Stream(AssessEvent(result))));

        Assert.Equal(
            $"result has no column air_temperature_k__missing; expected the result of the statement plan returned for the baseline {DriftFixtures.BaselineUri}.",
            ex.Message);
    }

    [Theory]
    [InlineData("bigint", "-1", "result column rows is -1; expected a count, a whole number 0 or more.")]
    [InlineData("double", "12.5", "result column rows is 12.5; expected a count, a whole number 0 or more.")]
    [InlineData("varchar", "many", "result column rows is \"many\"; expected a count, a whole number 0 or more.")]
    [InlineData("bigint", "1.5", "result: Column rows (bigint) holds \"1.5\", which is not a value of that type. Expected the window statement's GetQueryResults ResultSet ({\"Rows\":[…],\"ResultSetMetadata\":{\"ColumnInfo\":[…]}}).")]
    public async Task Assess_CountNotAWholeNumber_ThrowsNamingTheColumn(string type, string value, string message)
    {
        var result = DriftFixtures.ResultSet([("rows", type, value)]);

        var ex = await Assert.ThrowsAsync<InvalidEventException>(() => CreateFunction().HandleAsync(Payloads.Stream(AssessEvent(result))));

        Assert.Equal(message, ex.Message);
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
