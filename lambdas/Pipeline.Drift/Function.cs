using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Pipeline.Training.Athena;
using Pipeline.Training.Drift;
using Pipeline.Lambda.Storage;

namespace Pipeline.Drift;

/// <summary>
/// The drift state machine's function, two actions chosen by the event's <c>action</c>: <c>plan</c> reads the served
/// model's baseline and returns the Athena statement that counts one window of the endpoint's captured requests in
/// its bins; <c>assess</c> takes that statement's result, judges the window against the baseline, writes the drift
/// report to the lake, logs the drift metrics (CloudWatch embedded metric format) and returns the verdict.
/// The contract is in README.md beside this file.
/// </summary>
/// <remarks>
/// Step Functions invokes it synchronously (<c>arn:aws:states:::lambda:invoke</c>); the response becomes
/// <c>$.Payload</c>. Input it cannot accept throws <see cref="InvalidEventException"/> with what was expected; a
/// baseline that does not exist throws <see cref="FileNotFoundException"/>; a failed S3 call throws the SDK's exception.
/// The runtime posts each as the invocation error.
/// </remarks>
[SuppressMessage(
    "Naming",
    "CA1716:Identifiers should not match keywords",
    Justification = "Function is the Lambda convention for the handler class; no VB consumer exists.")]
public sealed partial class Function
{
    /// <summary>The action that plans a window's statement.</summary>
    public const string PlanAction = "plan";

    /// <summary>The action that judges a window's counts.</summary>
    public const string AssessAction = "assess";

    /// <summary>The report's content type.</summary>
    public const string JsonContentType = "application/json";

    /// <summary>The lake prefix the baselines live under (beside their models).</summary>
    public const string ModelsPrefix = "models/";

    /// <summary>The lake prefix the reports are written under.</summary>
    public const string ReportsPrefix = "drift/";

    /// <summary>The report's file name in its window's folder.</summary>
    public const string ReportFileName = "report.json";

    private const string Expected =
        "an object with \"action\": \"plan\" (with \"baseline\", \"time\" and optional \"windowEnd\") " +
        "or \"assess\" (with \"baseline\", \"window\" {\"start\",\"end\"} and \"result\", the window statement's GetQueryResults ResultSet)";

    private const string TimeExpected = "the execution's start time ($$.Execution.StartTime), e.g. 2026-12-06T19:05:12.345Z";

    private const string HourExpected = "a whole UTC hour such as 2026-12-06T19:00:00Z";

    private const string ResultExpected = "the window statement's GetQueryResults ResultSet ({\"Rows\":[…],\"ResultSetMetadata\":{\"ColumnInfo\":[…]}})";

    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    private readonly DriftConfiguration _configuration;
    private readonly IObjectStore _store;
    private readonly TextWriter _log;

    /// <summary>Creates the function.</summary>
    /// <param name="configuration">The settings read at start-up.</param>
    /// <param name="store">Where baselines are read and reports written.</param>
    /// <param name="log">Where log lines (JSON objects) go.</param>
    public Function(DriftConfiguration configuration, IObjectStore store, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(log);
        _configuration = configuration;
        _store = store;
        _log = log;
    }

    /// <summary>Handles one invocation.</summary>
    /// <param name="input">The event (UTF-8 JSON).</param>
    /// <param name="cancellationToken">Cancels the S3 read and write.</param>
    /// <returns>The response (UTF-8 JSON).</returns>
    /// <exception cref="InvalidEventException">The event is not one the function accepts; the message says what was expected.</exception>
    /// <exception cref="FileNotFoundException">The baseline the event names does not exist.</exception>
    public async Task<Stream> HandleAsync(Stream input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var document = EventJson.Parse(input, Expected);
        var root = document.RootElement;
        var action = EventJson.Action(root);
        return action switch
        {
            PlanAction => await PlanAsync(root, cancellationToken),
            AssessAction => await AssessAsync(root, cancellationToken),
            null => throw new InvalidEventException($"action is missing; expected {Expected}."),
            _ => throw new InvalidEventException($"action is '{action}'; expected \"{PlanAction}\" or \"{AssessAction}\"."),
        };
    }

