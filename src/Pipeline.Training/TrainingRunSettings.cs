namespace Pipeline.Training;

/// <summary>The configured side of a training run: where the data is, how much of it is enough, how to train.</summary>
public sealed record TrainingRunSettings
{
    /// <summary>The lake bucket the channels, model artifacts and checkpoints are written to.</summary>
    public required string LakeBucket { get; init; }

    /// <summary>The Glue database of the curated table.</summary>
    public required string Database { get; init; }

    /// <summary>The table; null for the schema's name.</summary>
    public string? Table { get; init; }

    /// <summary>The window length when a run does not request one: the last N days ending yesterday (UTC); 1 to 3,660.</summary>
    public int DefaultWindowDays { get; init; } = 30;

    /// <summary>The fewest records in the window worth training on (at least 2: one positive and one negative).</summary>
    public long MinimumRows { get; init; } = 1_000;

    /// <summary>The fewest positive labels (failures) in the window worth training on (at least 1).</summary>
    public long MinimumPositives { get; init; } = 10;

    /// <summary>The share of records in the validation channel, in (0, 1).</summary>
    public double ValidationFraction { get; init; } = TrainingSetQueryOptions.DefaultValidationFraction;

    /// <summary>Hyperparameter overrides; only the names <see cref="XgboostHyperparameters.OverridableNames"/> lists.</summary>
    public IReadOnlyDictionary<string, string>? HyperparameterOverrides { get; init; }

    /// <summary>The version of the code that plans the run (e.g. a commit id), recorded in the manifest.</summary>
    public required string CodeVersion { get; init; }

    /// <summary>The start of every training job name, e.g. <c>xgb</c>: letters, digits and hyphens, at most 14 characters.</summary>
    public string JobNamePrefix { get; init; } = "xgb";
}

/// <summary>The per-run input of the prepare-run step: the execution and an optional date window.</summary>
public sealed record TrainingRunRequest
{
    /// <summary>The Step Functions execution name (1 to 80 characters, unique per state machine for 90 days).</summary>
    public required string ExecutionName { get; init; }

    /// <summary>The first event date to train on; give both dates or neither.</summary>
    public DateOnly? From { get; init; }

    /// <summary>The last event date to train on; give both dates or neither.</summary>
    public DateOnly? To { get; init; }
}

/// <summary>Whether a run has enough data to train, and why not.</summary>
/// <param name="Proceed">Whether to train.</param>
/// <param name="Reason">A sentence with the numbers, for the execution history and the operator.</param>
public sealed record RunDecision(bool Proceed, string Reason);
