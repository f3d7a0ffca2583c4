using Pipeline.Infra.Constructs.Catalog;
using Pipeline.Infra.Constructs.Workflows;

namespace Pipeline.Infra.Constructs.Serving;

/// <summary>Properties of <see cref="DriftFunction"/>.</summary>
public sealed record DriftFunctionProps : WorkflowFunctionProps
{
    /// <summary>The table over the endpoint's data capture the window statement reads.</summary>
    public required CaptureTable Capture { get; init; }

    /// <summary>The endpoint whose captured requests are judged (the metrics carry its name).</summary>
    public required ModelEndpoint Endpoint { get; init; }

    /// <summary>Whole hours of captured requests one run judges, ending at the last whole hour before it starts.</summary>
    public required int WindowHours { get; init; }

    /// <summary>The PSI from which a feature's drift is a warning.</summary>
    public required double PsiWarn { get; init; }

    /// <summary>The PSI from which a feature's drift is an alarm, above <see cref="PsiWarn"/>.</summary>
    public required double PsiAlarm { get; init; }

    /// <summary>The fewest captured requests a window needs to be judged.</summary>
    public required int MinimumRows { get; init; }
}
