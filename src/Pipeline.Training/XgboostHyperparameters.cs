using System.Collections.Frozen;
using System.Globalization;

namespace Pipeline.Training;

/// <summary>
/// The hyperparameters of SageMaker's built-in XGBoost (version 1.7-1) for this pipeline: fixed ones that the data
/// layout and the evaluation gate depend on, defaults, and checked overrides
/// (https://docs.aws.amazon.com/sagemaker/latest/dg/xgboost_hyperparameters.html).
/// </summary>
public static class XgboostHyperparameters
{
    /// <summary>The learning objective: binary classification with probability output.</summary>
    public const string Objective = "binary:logistic";

    /// <summary>The evaluation metric; the algorithm reports it on the validation channel as <c>validation:auc</c>.</summary>
    public const string EvalMetric = "auc";

    /// <summary>The hyperparameters the pipeline sets and an override may not change.</summary>
    public static IReadOnlyDictionary<string, string> Fixed { get; } = new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["objective"] = Objective,
        ["eval_metric"] = EvalMetric,
    }.AsReadOnly();

    /// <summary>The defaults an override may replace.</summary>
    public static IReadOnlyDictionary<string, string> Defaults { get; } = new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["num_round"] = "200",
        ["max_depth"] = "5",
        ["eta"] = "0.2",
        ["subsample"] = "0.8",
        ["min_child_weight"] = "1",
        ["early_stopping_rounds"] = "20",
    }.AsReadOnly();

    private enum Kind
    {
        Integer,
        Number,
        Word,
    }

    /// <summary>The names an override may set, and what kind of value each takes.</summary>
    private static readonly FrozenDictionary<string, Kind> Allowed = new Dictionary<string, Kind>(StringComparer.Ordinal)
    {
        ["num_round"] = Kind.Integer,
        ["early_stopping_rounds"] = Kind.Integer,
        ["max_depth"] = Kind.Integer,
        ["max_leaves"] = Kind.Integer,
        ["max_bin"] = Kind.Integer,
        ["num_parallel_tree"] = Kind.Integer,
        ["seed"] = Kind.Integer,
        ["verbosity"] = Kind.Integer,
        ["eta"] = Kind.Number,
        ["gamma"] = Kind.Number,
        ["min_child_weight"] = Kind.Number,
        ["max_delta_step"] = Kind.Number,
        ["subsample"] = Kind.Number,
        ["colsample_bytree"] = Kind.Number,
        ["colsample_bylevel"] = Kind.Number,
        ["colsample_bynode"] = Kind.Number,
        ["lambda"] = Kind.Number,
        ["alpha"] = Kind.Number,
        ["scale_pos_weight"] = Kind.Number,
        ["base_score"] = Kind.Number,
        ["tree_method"] = Kind.Word,
        ["grow_policy"] = Kind.Word,
        ["sampling_method"] = Kind.Word,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The names an override may set, sorted.</summary>
    public static IReadOnlyList<string> OverridableNames { get; } = Array.AsReadOnly(Allowed.Keys.Order(StringComparer.Ordinal).ToArray());

    /// <summary>
    /// Merges the fixed values, the defaults and the overrides, after checking every override: a known name that is not
    /// fixed, and a value of the right kind (an integer, a finite number, or a lowercase word).
    /// </summary>
    /// <param name="overrides">Name to value; null or empty for none.</param>
    /// <returns>The hyperparameters for CreateTrainingJob, sorted by name.</returns>
    /// <exception cref="ArgumentException">An override is not allowed; the message says which and why.</exception>
    public static IReadOnlyDictionary<string, string> Merge(IReadOnlyDictionary<string, string>? overrides)
    {
        var merged = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in Defaults)
        {
            merged[name] = value;
        }

        foreach (var (name, value) in overrides ?? new Dictionary<string, string>())
        {
            merged[name] = Check(name, value, nameof(overrides));
        }

        foreach (var (name, value) in Fixed)
        {
            merged[name] = value;
        }

        return merged.AsReadOnly();
    }

    private static string Check(string name, string value, string paramName)
    {
        if (Fixed.ContainsKey(name ?? string.Empty))
        {
            throw new ArgumentException(
                $"Hyperparameter '{name}' is fixed by the pipeline ({name} = {Fixed[name!]}) and cannot be overridden.",
                paramName);
        }

        if (name is null || !Allowed.TryGetValue(name, out var kind))
        {
            throw new ArgumentException(
                $"Hyperparameter '{name}' is not one the pipeline lets you override; use one of: {string.Join(", ", OverridableNames)}.",
                paramName);
        }

        var ok = value is not null && value.Length is > 0 and <= 64 && kind switch
        {
            Kind.Integer => long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
            Kind.Number => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number),
            _ => value.All(c => char.IsAsciiLetterLower(c) || c == '_'),
        };
        if (!ok)
        {
            var expected = kind switch
            {
                Kind.Integer => "an integer, e.g. 100",
                Kind.Number => "a finite number in invariant notation, e.g. 0.3",
                _ => "a lowercase word, e.g. hist",
            };
            throw new ArgumentException($"Hyperparameter '{name}' = '{value}' is not {expected}.", paramName);
        }

        return value!;
    }
}
