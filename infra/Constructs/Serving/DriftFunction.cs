using Constructs;
using Pipeline.Infra.Constructs.DataLake;
using Pipeline.Infra.Constructs.Functions;
using static Pipeline.Infra.Constructs.Workflows.WorkflowFunctionProps;

namespace Pipeline.Infra.Constructs.Serving;

/// <summary>
/// The drift Lambda (<c>lambdas/Pipeline.Drift</c>) the drift state machine invokes to plan a window's Athena statement
/// from the served model's baseline and to judge the window (PSI per feature and for the scores, schema violations):
/// it writes the window's report and publishes the metrics the drift alarms watch. It may read the baselines beside the
/// models and write only under the lake's drift zone.
/// </summary>
public sealed class DriftFunction : DotnetFunction
{
    /// <summary>The handler: an executable assembly serving the Lambda Runtime API itself.</summary>
    public const string Handler = "Pipeline.Drift";

    /// <summary>Creates the function and lets it read baselines and write reports.</summary>
    public DriftFunction(Construct scope, string id, DriftFunctionProps props)
        : base(scope, id, FunctionProps(props))
    {
        EndpointName = props.Endpoint.EndpointName;
        WindowHours = props.WindowHours;
        PsiWarn = props.PsiWarn;
        PsiAlarm = props.PsiAlarm;
        props.Lake.GrantRead(Role, LakeZones.Models);
        props.Lake.GrantWrite(Role, LakeZones.Drift);
    }

    /// <summary>The endpoint whose captured requests are judged: the dimension of every metric the function publishes.</summary>
    public string EndpointName { get; }

    /// <summary>Whole hours of captured requests one run judges.</summary>
    public int WindowHours { get; }

    /// <summary>The PSI from which a feature's drift is a warning.</summary>
    public double PsiWarn { get; }

    /// <summary>The PSI from which a feature's drift is an alarm.</summary>
    public double PsiAlarm { get; }

    private static DotnetFunctionProps FunctionProps(DriftFunctionProps props)
    {
        ArgumentNullException.ThrowIfNull(props);
        return props.ToFunctionProps("drift", Handler,
            "Plans a drift window's Athena statement from the served model's baseline and judges the window (PSI, schema violations).",
            "Drift Lambda",
            new PolicyWildcards(
                "The function reads each run's baseline beside its model and writes each window's report, whose keys carry the run id and the window's end, so object access needs the zone prefix wildcard.",
                "regex:/^Resource::.*\\/(models|drift)\\/\\*$/"),
            new Dictionary<string, string>
            {
                ["GLUE_DATABASE"] = props.Capture.DatabaseName,
                ["CAPTURE_TABLE"] = props.Capture.TableName,
                ["ENDPOINT_NAME"] = props.Endpoint.EndpointName,
                ["WINDOW_HOURS"] = EnvironmentValue(props.WindowHours),
                ["PSI_WARN"] = EnvironmentValue(props.PsiWarn),
                ["PSI_ALARM"] = EnvironmentValue(props.PsiAlarm),
                ["MINIMUM_ROWS"] = EnvironmentValue(props.MinimumRows),
            });
    }
}