    /// <summary>The lake key of the report of the window ending at <paramref name="end"/>.</summary>
    /// <param name="endpoint">The endpoint.</param>
    /// <param name="end">The window's end (a whole UTC hour).</param>
    /// <returns><c>drift/&lt;endpoint&gt;/&lt;yyyyMMddTHHmmZ&gt;/report.json</c>.</returns>
    public static string ReportKey(string endpoint, DateTimeOffset end) =>
        $"{ReportsPrefix}{endpoint}/{end.UtcDateTime.ToString("yyyyMMdd'T'HHmm'Z'", CultureInfo.InvariantCulture)}/{ReportFileName}";

    private async Task<MemoryStream> PlanAsync(JsonElement root, CancellationToken cancellationToken)
    {
        var (time, timeText) = ReadInstant(root, "time", TimeExpected);
        var end = EventJson.Optional(root, "windowEnd") is null
            ? new DateTimeOffset(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerHour), TimeSpan.Zero)
            : ReadHour(root, "windowEnd", $"null or {HourExpected}");
        if (end > time)
        {
            throw new InvalidEventException(
                $"windowEnd is {Time(end)}, after the execution's start time {timeText}; expected a window that has ended.");
        }

        var start = end.AddHours(-_configuration.WindowHours);
        var (baseline, query, _) = await ReadBaselineAsync(root, cancellationToken);
        var sql = query.Sql(_configuration.EndpointName, start, end);
        var window = Window(start, end);
        JsonOutput.LogLine(
            _log, new WindowPlannedLog("Drift window planned.", _configuration.EndpointName, window, baseline.Run), DriftJson.Default.WindowPlannedLog);
        return JsonOutput.Response(new PlanResponse(sql, window, baseline.Run), DriftJson.Default.PlanResponse);
    }

    private async Task<MemoryStream> AssessAsync(JsonElement root, CancellationToken cancellationToken)
    {
        var window = EventJson.RequiredObject(root, string.Empty, "window", "the plan's window {\"start\",\"end\"}");
        var start = ReadHour(window, "start", HourExpected, "window");
        var end = ReadHour(window, "end", HourExpected, "window");
        if (end <= start)
        {
            throw new InvalidEventException($"window is {Time(start)} to {Time(end)}; expected the plan's window, start before end.");
        }

        var row = ReadRow(EventJson.RequiredObject(root, string.Empty, "result", ResultExpected));
        var (baseline, query, uri) = await ReadBaselineAsync(root, cancellationToken);
        DriftReport report;
        try
        {
            report = DriftAssessment.Assess(baseline, query.Read(name => Count(row, name, uri)), _configuration.Thresholds);
        }
        catch (ArgumentException ex)
        {
            // The thresholds were checked at start-up: what is left is counts that do not fit the baseline.
            throw new InvalidEventException(ex.Message, ex);
        }

        var endpoint = _configuration.EndpointName;
        var key = ReportKey(endpoint, end);
        var location = $"s3://{_configuration.LakeBucket}/{key}";
        await _store.PutAsync(
            _configuration.LakeBucket,
            key,
            DriftReportDocument.Write(endpoint, start, end, baseline.Run, _configuration.Thresholds, report),
            JsonContentType,
            cancellationToken);
        foreach (var line in DriftReportDocument.MetricLines(endpoint, end, report))
        {
            // Embedded-metric lines: CloudWatch Logs turns each into the metrics its _aws block declares.
            _log.WriteLine(line);
        }

        var drifted = report.Features.Append(report.Scores).OfType<FeatureDrift>()
            .Where(f => f.Level >= DriftLevel.Warn)
            .OrderByDescending(f => f.Level).ThenByDescending(f => f.Psi)
            .ToList();
        var summary = Summary(start, end, report, drifted, location);
        var level = report.Level.ToString();
        JsonOutput.LogLine(
            _log,
            new DriftAssessedLog(
                report.Level >= DriftLevel.Warn ? "WARN" : "INFO",
                summary,
                endpoint,
                Window(start, end),
                level,
                report.Rows,
                report.Violations.Total,
                report.MaxPsi,
                location),
            DriftJson.Default.DriftAssessedLog);
        return JsonOutput.Response(
            new AssessResponse(level, report.Rows, report.Violations.Total, report.MaxPsi, [.. drifted.Select(f => f.Feature)], location, summary),
            DriftJson.Default.AssessResponse);
    }

    /// <summary>The baseline the event names, read from the lake and checked against the model's layout.</summary>
    private async Task<(DriftBaseline Baseline, DriftWindowQuery Query, string Uri)> ReadBaselineAsync(JsonElement root, CancellationToken cancellationToken)
    {
        var bucket = _configuration.LakeBucket;
        var expected = $"the served model's baseline, s3://{bucket}/{ModelsPrefix}<run>/{DriftBaselineDocument.FileName}";
        var uri = EventJson.RequiredString(root, string.Empty, "baseline", expected);
        var prefix = $"s3://{bucket}/";
        var suffix = "/" + DriftBaselineDocument.FileName;
        var key = uri.StartsWith(prefix, StringComparison.Ordinal) ? uri[prefix.Length..] : null;
        if (key is null
            || !key.StartsWith(ModelsPrefix, StringComparison.Ordinal)
            || !key.EndsWith(suffix, StringComparison.Ordinal)
            || key.Length <= ModelsPrefix.Length + suffix.Length)
        {
            throw new InvalidEventException($"baseline is '{uri}'; expected {expected}.");
        }

        var document = await _store.GetAsync(bucket, key, cancellationToken);
        DriftBaseline baseline;
        try
        {
            baseline = DriftBaselineDocument.Read(document);
        }
        catch (FormatException ex)
        {
            throw new InvalidEventException($"{uri}: {ex.Message}", ex);
        }

        var schema = _configuration.Layout.Schema.Name;
        if (!string.Equals(baseline.Schema, schema, StringComparison.Ordinal))
        {
            throw new InvalidEventException($"{uri} is a baseline of schema '{baseline.Schema}'; expected one of '{schema}', the schema the endpoint's model reads.");
        }

        try
        {
            return (baseline, new DriftWindowQuery(_configuration.Layout, baseline, _configuration.Database, _configuration.CaptureTable), uri);
        }
        catch (ArgumentException ex)
        {
            // The names were checked at start-up: what is left is a baseline of other features.
            throw new InvalidEventException($"{uri}: {ex.Message}", ex);
        }
    }

    private static IReadOnlyDictionary<string, object?> ReadRow(JsonElement result)
    {
        try
        {
            return QueryResultRow.Read(result);
        }
        catch (FormatException ex)
        {
            throw new InvalidEventException($"result: {ex.Message} Expected {ResultExpected}.", ex);
        }
    }

    /// <summary>A count column of the result: NULL (a sum over no rows) is 0.</summary>
    private static long Count(IReadOnlyDictionary<string, object?> row, string name, string baseline)
    {
        if (!row.TryGetValue(name, out var value))
        {
            throw new InvalidEventException(
                $"result has no column {name}; expected the result of the statement plan returned for the baseline {baseline}.");
        }

        return value switch
        {
            null => 0,
            long whole and >= 0 => whole,
            // A double column still holds a count when its value is whole (below 2^63, so the cast is exact).
            double number when number is >= 0 and < 9.2233720368547758E18 && Math.Floor(number) == number => (long)number,
            _ => throw new InvalidEventException($"result column {name} is {Describe(value)}; expected a count, a whole number 0 or more."),
        };
    }

    private static string Describe(object value) => value switch
    {
        string text => $"\"{text}\"",
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => "a list",
    };

    private static (DateTimeOffset Instant, string Text) ReadInstant(JsonElement parent, string name, string expected, string path = "")
    {
        var text = EventJson.RequiredString(parent, path, name, expected);
        return IsoInstant().IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var instant)
            ? (instant, text)
            : throw new InvalidEventException($"{EventJson.Path(path, name)} is '{text}'; expected {expected}.");
    }

    private static DateTimeOffset ReadHour(JsonElement parent, string name, string expected, string path = "")
    {
        var (hour, text) = ReadInstant(parent, name, expected, path);
        return hour.UtcTicks % TimeSpan.TicksPerHour == 0
            ? hour
            : throw new InvalidEventException($"{EventJson.Path(path, name)} is '{text}'; expected {expected}.");
    }

    /// <summary>One sentence for a person (an e-mail's body): the verdict, the window, the numbers and the report.</summary>
    private string Summary(DateTimeOffset start, DateTimeOffset end, DriftReport report, IReadOnlyList<FeatureDrift> drifted, string location)
    {
        var thresholds = _configuration.Thresholds;
        var endpoint = _configuration.EndpointName;
        var window = start.UtcDateTime.Date == end.UtcDateTime.Date
            ? $"{Format(start, "yyyy-MM-dd HH:mm")} to {Format(end, "HH:mm")} UTC"
            : $"{Format(start, "yyyy-MM-dd HH:mm")} to {Format(end, "yyyy-MM-dd HH:mm")} UTC";
        var requests = Plural(report.Rows, "request");
        var violations = Violations(report.Violations);
        switch (report.Level)
        {
            case DriftLevel.InsufficientData:
                return $"Too few requests to judge drift on {endpoint}, {window}: {requests}, fewer than the {Number(thresholds.MinimumRows)} needed{violations}. Report: {location}";
            case DriftLevel.Stable:
                var largest = report.Features.Append(report.Scores).OfType<FeatureDrift>().OrderByDescending(f => f.Psi).FirstOrDefault();
                var detail = largest is null ? string.Empty : $" (largest {Psi(largest.Psi)}, {largest.Feature})";
                return $"No drift on {endpoint}, {window}, {requests}: every PSI below {Number(thresholds.PsiWarn)}{detail}{violations}. Report: {location}";
            default:
                var verdict = report.Level == DriftLevel.Alarm ? "Drift alarm" : "Drift warning";
                var features = string.Join(", ", drifted.Select(f => f.Level == DriftLevel.Alarm
                    ? $"{f.Feature} PSI {Psi(f.Psi)} (alarm from {Number(thresholds.PsiAlarm)})"
                    : $"{f.Feature} PSI {Psi(f.Psi)} (warning from {Number(thresholds.PsiWarn)})"));
                return $"{verdict} on {endpoint}, {window}, {requests}: {features}{violations}. Report: {location}";
        }
    }

    private static string Violations(SchemaViolations violations)
    {
        if (violations.Total == 0)
        {
            return string.Empty;
        }

        var parts = new[] { (violations.UnknownFields, "unknown fields"), (violations.MissingFields, "missing fields"), (violations.WrongTypes, "wrong types") }
            .Where(p => p.Item1 > 0)
            .Select(p => $"{Number(p.Item1)} with {p.Item2}");
        return $"; {Plural(violations.Total, "schema violation")} ({string.Join(", ", parts)})";
    }

    private static string Plural(long count, string noun) => count == 1 ? $"1 {noun}" : $"{Number(count)} {noun}s";

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Psi(double psi) => psi.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Format(DateTimeOffset time, string format) => time.UtcDateTime.ToString(format, CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset time) => Format(time, TimeFormat);

    private static WindowJson Window(DateTimeOffset start, DateTimeOffset end) => new(Time(start), Time(end));

    // ISO 8601 date and time with seconds, an optional fraction and a zone (Z or ±hh:mm), as Step Functions writes times.
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?(Z|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoInstant();
}
