using System.Text.Json.Serialization;
using Pipeline.Lambda.Storage;
using Pipeline.Training;

namespace Pipeline.Evaluate;

/// <summary>What the function returns and logs, in camelCase (the contract in README.md).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(EvaluateResponse))]
[JsonSerializable(typeof(ModelEvaluatedLog))]
internal sealed partial class EvaluateJson : JsonSerializerContext;

/// <summary>
/// The decision and what the register step needs; <c>validationAuc</c>, <c>modelDataUrl</c> and
/// <c>modelQualityStatistics</c> are null when the job gave none.
/// </summary>
internal sealed record EvaluateResponse(
    bool Passed,
    string Summary,
    IReadOnlyList<string> Reasons,
    IReadOnlyList<EvaluationCheck> Checks,
    double? ValidationAuc,
    string ApprovalStatus,
    string? ModelDataUrl,
    string EvaluationReport,
    string? ModelQualityStatistics,
    CustomerMetadataJson CustomerMetadata);

/// <summary>The model package's <c>CustomerMetadataProperties</c>; the AUC only when the job reported a valid one.</summary>
internal sealed record CustomerMetadataJson(
    [property: JsonPropertyName(EvaluationGate.ChampionAucMetadataKey), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ValidationAuc,
    [property: JsonPropertyName("run_id")] string RunId,
    [property: JsonPropertyName("training_job")] string TrainingJob,
    [property: JsonPropertyName("window")] string Window,
    [property: JsonPropertyName("code_version")] string CodeVersion,
    [property: JsonPropertyName("drift_baseline")] string DriftBaseline);

/// <summary>Logged once per invocation, at INFO when the model passed and WARN when it failed.</summary>
internal sealed record ModelEvaluatedLog(
    string Level, string Message, string RunId, string TrainingJobName, bool Passed, double? ValidationAuc, string ApprovalStatus, string Summary)
    : LogEntry(Level, Message, "model_evaluated");
