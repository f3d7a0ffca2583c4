using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using Pipeline.Training.Athena;
using Pipeline.Training.Drift;
using Pipeline.Training;
using Pipeline.Lambda.Storage;

namespace Pipeline.PrepareRun;

/// <summary>
/// The prepare-run step of the training state machine, four actions chosen by the event's <c>action</c>:
/// <c>plan</c> makes the run's <see cref="TrainingRunPlan"/>, writes its manifest to the lake and returns the names,
/// window, queries, S3 locations and hyperparameters the later states use; <c>decide</c> takes the count query's
/// result and says whether the window holds enough data, filling in <c>scale_pos_weight</c> when it is <c>auto</c>
/// and giving the static hyperparameters of a tuning job; <c>baselineBins</c> takes the drift baseline's summary
/// result and returns the bin statement for its edges; <c>baseline</c> builds the model's
/// <see cref="DriftBaseline"/> from both results and writes it beside the model.
/// The contract is in README.md beside this file.
/// </summary>
/// <remarks>
/// Step Functions invokes it synchronously (<c>arn:aws:states:::lambda:invoke</c>); the response becomes
/// <c>$.Payload</c>. Input it cannot accept throws <see cref="InvalidEventException"/> with what was expected; a failed
/// S3 write throws the SDK's exception. The runtime posts either as the invocation error.
/// </remarks>
[SuppressMessage(
    "Naming",
    "CA1716:Identifiers should not match keywords",
    Justification = "Function is the Lambda convention for the handler class; no VB consumer exists.")]
public sealed class Function
{
    /// <summary>The action that plans a run.</summary>
    public const string PlanAction = "plan";

    /// <summary>The action that decides on the counts.</summary>
    public const string DecideAction = "decide";

    /// <summary>The action that makes the drift baseline's bin statement from the summary's edges.</summary>
    public const string BaselineBinsAction = "baselineBins";

    /// <summary>The action that builds and writes the drift baseline.</summary>
    public const string BaselineAction = "baseline";

    /// <summary>The name of the manifest's content type.</summary>
    public const string JsonContentType = "application/json";

    /// <summary>The model-quality statistics document, in the model prefix.</summary>
    public const string ModelQualityFileName = "model-quality.json";

    /// <summary>
    /// The execution name <c>decide</c> and <c>baselineBins</c> plan under (they only need the window, thresholds and
    /// statements, none of the run's names).
    /// </summary>
    private const string WindowOnlyExecutionName = "decide";

    private const string Expected =
        "an object with \"action\": \"plan\" (with \"executionName\", optional \"window\" {\"from\",\"to\"} and \"hyperparameters\"), " +
        "\"decide\" (with \"rows\", \"positives\" and \"hyperparameters\"), " +
        "\"baselineBins\" (with \"window\" and \"summary\") " +
        "or \"baseline\" (with \"executionName\", \"window\", \"summary\" and \"bins\")";

    private const string SummaryExpected = "the baselineSummary query's GetQueryResults ResultSet";

    private const string BinsExpected = "the baselineBins statement's GetQueryResults ResultSet";

    private readonly PrepareRunConfiguration _configuration;
    private readonly IObjectStore _store;
    private readonly TimeProvider _clock;
    private readonly TextWriter _log;

    /// <summary>Creates the function.</summary>
    /// <param name="configuration">The settings read at start-up.</param>
    /// <param name="store">Where the manifest is written.</param>
    /// <param name="timeProvider">The clock (UTC today decides the default window).</param>
    /// <param name="log">Where log lines (JSON objects) go.</param>
    public Function(PrepareRunConfiguration configuration, IObjectStore store, TimeProvider timeProvider, TextWriter log)
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
    /// <param name="cancellationToken">Cancels the S3 write.</param>
    /// <returns>The response (UTF-8 JSON).</returns>
    /// <exception cref="InvalidEventException">The event is not one the function accepts; the message says what was expected.</exception>
    public async Task<Stream> HandleAsync(Stream input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var document = EventJson.Parse(input, Expected);
        var root = document.RootElement;
        var action = EventJson.Action(root);
        return action switch
        {
            PlanAction => await PlanAsync(root, cancellationToken),
            DecideAction => Decide(root),
            BaselineBinsAction => BaselineBins(root),
            BaselineAction => await BaselineAsync(root, cancellationToken),
            null => throw new InvalidEventException($"action is missing; expected {Expected}."),
            _ => throw new InvalidEventException(
                $"action is '{action}'; expected \"{PlanAction}\", \"{DecideAction}\", \"{BaselineBinsAction}\" or \"{BaselineAction}\"."),
        };
    }

