using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Pipeline.Training.Drift;
using Pipeline.Schema;

namespace Pipeline.Training;

/// <summary>
/// What the prepare-run step decides for one execution of the training state machine: the run id and job name, the
/// date window, the S3 locations, the Athena statements (the training set's and the first of the drift baseline's) and
/// the manifest that records the run.
/// </summary>
public sealed class TrainingRunPlan
{
    /// <summary>The longest run id; with the job-name prefix and a hyphen it stays within SageMaker's 63 characters.</summary>
    public const int MaxRunIdLength = 48;

    /// <summary>The longest job-name prefix.</summary>
    public const int MaxJobNamePrefixLength = 14;

    /// <summary>The longest window a run may request or default to (about ten years).</summary>
    public const int MaxWindowDays = 3_660;

    private readonly long _minimumRows;
    private readonly long _minimumPositives;

    private TrainingRunPlan(
        TrainingSetQuery query,
        TrainingRunSettings settings,
        string executionName,
        string runId,
        DateWindow window,
        DateTimeOffset createdAt)
    {
        Query = query;
        ExecutionName = executionName;
        RunId = runId;
        TrainingJobName = $"{settings.JobNamePrefix}-{runId}";
        Window = window;
        CreatedAt = createdAt;
        LakeBucket = settings.LakeBucket;
        CodeVersion = settings.CodeVersion;
        _minimumRows = settings.MinimumRows;
        _minimumPositives = settings.MinimumPositives;
        TrainPrefix = $"training/{runId}/train/";
        ValidationPrefix = $"training/{runId}/validation/";
        ModelPrefix = $"models/{runId}/";
        CheckpointPrefix = $"models/{runId}/checkpoints/";
        EvaluationKey = $"models/{runId}/evaluation.json";
        Hyperparameters = XgboostHyperparameters.Merge(settings.HyperparameterOverrides);
        CountSql = query.CountSql(window);
        TrainUnloadSql = query.UnloadSql(window, TrainingChannel.Train, S3Uri(TrainPrefix));
        ValidationUnloadSql = query.UnloadSql(window, TrainingChannel.Validation, S3Uri(ValidationPrefix));
        BaselineQuery = new DriftBaselineQuery(query);
        BaselineSummarySql = BaselineQuery.SummarySql(window);
    }

    /// <summary>The query generator the statements come from.</summary>
    public TrainingSetQuery Query { get; }

    /// <summary>The Step Functions execution name the run belongs to.</summary>
    public string ExecutionName { get; }

    /// <summary>
    /// The run id: the execution name when it is already letters, digits and single hyphens (at most
    /// <see cref="MaxRunIdLength"/> characters), else a cleaned, shortened form plus 8 hex digits of its SHA-256, so it
    /// stays unique. Safe in S3 keys and SageMaker names.
    /// </summary>
    public string RunId { get; }

    /// <summary>The SageMaker training job name, <c>prefix-runId</c>: at most 63 characters matching <c>^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}</c>.</summary>
    public string TrainingJobName { get; }

    /// <summary>The event dates trained on.</summary>
    public DateWindow Window { get; }

    /// <summary>When the plan was made.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>The lake bucket.</summary>
    public string LakeBucket { get; }

    /// <summary>The code version recorded in the manifest.</summary>
    public string CodeVersion { get; }

    /// <summary>Key prefix of the train channel: <c>training/{runId}/train/</c>.</summary>
    public string TrainPrefix { get; }

    /// <summary>Key prefix of the validation channel: <c>training/{runId}/validation/</c>.</summary>
    public string ValidationPrefix { get; }

    /// <summary>Key prefix of the model artifacts (training job output path): <c>models/{runId}/</c>.</summary>
    public string ModelPrefix { get; }

    /// <summary>Key prefix of the spot-training checkpoints, inside the models zone: <c>models/{runId}/checkpoints/</c>.</summary>
    public string CheckpointPrefix { get; }

    /// <summary>Key of the evaluation report: <c>models/{runId}/evaluation.json</c>.</summary>
    public string EvaluationKey { get; }

