using System.Collections.Frozen;
using System.Globalization;
using Pipeline.Schema;
using Pipeline.Training;

namespace Pipeline.PrepareRun;

/// <summary>
/// The function's settings, read from its environment variables once at start-up and checked there: a missing or bad
/// value fails initialisation with a message naming the variable.
/// </summary>
public sealed class PrepareRunConfiguration
{
    /// <summary>Required: the lake bucket (manifest, channels, model artifacts, checkpoints).</summary>
    public const string LakeBucketVariable = "LAKE_BUCKET";

    /// <summary>Required: the Glue database of the curated table.</summary>
    public const string GlueDatabaseVariable = "GLUE_DATABASE";

    /// <summary>Optional: the curated table; default the schema's name.</summary>
    public const string GlueTableVariable = "GLUE_TABLE";

    /// <summary>Required: the default window, the last N days ending yesterday (UTC), 1 to 3,660.</summary>
    public const string LookbackDaysVariable = "LOOKBACK_DAYS";

    /// <summary>Required: the fewest records in the window worth training on (at least 2).</summary>
    public const string MinimumRowsVariable = "MINIMUM_ROWS";

    /// <summary>Required: the fewest positive labels worth training on (at least 1, less than the rows).</summary>
    public const string MinimumPositivesVariable = "MINIMUM_POSITIVES";

    /// <summary>Required: the validation share, in (0, 1), in steps of 0.0001.</summary>
    public const string ValidationFractionVariable = "VALIDATION_FRACTION";

    /// <summary>Required: <c>auto</c> (negatives ÷ positives, counted per run) or a positive number.</summary>
    public const string ScalePosWeightVariable = "SCALE_POS_WEIGHT";

    /// <summary>Required: the code version recorded in the manifest (e.g. a commit id), at most 128 characters.</summary>
    public const string CodeVersionVariable = "CODE_VERSION";

    /// <summary>Optional: the start of every job name, default <c>xgb</c>.</summary>
    public const string JobNamePrefixVariable = "JOB_NAME_PREFIX";

    /// <summary>
    /// Optional: the hyperparameters a tuning job searches (comma-separated, e.g. <c>eta,max_depth</c>); <c>decide</c>
    /// leaves them out of <c>staticHyperparameters</c>, because SageMaker refuses a static value for a tuned one.
    /// Default none.
    /// </summary>
    public const string TunedHyperparametersVariable = "TUNED_HYPERPARAMETERS";

    /// <summary>The <c>SCALE_POS_WEIGHT</c> value that asks for the counted ratio.</summary>
    public const string AutoScalePosWeight = "auto";

    /// <summary>The XGBoost hyperparameter <c>SCALE_POS_WEIGHT</c> sets.</summary>
    public const string ScalePosWeightHyperparameter = "scale_pos_weight";

    private PrepareRunConfiguration(TrainingRunSettings settings, RecordSchema schema, string? scalePosWeight, IReadOnlySet<string> tuned)
    {
        Settings = settings;
        Schema = schema;
        ScalePosWeight = scalePosWeight;
        TunedHyperparameters = tuned;
    }

    /// <summary>
    /// The settings every run starts from; a fixed <c>SCALE_POS_WEIGHT</c> is in
    /// <see cref="TrainingRunSettings.HyperparameterOverrides"/>.
    /// </summary>
    public TrainingRunSettings Settings { get; }

    /// <summary>The record schema the training set is queried by.</summary>
    public RecordSchema Schema { get; }

    /// <summary>The fixed <c>scale_pos_weight</c> (invariant text), or null for <c>auto</c>.</summary>
    public string? ScalePosWeight { get; }

    /// <summary>The hyperparameters a tuning job searches (left out of the static ones).</summary>
    public IReadOnlySet<string> TunedHyperparameters { get; }

    /// <summary>Whether <c>scale_pos_weight</c> is computed per run from the counts.</summary>
    public bool IsScalePosWeightAuto => ScalePosWeight is null;