    /// <summary>
    /// Formats the counted class weight, negatives ÷ positives, with four significant digits (whole numbers from 1,000
    /// on), invariant, without an exponent: e.g. <c>99</c>, <c>3.142</c>, <c>33333</c>.
    /// </summary>
    /// <param name="negatives">Records with a false label.</param>
    /// <param name="positives">Records with a true label (at least 1).</param>
    /// <returns>The weight as XGBoost reads it.</returns>
    public static string FormatScalePosWeight(long negatives, long positives)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(negatives);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(positives);
        var ratio = (double)negatives / positives;
        var magnitude = ratio > 0 ? (int)Math.Floor(Math.Log10(ratio)) : 0;
        var decimals = Math.Clamp(3 - magnitude, 0, 15);
        return Math.Round(ratio, decimals, MidpointRounding.AwayFromZero).ToString("0.###############", CultureInfo.InvariantCulture);
    }

    private async Task<MemoryStream> PlanAsync(JsonElement root, CancellationToken cancellationToken)
    {
        var executionName = EventJson.RequiredString(root, string.Empty, "executionName", "the Step Functions execution name (from $$.Execution.Name)");
        var (from, to) = ReadWindow(root);
        var overrides = EventJson.OptionalStringMap(root, "hyperparameters");
        var settings = _configuration.Settings;
        if (overrides is { Count: > 0 })
        {
            // A run's own values win over the configured ones (a fixed SCALE_POS_WEIGHT included).
            var merged = new Dictionary<string, string>(settings.HyperparameterOverrides ?? new Dictionary<string, string>(), StringComparer.Ordinal);
            foreach (var (name, value) in overrides)
            {
                merged[name] = value;
            }

            settings = settings with { HyperparameterOverrides = merged };
        }

        var plan = CreatePlan(settings, new TrainingRunRequest { ExecutionName = executionName, From = from, To = to });
        var tuningJobName = TuningJobName.Derive(settings.JobNamePrefix, plan.RunId);
        var manifest = plan.S3Uri(plan.ManifestKey);
        await _store.PutAsync(plan.LakeBucket, plan.ManifestKey, plan.ManifestJson(), JsonContentType, cancellationToken);
        JsonOutput.LogLine(
            _log,
            new RunPlannedLog("Training run planned.", plan.RunId, plan.TrainingJobName, tuningJobName, plan.Window.ToString(), manifest),
            PrepareRunJson.Default.RunPlannedLog);
        return JsonOutput.Response(
            new PlanResponse(
                plan.RunId,
                plan.ExecutionName,
                plan.TrainingJobName,
                tuningJobName,
                plan.CodeVersion,
                new DateWindowJson(plan.Window.FromText, plan.Window.ToText),
                new PlanQueries(plan.CountSql, plan.TrainUnloadSql, plan.ValidationUnloadSql, plan.BaselineSummarySql),
                new PlanLocations(
                    plan.S3Uri(plan.TrainPrefix),
                    plan.S3Uri(plan.ValidationPrefix),
                    plan.S3Uri(plan.ModelPrefix),
                    plan.S3Uri(plan.CheckpointPrefix),
                    plan.S3Uri(plan.EvaluationKey),
                    plan.S3Uri(plan.ModelPrefix + ModelQualityFileName),
                    plan.S3Uri(plan.DriftBaselineKey),
                    manifest),
                plan.Hyperparameters,
                plan.FeatureNames),
            PrepareRunJson.Default.PlanResponse);
    }

    private MemoryStream Decide(JsonElement root)
    {
        var rows = ReadCount(root, "rows");
        var positives = ReadCount(root, "positives");
        var hyperparameters = EventJson.OptionalStringMap(root, "hyperparameters")
            ?? throw new InvalidEventException("hyperparameters is missing; expected the plan's \"hyperparameters\" object (string values).");
        var (from, to) = ReadWindow(root);
        var plan = CreatePlan(_configuration.Settings, new TrainingRunRequest { ExecutionName = WindowOnlyExecutionName, From = from, To = to });
        RunDecision decision;
        try
        {
            decision = plan.Decide(rows, positives);
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new InvalidEventException(ex.Message, ex);
        }

        var result = new SortedDictionary<string, string>(hyperparameters, StringComparer.Ordinal);
        string? filled = null;
        if (decision.Proceed && _configuration.IsScalePosWeightAuto && !result.ContainsKey(PrepareRunConfiguration.ScalePosWeightHyperparameter))
        {
            filled = FormatScalePosWeight(rows - positives, positives);
            result[PrepareRunConfiguration.ScalePosWeightHyperparameter] = filled;
        }

        JsonOutput.LogLine(_log, new RunDecidedLog(decision.Reason, decision.Proceed, rows, positives, filled), PrepareRunJson.Default.RunDecidedLog);

        // For a tuning job: the same without the tuned names (SageMaker refuses a static value for a tuned one).
        var staticOnes = new SortedDictionary<string, string>(result, StringComparer.Ordinal);
        foreach (var tuned in _configuration.TunedHyperparameters)
        {
            staticOnes.Remove(tuned);
        }

        return JsonOutput.Response(new DecideResponse(decision.Proceed, decision.Reason, result, staticOnes), PrepareRunJson.Default.DecideResponse);
    }

    private MemoryStream BaselineBins(JsonElement root)
    {
        var (from, to) = ReadRequiredWindow(root);
        var summary = ReadResultSet(root, "summary", SummaryExpected);
        var plan = CreatePlan(_configuration.Settings, new TrainingRunRequest { ExecutionName = WindowOnlyExecutionName, From = from, To = to });
        IReadOnlyDictionary<string, IReadOnlyList<double>> edges;
        try
        {
            edges = plan.BaselineQuery.Edges(summary.Value);
        }
        catch (ArgumentException ex)
        {
            // A feature without a value in the train split: no retry gives it one, so the run fails with the reason.
            throw new InvalidEventException(ex.Message, ex);
        }

        var sql = plan.BaselineQuery.BinSql(plan.Window, edges);
        JsonOutput.LogLine(
            _log, new BaselineBinsPlannedLog("Drift baseline bins planned.", plan.Window.ToString(), edges.Count), PrepareRunJson.Default.BaselineBinsPlannedLog);
        return JsonOutput.Response(new BaselineBinsResponse(sql), PrepareRunJson.Default.BaselineBinsResponse);
    }

    private async Task<MemoryStream> BaselineAsync(JsonElement root, CancellationToken cancellationToken)
    {
        var executionName = EventJson.RequiredString(root, string.Empty, "executionName", "the Step Functions execution name (from $$.Execution.Name)");
        var (from, to) = ReadRequiredWindow(root);
        var summary = ReadResultSet(root, "summary", SummaryExpected);
        var bins = ReadResultSet(root, "bins", BinsExpected);
        var plan = CreatePlan(_configuration.Settings, new TrainingRunRequest { ExecutionName = executionName, From = from, To = to });
        DriftBaseline baseline;
        try
        {
            baseline = plan.BaselineQuery.Build(plan.RunId, summary.Value, bins.Count);
        }
        catch (ArgumentException ex)
        {
            // An empty train split or a feature without a value: the data, not the call, is wrong; the run fails with it.
            throw new InvalidEventException(ex.Message, ex);
        }

        var location = plan.S3Uri(plan.DriftBaselineKey);
        await _store.PutAsync(plan.LakeBucket, plan.DriftBaselineKey, DriftBaselineDocument.Write(baseline), JsonContentType, cancellationToken);
        JsonOutput.LogLine(
            _log, new BaselineWrittenLog("Drift baseline written.", plan.RunId, location, baseline.Rows), PrepareRunJson.Default.BaselineWrittenLog);
        return JsonOutput.Response(new BaselineResponse(location, baseline.Rows), PrepareRunJson.Default.BaselineResponse);
    }

    private TrainingRunPlan CreatePlan(TrainingRunSettings settings, TrainingRunRequest request)
    {
        try
        {
            return TrainingRunPlan.Create(_configuration.Schema, settings, request, _clock);
        }
        catch (ArgumentException ex)
        {
            // The settings were checked at start-up: what is left is the request (execution name, window, hyperparameters).
            throw new InvalidEventException(ex.Message, ex);
        }
    }

    private static (DateOnly? From, DateOnly? To) ReadWindow(JsonElement root)
    {
        if (EventJson.OptionalObject(root, string.Empty, "window", "null or an object {\"from\":\"yyyy-MM-dd\",\"to\":\"yyyy-MM-dd\"}") is not { } window)
        {
            return (null, null);
        }

        return (EventJson.OptionalDate(window, "window", "from"), EventJson.OptionalDate(window, "window", "to"));
    }

    private static (DateOnly? From, DateOnly? To) ReadRequiredWindow(JsonElement root)
    {
        // The baseline describes the run's train split, so it takes the run's window, never the default of the day it runs.
        const string Expected = "the plan's window {\"from\":\"yyyy-MM-dd\",\"to\":\"yyyy-MM-dd\"}";
        var window = EventJson.RequiredObject(root, string.Empty, "window", Expected);
        var from = EventJson.OptionalDate(window, "window", "from") ?? throw new InvalidEventException($"window.from is missing; expected {Expected}.");
        var to = EventJson.OptionalDate(window, "window", "to") ?? throw new InvalidEventException($"window.to is missing; expected {Expected}.");
        return (from, to);
    }

    private static ResultRow ReadResultSet(JsonElement root, string name, string expected)
    {
        var resultSet = EventJson.RequiredObject(root, string.Empty, name, $"{expected} (the task's $.ResultSet)");
        try
        {
            return new ResultRow(name, expected, QueryResultRow.Read(resultSet));
        }
        catch (FormatException ex)
        {
            throw new InvalidEventException($"{name}: {ex.Message}", ex);
        }
    }

    private static long ReadCount(JsonElement root, string name)
    {
        var expected = $"the count query's {name} as a whole number, 0 or more (Athena GetQueryResults' VarCharValue, e.g. \"12345\")";
        if (EventJson.Optional(root, name) is not { } value)
        {
            throw new InvalidEventException($"{name} is missing; expected {expected}.");
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed):
                return parsed;
            case JsonValueKind.Number when value.TryGetInt64(out var number) && number >= 0:
                return number;
            case JsonValueKind.String:
                throw new InvalidEventException($"{name} is '{value.GetString()}'; expected {expected}.");
            default:
                throw new InvalidEventException($"{name} is {value.GetRawText()}; expected {expected}.");
        }
    }

    /// <summary>
    /// One query's row, read by the baseline's columns: a missing column, or a value of another kind than the column's
    /// statistic (an array for the edges, a number for the rest), is an <see cref="InvalidEventException"/> naming it.
    /// </summary>
    private sealed class ResultRow(string name, string expected, IReadOnlyDictionary<string, object?> values)
    {
        private const string EdgesSuffix = "__edges";

        /// <summary>A summary value: a list of doubles for the edges, a long or double otherwise, or null (SQL NULL).</summary>
        public object? Value(string column)
        {
            var value = Raw(column);
            var edges = column.EndsWith(EdgesSuffix, StringComparison.Ordinal);
            return value switch
            {
                null => null,
                List<double> when edges => value,
                long or double when !edges => value,
                _ => throw WrongType(column, value, edges ? "an array of numbers (array(double))" : "a number"),
            };
        }

        /// <summary>A bin count: a whole number, 0 or more; NULL (a sum over no rows) is 0.</summary>
        public long Count(string column) => Raw(column) switch
        {
            null => 0,
            long count when count >= 0 => count,
            var value => throw WrongType(column, value, "a count, a whole number 0 or more (bigint)"),
        };

        private object? Raw(string column) =>
            values.TryGetValue(column, out var value)
                ? value
                : throw new InvalidEventException($"{name} has no column {column}; expected {expected}.");

        private InvalidEventException WrongType(string column, object value, string kind)
        {
            var shown = value switch
            {
                string text => $"the text '{text}'",
                List<double> list => $"an array of {list.Count} numbers",
                IFormattable number => $"the number {number.ToString(null, CultureInfo.InvariantCulture)}",
                _ => value.ToString(),
            };
            return new InvalidEventException($"{name}.{column} is {shown}; expected {kind}.");
        }
    }
}
