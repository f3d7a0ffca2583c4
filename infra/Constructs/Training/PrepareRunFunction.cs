using Constructs;
using Pipeline.Infra.Constructs.DataLake;
using Pipeline.Infra.Constructs.Functions;
using static Pipeline.Infra.Constructs.Workflows.WorkflowFunctionProps;

namespace Pipeline.Infra.Constructs.Training;

/// <summary>
/// The prepare-run Lambda (<c>lambdas/Pipeline.PrepareRun</c>) the training state machine invokes to plan a run (window,
/// queries, prefixes, job names, manifest), decide whether the window's data suffices, and write the drift baseline.
/// It may write only under the lake's models zone.
/// </summary>
public sealed class PrepareRunFunction : DotnetFunction
{
    /// <summary>The handler: an executable assembly serving the Lambda Runtime API itself.</summary>
    public const string Handler = "Pipeline.PrepareRun";

    /// <summary>Creates the function and lets it write the run manifest.</summary>
    public PrepareRunFunction(Construct scope, string id, PrepareRunFunctionProps props)
        : base(scope, id, FunctionProps(props))
    {
        JobNamePrefix = props.JobNamePrefix;
        // The run manifest goes next to the run's model.
        props.Lake.GrantWrite(Role, LakeZones.Models);
    }

    /// <summary>Start of every training and tuning job name the function plans (and of the training jobs a tuning job starts).</summary>
    public string JobNamePrefix { get; }

    private static DotnetFunctionProps FunctionProps(PrepareRunFunctionProps props)
    {
        ArgumentNullException.ThrowIfNull(props);
        return props.ToFunctionProps("training", Handler,
            "Plans a training run (window, queries, prefixes, manifest) and decides whether the data suffices.",
            "Training prepare-run Lambda",
            TrainingFunctionWildcards.WritesUnder(LakeZones.Models),
            new Dictionary<string, string>
            {
                ["GLUE_DATABASE"] = props.Catalog.DatabaseName,
                ["GLUE_TABLE"] = props.Catalog.TableName,
                ["LOOKBACK_DAYS"] = EnvironmentValue(props.LookbackDays),
                ["MINIMUM_ROWS"] = EnvironmentValue(props.MinimumRows),
                ["MINIMUM_POSITIVES"] = EnvironmentValue(props.MinimumPositives),
                ["VALIDATION_FRACTION"] = EnvironmentValue(props.ValidationFraction),
                ["SCALE_POS_WEIGHT"] = props.ScalePosWeight is { } weight ? EnvironmentValue(weight) : "auto",
                ["TUNED_HYPERPARAMETERS"] = string.Join(',', props.TunedHyperparameters),
                ["JOB_NAME_PREFIX"] = props.JobNamePrefix,
                ["CODE_VERSION"] = props.CodeVersion,
            });
    }
}
