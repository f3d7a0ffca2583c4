using Pipeline.Infra.Constructs.Catalog;
using Pipeline.Infra.Constructs.Workflows;

namespace Pipeline.Infra.Constructs.Training;

/// <summary>Properties of <see cref="PrepareRunFunction"/>.</summary>
public sealed record PrepareRunFunctionProps : WorkflowFunctionProps
{
    /// <summary>The catalog whose curated table the run's queries read.</summary>
    public required DataCatalog Catalog { get; init; }

    /// <summary>Days of data before a run's end a run trains on, unless its input gives a window.</summary>
    public required int LookbackDays { get; init; }

    /// <summary>The fewest rows a window needs to train on.</summary>
    public required int MinimumRows { get; init; }

    /// <summary>The fewest positive labels a window needs to train on.</summary>
    public required int MinimumPositives { get; init; }

    /// <summary>Share of the window's rows held out for validation, in (0, 1).</summary>
    public required double ValidationFraction { get; init; }

    /// <summary>XGBoost's <c>scale_pos_weight</c>.</summary>
    /// <value>Default: null: derived per run from the window's ratio of negative to positive labels.</value>
    public double? ScalePosWeight { get; init; }

    /// <summary>The hyperparameters a tuning job searches; a run's input may not set them when it tunes.</summary>
    public required IReadOnlyList<string> TunedHyperparameters { get; init; }

    /// <summary>Start of every training and tuning job name the function plans.</summary>
    public required string JobNamePrefix { get; init; }

    /// <summary>The version of the function's source, recorded in every run manifest.</summary>
    public required string CodeVersion { get; init; }
}
