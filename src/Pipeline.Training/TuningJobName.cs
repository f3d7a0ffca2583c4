using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Training;

/// <summary>
/// The name of a run's SageMaker hyperparameter tuning job. CreateHyperParameterTuningJob allows at most
/// <see cref="MaxLength"/> characters matching <c>^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,31}</c>
/// (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateHyperParameterTuningJob.html), much less than a
/// training job's 63, so a run id does not always fit whole.
/// </summary>
public static class TuningJobName
{
    /// <summary>The longest tuning job name SageMaker accepts.</summary>
    public const int MaxLength = 32;

    /// <summary>The number of hex digits of the run id's SHA-256 at the end of every name.</summary>
    public const int HashLength = 8;

    /// <summary>
    /// Derives the tuning job name of a run, deterministically: <c>prefix-head-hash</c>, where <c>hash</c> is the first
    /// <see cref="HashLength"/> hex digits of the SHA-256 of the run id (UTF-8) and <c>head</c> is as much of the run id
    /// as fits in <see cref="MaxLength"/> characters (trailing hyphens dropped; left out with its hyphen when nothing fits).
    /// Two run ids with the same head still get different names (through the hash).
    /// </summary>
    /// <param name="jobNamePrefix">The job-name prefix (<see cref="TrainingRunSettings.JobNamePrefix"/>): 1 to
    /// <see cref="TrainingRunPlan.MaxJobNamePrefixLength"/> letters, digits and hyphens, starting and ending with a letter or digit.</param>
    /// <param name="runId">The run id (<see cref="TrainingRunPlan.RunId"/>): letters, digits and single hyphens.</param>
    /// <returns>The name, e.g. <c>xgb-telemetry-20261129-3f1c2a9b</c>.</returns>
    /// <exception cref="ArgumentException">The prefix or the run id is not of the form described.</exception>
    public static string Derive(string jobNamePrefix, string runId)
    {
        if (!IsNamePart(jobNamePrefix) || jobNamePrefix.Length > TrainingRunPlan.MaxJobNamePrefixLength)
        {
            throw new ArgumentException(
                $"Job-name prefix '{jobNamePrefix}' must be 1 to {TrainingRunPlan.MaxJobNamePrefixLength} letters, digits and hyphens, starting and ending with a letter or digit.",
                nameof(jobNamePrefix));
        }

        if (!IsNamePart(runId) || runId.Length > TrainingRunPlan.MaxRunIdLength)
        {
            throw new ArgumentException(
                $"Run id '{runId}' must be 1 to {TrainingRunPlan.MaxRunIdLength} letters, digits and hyphens, starting and ending with a letter or digit.",
                nameof(runId));
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(runId)))[..HashLength];
        var room = MaxLength - jobNamePrefix.Length - HashLength - 2;
        var head = (runId.Length > room ? runId[..Math.Max(room, 0)] : runId).TrimEnd('-');
        return head.Length == 0 ? $"{jobNamePrefix}-{hash}" : $"{jobNamePrefix}-{head}-{hash}";
    }

    private static bool IsNamePart(string? text) =>
        !string.IsNullOrEmpty(text)
        && char.IsAsciiLetterOrDigit(text[0])
        && char.IsAsciiLetterOrDigit(text[^1])
        && text.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
}
