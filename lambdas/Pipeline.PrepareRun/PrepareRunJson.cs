using System.Text.Json.Serialization;
using Pipeline.Lambda.Storage;

namespace Pipeline.PrepareRun;

/// <summary>What the function returns and logs, in camelCase (the contract in README.md).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(PlanResponse))]
[JsonSerializable(typeof(DecideResponse))]
[JsonSerializable(typeof(BaselineBinsResponse))]
[JsonSerializable(typeof(BaselineResponse))]
[JsonSerializable(typeof(RunPlannedLog))]
[JsonSerializable(typeof(RunDecidedLog))]
[JsonSerializable(typeof(BaselineBinsPlannedLog))]
[JsonSerializable(typeof(BaselineWrittenLog))]
internal sealed partial class PrepareRunJson : JsonSerializerContext;

/// <summary><c>plan</c>'s response: the names, window, statements, locations and hyperparameters the later states read.</summary>
internal sealed record PlanResponse(
    string RunId,
    string ExecutionName,
    string TrainingJobName,
    string TuningJobName,
    string CodeVersion,
    DateWindowJson Window,
    PlanQueries Queries,
    PlanLocations S3,
    IReadOnlyDictionary<string, string> Hyperparameters,
    IReadOnlyList<string> FeatureNames);

/// <summary>A date window: <c>{"from":"yyyy-MM-dd","to":"yyyy-MM-dd"}</c>.</summary>
internal sealed record DateWindowJson(string From, string To);

/// <summary>The plan's Athena statements.</summary>
internal sealed record PlanQueries(string Count, string Train, string Validation, string BaselineSummary);

/// <summary>The plan's S3 URIs.</summary>
internal sealed record PlanLocations(
    string Train, string Validation, string Model, string Checkpoint, string Evaluation, string ModelQuality, string DriftBaseline, string Manifest);

/// <summary><c>decide</c>'s response; <c>staticHyperparameters</c> leaves out the tuned ones.</summary>
internal sealed record DecideResponse(
    bool Proceed, string Reason, IReadOnlyDictionary<string, string> Hyperparameters, IReadOnlyDictionary<string, string> StaticHyperparameters);

/// <summary><c>baselineBins</c>'s response: the bin statement.</summary>
internal sealed record BaselineBinsResponse(string Sql);

/// <summary><c>baseline</c>'s response: where the baseline is and how many rows it describes.</summary>
internal sealed record BaselineResponse(string Location, long Rows);

/// <summary>Logged by <c>plan</c>.</summary>
internal sealed record RunPlannedLog(string Message, string RunId, string TrainingJobName, string TuningJobName, string Window, string Manifest)
    : LogEntry("INFO", Message, "training_run_planned");

/// <summary>Logged by <c>decide</c>; <c>scalePosWeight</c> only when it was filled in.</summary>
internal sealed record RunDecidedLog(
    string Message,
    bool Proceed,
    long Rows,
    long Positives,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ScalePosWeight)
    : LogEntry("INFO", Message, "training_run_decided");

/// <summary>Logged by <c>baselineBins</c>.</summary>
internal sealed record BaselineBinsPlannedLog(string Message, string Window, int Features)
    : LogEntry("INFO", Message, "drift_baseline_bins_planned");

/// <summary>Logged by <c>baseline</c>.</summary>
internal sealed record BaselineWrittenLog(string Message, string RunId, string Location, long Rows)
    : LogEntry("INFO", Message, "drift_baseline_written");
