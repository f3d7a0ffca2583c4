using Pipeline.Infra.Constructs.Functions;

namespace Pipeline.Infra.Constructs.Training;

/// <summary>The policy wildcards of the training functions, which write a run's objects under one lake zone.</summary>
internal static class TrainingFunctionWildcards
{
    /// <summary>Object access under <paramref name="zone"/>, whose keys carry the run id.</summary>
    public static PolicyWildcards WritesUnder(string zone) => new(
        $"The function writes this run's objects under the lake's {zone} zone, whose keys carry the run id, so object access needs the zone prefix wildcard.",
        $"regex:/^Resource::.*\\/{zone.TrimEnd('/')}\\/\\*$/");
}
