using Pipeline.Infra.Constructs.Workflows;

namespace Pipeline.Infra.Constructs.Training;

/// <summary>Properties of <see cref="EvaluateFunction"/>.</summary>
public sealed record EvaluateFunctionProps : WorkflowFunctionProps
{
    /// <summary>The validation AUC a model must reach to be registered.</summary>
    public required double MinimumAuc { get; init; }

    /// <summary>How far a model's AUC may fall below the champion's and still pass.</summary>
    public required double RegressionTolerance { get; init; }

    /// <summary>Whether a model that passes is registered approved (and so served) rather than pending manual approval.</summary>
    public required bool AutoApprove { get; init; }
}
