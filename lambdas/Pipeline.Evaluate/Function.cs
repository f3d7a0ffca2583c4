using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Pipeline.Training;
using Pipeline.Lambda.Storage;

namespace Pipeline.Evaluate;

/// <summary>
/// The evaluate step of the training state machine: runs the <see cref="EvaluationGate"/> on the training job (and the
/// champion, if any), writes the evaluation report and the model-quality statistics to the run's S3 locations, and
/// returns the decision with what the register step needs (the drift baseline's location among the metadata). The contract is in README.md beside this file.
/// </summary>
/// <remarks>
/// A failed gate is a normal response (<c>"passed": false</c> with the reasons): the state machine decides. Only
/// input it cannot read throws <see cref="InvalidEventException"/>; a failed S3 write throws the SDK's exception.
/// </remarks>
[SuppressMessage(
    "Naming",
    "CA1716:Identifiers should not match keywords",
    Justification = "Function is the Lambda convention for the handler class; no VB consumer exists.")]
public sealed class Function
{
    /// <summary>The approval status of a model that passed with <c>AUTO_APPROVE=true</c>.</summary>
    public const string Approved = "Approved";

    /// <summary>The approval status of every other model.</summary>
    public const string PendingManualApproval = "PendingManualApproval";

    private const string Expected =
        "an object with \"trainingJob\" (the DescribeTrainingJob response), \"champion\" (a DescribeModelPackage response or null) " +
        "and \"run\" (the plan object prepare-run returned)";

    private readonly EvaluateConfiguration _configuration;
    private readonly IObjectStore _store;
    private readonly TimeProvider _clock;
    private readonly TextWriter _log;

    /// <summary>Creates the function.</summary>
    /// <param name="configuration">The settings read at start-up.</param>
    /// <param name="store">Where the documents are written.</param>
    /// <param name="timeProvider">The clock (the report's evaluation time).</param>
    /// <param name="log">Where log lines (JSON objects) go.</param>
    public Function(EvaluateConfiguration configuration, IObjectStore store, TimeProvider timeProvider, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(log);
        _configuration = configuration;
        _store = store;
        _clock = timeProvider;
        _log = log;
    }

    /// <summary>Handles one invocation.</summary>
    /// <param name="input">The event (UTF-8 JSON).</param>
    /// <param name="cancellationToken">Cancels the S3 writes.</param>
    /// <returns>The response (UTF-8 JSON).</returns>
    /// <exception cref="InvalidEventException">The event is not one the function accepts; the message says what was expected.</exception>
    public async Task<Stream> HandleAsync(Stream input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var document = EventJson.Parse(input, Expected);
        var root = document.RootElement;
        var job = ReadTrainingJob(EventJson.RequiredObject(root, string.Empty, "trainingJob", "the DescribeTrainingJob response (the createTrainingJob.sync task's output)"));
        var champion = ReadChampion(root);
        var run = ReadRun(EventJson.RequiredObject(root, string.Empty, "run", "the plan object prepare-run returned"));

        var result = _configuration.Gate.Evaluate(job, champion, _clock.GetUtcNow());
        await _store.PutAsync(_configuration.LakeBucket, run.EvaluationKey, result.ReportJson(), "application/json", cancellationToken);
        string? statisticsUri = null;
        if (result.ModelQualityStatisticsJson() is { } statistics)
        {
            await _store.PutAsync(_configuration.LakeBucket, run.ModelQualityKey, statistics, "application/json", cancellationToken);
            statisticsUri = run.ModelQualityUri;
        }

        var approval = result.Passed && _configuration.AutoApprove ? Approved : PendingManualApproval;
        var reasons = (result.Passed ? result.Checks : result.Checks.Where(c => !c.Passed)).Select(c => c.Reason).ToArray();
        JsonOutput.LogLine(
            _log,
            new ModelEvaluatedLog(
                result.Passed ? "INFO" : "WARN",
                result.Passed ? "The model passed the evaluation gate." : "The model failed the evaluation gate.",
                run.RunId,
                job.TrainingJobName,
                result.Passed,
                result.ValidationAuc,
                approval,
                result.Summary),
            EvaluateJson.Default.ModelEvaluatedLog);
        var metadata = new CustomerMetadataJson(
            result.ValidationAuc is { } auc ? CustomerMetadata.Sanitize(EvaluationGate.FormatAuc(auc)) : null,
            CustomerMetadata.Sanitize(run.RunId),
            CustomerMetadata.Sanitize(job.TrainingJobName),
            CustomerMetadata.Sanitize(run.Window),
            CustomerMetadata.Sanitize(run.CodeVersion),
            CustomerMetadata.Sanitize(run.DriftBaselineUri));
        return JsonOutput.Response(
            new EvaluateResponse(
                result.Passed,
                result.Summary,
                reasons,
                result.Checks,
                result.ValidationAuc,
                approval,
                job.S3ModelArtifacts,
                run.EvaluationUri,
                statisticsUri,
                metadata),
            EvaluateJson.Default.EvaluateResponse);
    }