    /// <summary>Key of the run manifest, next to the run's model: <c>models/{runId}/manifest.json</c>.</summary>
    public string ManifestKey => $"models/{RunId}/manifest.json";

    /// <summary>
    /// Key of the model's drift baseline, computed over the run's train split:
    /// <c>models/{runId}/</c> + <see cref="DriftBaselineDocument.FileName"/>.
    /// </summary>
    public string DriftBaselineKey => $"models/{RunId}/{DriftBaselineDocument.FileName}";

    /// <summary>The count statement (rows and positives in the window).</summary>
    public string CountSql { get; }

    /// <summary>The UNLOAD statement of the train channel.</summary>
    public string TrainUnloadSql { get; }

    /// <summary>The UNLOAD statement of the validation channel.</summary>
    public string ValidationUnloadSql { get; }

    /// <summary>The drift baseline's statements over the run's train split (the bin statement needs the summary's edges).</summary>
    public DriftBaselineQuery BaselineQuery { get; }

    /// <summary>The drift baseline's first statement over the run's window: <see cref="DriftBaselineQuery.SummarySql"/>.</summary>
    public string BaselineSummarySql { get; }

    /// <summary>The model's input columns, in order (see <see cref="TrainingSetQuery.FeatureNames"/>).</summary>
    public IReadOnlyList<string> FeatureNames => Query.FeatureNames;

    /// <summary>The training job's hyperparameters: fixed values, defaults and checked overrides.</summary>
    public IReadOnlyDictionary<string, string> Hyperparameters { get; }

    /// <summary>Makes the plan for one execution.</summary>
    /// <param name="schema">The record schema (with field roles).</param>
    /// <param name="settings">The configured settings.</param>
    /// <param name="request">The execution name and optional window.</param>
    /// <param name="timeProvider">The clock (UTC "today" decides the default window).</param>
    /// <returns>The plan.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A setting or the request is invalid; the message says what to change.</exception>
    public static TrainingRunPlan Create(
        RecordSchema schema,
        TrainingRunSettings settings,
        TrainingRunRequest request,
        TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(timeProvider);
        CheckSettings(settings);
        var query = new TrainingSetQuery(
            schema,
            new TrainingSetQueryOptions { Database = settings.Database, Table = settings.Table, ValidationFraction = settings.ValidationFraction });
        var now = timeProvider.GetUtcNow().ToUniversalTime();
        var window = ChooseWindow(schema, settings, request, DateOnly.FromDateTime(now.UtcDateTime));
        return new TrainingRunPlan(query, settings, request.ExecutionName, DeriveRunId(request.ExecutionName), window, now);
    }

    /// <summary>
    /// Derives the run id from a Step Functions execution name (see <see cref="RunId"/>).
    /// </summary>
    /// <param name="executionName">The execution name: 1 to 80 characters without white space or control characters.</param>
    /// <returns>The run id.</returns>
    /// <exception cref="ArgumentException">The name is empty, too long or has white space or control characters.</exception>
    public static string DeriveRunId(string executionName)
    {
        // StartExecution name: 1-80 characters, no white space or control characters
        // (https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html). The run id then keeps
        // to CreateTrainingJob's TrainingJobName rule, ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}, at most 63 characters
        // (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateTrainingJob.html).
        if (string.IsNullOrEmpty(executionName) || executionName.Length > 80
            || executionName.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || char.IsSurrogate(c)))
        {
            throw new ArgumentException(
                $"Execution name '{executionName}' is not a Step Functions execution name; use 1 to 80 characters without " +
                "white space or control characters.",
                nameof(executionName));
        }