    /// <summary>Reads and checks the variables.</summary>
    /// <param name="environment">Reads a variable (null or empty when unset), e.g. <see cref="Environment.GetEnvironmentVariable(string)"/>.</param>
    /// <param name="schema">The record schema; null for <see cref="TelemetrySchema.Definition"/>.</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="FormatException">A variable is missing or invalid; the message names it and says what is expected.</exception>
    public static PrepareRunConfiguration FromEnvironment(Func<string, string?> environment, RecordSchema? schema = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        schema ??= TelemetrySchema.Definition;
        string? Optional(string name) => environment(name) is { Length: > 0 } value ? value : null;
        string Required(string name, string expected) =>
            Optional(name) ?? throw new FormatException($"{name} is not set; expected {expected}.");

        var bucket = Required(LakeBucketVariable, "the lake bucket's name");
        var database = Required(GlueDatabaseVariable, "the Glue database of the curated table");
        var table = Optional(GlueTableVariable);
        var lookback = ParseInteger(Required(LookbackDaysVariable, "a whole number of days"), LookbackDaysVariable, "a whole number of days, 1 to 3660");
        var rows = ParseInteger(Required(MinimumRowsVariable, "a whole number"), MinimumRowsVariable, "a whole number, at least 2");
        var positives = ParseInteger(Required(MinimumPositivesVariable, "a whole number"), MinimumPositivesVariable, "a whole number, at least 1");
        var fractionText = Required(ValidationFractionVariable, "a number between 0 and 1");
        if (!double.TryParse(fractionText, NumberStyles.Float, CultureInfo.InvariantCulture, out var fraction))
        {
            throw new FormatException($"{ValidationFractionVariable} is '{fractionText}'; expected a number between 0 and 1 such as 0.2.");
        }

        var weightText = Required(ScalePosWeightVariable, $"'{AutoScalePosWeight}' or a positive number");
        string? weight = null;
        if (!string.Equals(weightText, AutoScalePosWeight, StringComparison.Ordinal))
        {
            if (!double.TryParse(weightText, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number) || number <= 0)
            {
                throw new FormatException($"{ScalePosWeightVariable} is '{weightText}'; expected '{AutoScalePosWeight}' or a positive number such as 25.");
            }

            weight = number.ToString("R", CultureInfo.InvariantCulture);
        }

        var tuned = ParseTuned(Optional(TunedHyperparametersVariable));
        var codeVersion = Required(CodeVersionVariable, "the code version (e.g. a commit id)");
        var settings = new TrainingRunSettings
        {
            LakeBucket = bucket,
            Database = database,
            Table = table,
            DefaultWindowDays = lookback > int.MaxValue ? int.MaxValue : (int)lookback,
            MinimumRows = rows,
            MinimumPositives = positives,
            ValidationFraction = fraction,
            CodeVersion = codeVersion,
            JobNamePrefix = Optional(JobNamePrefixVariable) ?? "xgb",
            HyperparameterOverrides = weight is null ? null : new Dictionary<string, string> { [ScalePosWeightHyperparameter] = weight },
        };

        // Core checks every setting when it plans a run; plan a trial run now, so a bad value fails initialisation
        // (not the first run), and name the variable the failing setting comes from.
        try
        {
            var trial = TrainingRunPlan.Create(schema, settings, new TrainingRunRequest { ExecutionName = "configuration-check" }, TimeProvider.System);
            _ = TuningJobName.Derive(settings.JobNamePrefix, trial.RunId);
        }
        catch (ArgumentException ex)
        {
            throw new FormatException($"{VariableOf(ex.Message)}: {ex.Message}", ex);
        }

        return new PrepareRunConfiguration(settings, schema, weight, tuned);
    }

    private static FrozenSet<string> ParseTuned(string? text)
    {
        if (text is null)
        {
            return FrozenSet<string>.Empty;
        }

        var names = text.Split(',', StringSplitOptions.TrimEntries);
        foreach (var name in names)
        {
            if (!XgboostHyperparameters.OverridableNames.Contains(name))
            {
                throw new FormatException(
                    $"{TunedHyperparametersVariable} is '{text}'; '{name}' is not a hyperparameter the pipeline sets. Expected a comma-separated list of: {string.Join(", ", XgboostHyperparameters.OverridableNames)}.");
            }
        }

        return names.ToFrozenSet(StringComparer.Ordinal);
    }

    private static long ParseInteger(string text, string variable, string expected) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"{variable} is '{text}'; expected {expected}.");

    /// <summary>The variable behind the setting a Core message starts with (Core names the setting first).</summary>
    private static string VariableOf(string message)
    {
        (string Setting, string Variable)[] map =
        [
            ("LakeBucket", LakeBucketVariable),
            ("Database", GlueDatabaseVariable),
            ("Table", GlueTableVariable),
            ("DefaultWindowDays", LookbackDaysVariable),
            ("MinimumRows", MinimumRowsVariable),
            ("MinimumPositives", MinimumPositivesVariable),
            ("ValidationFraction", ValidationFractionVariable),
            ("CodeVersion", CodeVersionVariable),
            ("JobNamePrefix", JobNamePrefixVariable),
            ("Job-name prefix", JobNamePrefixVariable),
            ("Hyperparameter 'scale_pos_weight'", ScalePosWeightVariable),
        ];
        foreach (var (setting, variable) in map)
        {
            if (message.StartsWith(setting + " ", StringComparison.Ordinal))
            {
                return variable;
            }
        }

        return "The function's configuration is invalid";
    }
}
