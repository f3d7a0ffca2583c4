using System.Text.Json.Serialization;
using Pipeline.Lambda.Storage;

namespace Pipeline.Drift;

/// <summary>What the function returns and logs, in camelCase (the contract in README.md).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(PlanResponse))]
[JsonSerializable(typeof(AssessResponse))]
[JsonSerializable(typeof(WindowPlannedLog))]
[JsonSerializable(typeof(DriftAssessedLog))]
internal sealed partial class DriftJson : JsonSerializerContext;

/// <summary>A window as <c>{"start":…,"end":…}</c>: whole UTC hours, <c>yyyy-MM-ddTHH:mm:ssZ</c>.</summary>
internal sealed record WindowJson(string Start, string End);

/// <summary><c>plan</c>'s response: the window's statement, the window and the baseline's run.</summary>
internal sealed record PlanResponse(string Sql, WindowJson Window, string BaselineRun);

/// <summary>
/// <c>assess</c>'s verdict: the level (<c>InsufficientData</c>, <c>Stable</c>, <c>Warn</c> or <c>Alarm</c>), the
/// counts, the drifted features worst first, the report's location and a sentence for a person.
/// </summary>
internal sealed record AssessResponse(string Level, long Rows, long Violations, double MaxPsi, IReadOnlyList<string> Drifted, string Report, string Summary);

/// <summary>Logged by <c>plan</c>.</summary>
internal sealed record WindowPlannedLog(string Message, string Endpoint, WindowJson Window, string BaselineRun)
    : LogEntry("INFO", Message, "drift_window_planned");

/// <summary>Logged by <c>assess</c>, at WARN from a drift warning on.</summary>
internal sealed record DriftAssessedLog(
    string Level, string Message, string Endpoint, WindowJson Window, string DriftLevel, long Rows, long Violations, double MaxPsi, string Report)
    : LogEntry(Level, Message, "drift_assessed");