        var cleaned = new StringBuilder(executionName.Length);
        foreach (var c in executionName)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                cleaned.Append(c);
            }
            else if (cleaned.Length > 0 && cleaned[^1] != '-')
            {
                cleaned.Append('-');
            }
        }

        var text = cleaned.ToString().TrimEnd('-');
        if (text.Length > 0 && text.Length <= MaxRunIdLength && string.Equals(text, executionName, StringComparison.Ordinal))
        {
            return text;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(executionName)))[..8];
        var head = text.Length > MaxRunIdLength - 9 ? text[..(MaxRunIdLength - 9)].TrimEnd('-') : text;
        return head.Length == 0 ? $"run-{hash}" : $"{head}-{hash}";
    }

    /// <summary>
    /// Decides whether the window holds enough data: at least the configured rows and positives, and at least one
    /// negative (AUC is undefined when every label is the same).
    /// </summary>
    /// <param name="rows">Records in the window (the count query's <c>rows</c>).</param>
    /// <param name="positives">Records with a true label (the count query's <c>positives</c>).</param>
    /// <returns>Proceed, or stop with the reason.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The counts are impossible (negative, or more positives than rows).</exception>
    public RunDecision Decide(long rows, long positives)
    {
        if (rows < 0 || positives < 0 || positives > rows)
        {
            throw new ArgumentOutOfRangeException(
                nameof(rows),
                string.Create(CultureInfo.InvariantCulture, $"Counts rows={rows}, positives={positives} are impossible; expected 0 <= positives <= rows."));
        }

        var negatives = rows - positives;
        var at = $"in {Window.FromText} to {Window.ToText}";
        string? problem = null;
        if (rows < _minimumRows)
        {
            problem = Text($"Only {rows} records {at}; at least {_minimumRows} are needed to train.");
        }
        else if (positives < _minimumPositives)
        {
            problem = Text($"Only {positives} positive labels (of {rows} records) {at}; at least {_minimumPositives} are needed to train.");
        }
        else if (negatives < 1)
        {
            problem = Text($"All {rows} records {at} are positive; AUC needs at least one negative label.");
        }

        return problem is null
            ? new RunDecision(true, Text($"{rows} records with {positives} positive and {negatives} negative labels {at}: enough to train (minimums {_minimumRows} records, {_minimumPositives} positives)."))
            : new RunDecision(false, problem);
    }

    /// <summary>The S3 URI of a key or prefix in the lake bucket.</summary>
    /// <param name="key">The key or prefix.</param>
    /// <returns><c>s3://bucket/key</c>.</returns>
    public string S3Uri(string key) => $"s3://{LakeBucket}/{key}";

    /// <summary>
    /// The run manifest: window, queries, feature names, hyperparameters, S3 locations, code version and creation time.
    /// </summary>
    /// <remarks>
    /// Written for people and tools, never embedded in HTML, so quotes in the SQL stay readable (relaxed escaping).
    /// </remarks>
    /// <returns>UTF-8 JSON.</returns>
    public byte[] ManifestJson() => TrainingJson.Document(
        new RunManifest(
            RunId,
            ExecutionName,
            TrainingJobName,
            CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            CodeVersion,
            Query.Schema.Name,
            Query.Database,
            Query.Table,
            new DateWindowJson(Window.FromText, Window.ToText),
            Query.LabelName,
            FeatureNames,
            Query.RecordIdentityNames,
            Query.ValidationFraction,
            new RunMinimums(_minimumRows, _minimumPositives),
            new RunManifestLocations(S3Uri(TrainPrefix), S3Uri(ValidationPrefix), S3Uri(ModelPrefix), S3Uri(CheckpointPrefix), S3Uri(EvaluationKey)),
            new RunManifestQueries(CountSql, TrainUnloadSql, ValidationUnloadSql),
            Hyperparameters),
        TrainingJsonContext.Default.RunManifest);

    private static void CheckSettings(TrainingRunSettings settings)
    {
        if (!SqlText.IsBucketName(settings.LakeBucket))
        {
            throw new ArgumentException(
                $"LakeBucket '{settings.LakeBucket}' is not an S3 bucket name; use 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit.",
                nameof(settings));
        }

        if (settings.DefaultWindowDays is < 1 or > MaxWindowDays)
        {
            throw new ArgumentException(
                Text($"DefaultWindowDays {settings.DefaultWindowDays} must be between 1 and {MaxWindowDays}."), nameof(settings));
        }

        if (settings.MinimumRows < 2)
        {
            throw new ArgumentException(
                Text($"MinimumRows {settings.MinimumRows} must be at least 2 (AUC needs a positive and a negative label)."), nameof(settings));
        }

        if (settings.MinimumPositives < 1 || settings.MinimumPositives >= settings.MinimumRows)
        {
            throw new ArgumentException(
                Text($"MinimumPositives {settings.MinimumPositives} must be at least 1 and less than MinimumRows ({settings.MinimumRows})."),
                nameof(settings));
        }

        if (string.IsNullOrWhiteSpace(settings.CodeVersion) || settings.CodeVersion.Length > 128)
        {
            throw new ArgumentException("CodeVersion must be non-empty text of at most 128 characters (e.g. a commit id).", nameof(settings));
        }

        var prefix = settings.JobNamePrefix;
        if (string.IsNullOrEmpty(prefix) || prefix.Length > MaxJobNamePrefixLength
            || !char.IsAsciiLetterOrDigit(prefix[0]) || !char.IsAsciiLetterOrDigit(prefix[^1])
            || prefix.Any(c => !char.IsAsciiLetterOrDigit(c) && c != '-'))
        {
            throw new ArgumentException(
                $"JobNamePrefix '{prefix}' must be 1 to {MaxJobNamePrefixLength} letters, digits and hyphens, starting and ending with a letter or digit (SageMaker job names: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){{0,62}}).",
                nameof(settings));
        }
    }

    private static DateWindow ChooseWindow(RecordSchema schema, TrainingRunSettings settings, TrainingRunRequest request, DateOnly today)
    {
        var earliest = DateOnly.FromDateTime(schema.EarliestEventTime.UtcDateTime);
        var yesterday = today.AddDays(-1);
        if (request.From is null && request.To is null)
        {
            var from = yesterday.AddDays(1 - settings.DefaultWindowDays);
            return new DateWindow(from < earliest ? earliest : from, yesterday);
        }

        if (request.From is not { } start || request.To is not { } end)
        {
            throw new ArgumentException(
                "A requested window needs both From and To (inclusive UTC dates); give both or neither for the default window.",
                nameof(request));
        }

        if (start > end)
        {
            throw new ArgumentException(
                $"Requested window From {DateWindow.Format(start)} is after To {DateWindow.Format(end)}; swap them.", nameof(request));
        }

        if (end > today)
        {
            throw new ArgumentException(
                $"Requested window To {DateWindow.Format(end)} is in the future; the latest date with data is today, {DateWindow.Format(today)} (UTC).",
                nameof(request));
        }

        if (start < earliest)
        {
            throw new ArgumentException(
                $"Requested window From {DateWindow.Format(start)} is before the earliest event date {DateWindow.Format(earliest)} of schema '{schema.Name}'.",
                nameof(request));
        }

        var window = new DateWindow(start, end);
        if (window.Days > MaxWindowDays)
        {
            throw new ArgumentException(
                Text($"Requested window {window} spans {window.Days} days; at most {MaxWindowDays} are allowed."), nameof(request));
        }

        return window;
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The run manifest (<see cref="TrainingRunPlan.ManifestJson"/>), member by member in the document's order.</summary>
internal sealed record RunManifest(
    string RunId,
    string ExecutionName,
    string TrainingJobName,
    string CreatedAt,
    string CodeVersion,
    string Schema,
    string Database,
    string Table,
    DateWindowJson Window,
    string Label,
    IReadOnlyList<string> FeatureNames,
    IReadOnlyList<string> RecordIdentity,
    double ValidationFraction,
    RunMinimums Minimums,
    RunManifestLocations S3,
    RunManifestQueries Queries,
    IReadOnlyDictionary<string, string> Hyperparameters);

/// <summary>A date window as <c>{"from":"yyyy-MM-dd","to":"yyyy-MM-dd"}</c>.</summary>
internal sealed record DateWindowJson(string From, string To);

/// <summary>The manifest's <c>minimums</c>.</summary>
internal sealed record RunMinimums(long Rows, long Positives);

/// <summary>The manifest's <c>s3</c>.</summary>
internal sealed record RunManifestLocations(string Train, string Validation, string Model, string Checkpoints, string Evaluation);

/// <summary>The manifest's <c>queries</c>.</summary>
internal sealed record RunManifestQueries(string Count, string Train, string Validation);
