using Constructs;
using Pipeline.Infra.Constructs.DataLake;
using Pipeline.Infra.Constructs.Functions;
using static Pipeline.Infra.Constructs.Workflows.WorkflowFunctionProps;

namespace Pipeline.Infra.Constructs.Training;

/// <summary>
/// The evaluate Lambda (<c>lambdas/Pipeline.Evaluate</c>) the training state machine invokes as the gate: it compares a
/// trained model's validation AUC with the minimum and the current champion, writes the evaluation report and decides
/// the registered version's approval status. It may write only under the lake's models zone.
/// </summary>
public sealed class EvaluateFunction : DotnetFunction
{
    /// <summary>The handler: an executable assembly serving the Lambda Runtime API itself.</summary>
    public const string Handler = "Pipeline.Evaluate";

    /// <summary>Creates the function and lets it write the evaluation report.</summary>
    public EvaluateFunction(Construct scope, string id, EvaluateFunctionProps props)
        : base(scope, id, FunctionProps(props))
    {
        props.Lake.GrantWrite(Role, LakeZones.Models);
    }

    private static DotnetFunctionProps FunctionProps(EvaluateFunctionProps props)
    {
        ArgumentNullException.ThrowIfNull(props);
        return props.ToFunctionProps("training", Handler,
            "Gates a trained model on validation AUC and the current champion; writes the evaluation report.",
            "Training evaluate Lambda",
            TrainingFunctionWildcards.WritesUnder(LakeZones.Models),
            new Dictionary<string, string>
            {
                ["MINIMUM_AUC"] = EnvironmentValue(props.MinimumAuc),
                ["REGRESSION_TOLERANCE"] = EnvironmentValue(props.RegressionTolerance),
                ["AUTO_APPROVE"] = props.AutoApprove ? "true" : "false",
            });
    }
}