    private static TrainingJobResult ReadTrainingJob(JsonElement element)
    {
        try
        {
            return TrainingJobResult.Parse(element);
        }
        catch (FormatException ex)
        {
            throw new InvalidEventException($"trainingJob: {ex.Message}", ex);
        }
    }

    private static ChampionModel? ReadChampion(JsonElement root)
    {
        if (EventJson.OptionalObject(root, string.Empty, "champion", "null (no approved model package) or the DescribeModelPackage response") is not { } champion)
        {
            return null;
        }

        try
        {
            return ChampionModel.Parse(champion.GetRawText());
        }
        catch (FormatException ex)
        {
            throw new InvalidEventException($"champion: {ex.Message}", ex);
        }
    }

    private RunLocations ReadRun(JsonElement run)
    {
        const string Path = "run";
        var runId = EventJson.RequiredString(run, Path, "runId", "the run id");
        var window = EventJson.RequiredObject(run, Path, "window", "the run's window {\"from\",\"to\"}");
        var from = EventJson.OptionalDate(window, "run.window", "from") ?? throw new InvalidEventException("run.window.from is missing; expected a date as yyyy-MM-dd.");
        var to = EventJson.OptionalDate(window, "run.window", "to") ?? throw new InvalidEventException("run.window.to is missing; expected a date as yyyy-MM-dd.");
        var codeVersion = EventJson.RequiredString(run, Path, "codeVersion", "the code version prepare-run recorded");
        var s3 = EventJson.RequiredObject(run, Path, "s3", "the run's S3 locations");
        var evaluation = EventJson.RequiredString(s3, "run.s3", "evaluation", "the evaluation report's S3 URI");
        var modelQuality = EventJson.RequiredString(s3, "run.s3", "modelQuality", "the model-quality statistics' S3 URI");
        var driftBaseline = EventJson.RequiredString(s3, "run.s3", "driftBaseline", "the drift baseline's S3 URI");
        var evaluationKey = LakeKey(evaluation, "run.s3.evaluation");
        var modelQualityKey = LakeKey(modelQuality, "run.s3.modelQuality");
        // Only checked, never read: the register step records where the drift workflow finds the model's baseline.
        _ = LakeKey(driftBaseline, "run.s3.driftBaseline");
        return new RunLocations(
            runId,
            $"{from:yyyy-MM-dd}..{to:yyyy-MM-dd}",
            codeVersion,
            evaluation,
            evaluationKey,
            modelQuality,
            modelQualityKey,
            driftBaseline);
    }

    /// <summary>The key of an object URI in the lake bucket; any other bucket is refused.</summary>
    private string LakeKey(string uri, string path)
    {
        var prefix = $"s3://{_configuration.LakeBucket}/";
        return uri.StartsWith(prefix, StringComparison.Ordinal) && uri.Length > prefix.Length && !uri.EndsWith('/')
            ? uri[prefix.Length..]
            : throw new InvalidEventException($"{path} is '{uri}'; expected an object URI in the lake bucket, {prefix}<key>.");
    }

    private sealed record RunLocations(
        string RunId,
        string Window,
        string CodeVersion,
        string EvaluationUri,
        string EvaluationKey,
        string ModelQualityUri,
        string ModelQualityKey,
        string DriftBaselineUri);
}
