using System.Text.RegularExpressions;
using Pipeline.Training;
using Pipeline.Evaluate;

namespace Pipeline.Training.Tests;

/// <summary>The tuning job name (Core) and the customer-metadata values (evaluate): SageMaker's limits.</summary>
public sealed partial class NamingTests
{
    [Theory]
    [InlineData("xgb", "telemetry-20261129-0300", "xgb-telemetry-20261129-902103f8")]
    [InlineData("xgb", "run-1", "xgb-run-1-4e65d3fb")]
    [InlineData("fail-predictor", "telemetry-20261129-0300", "fail-predictor-telemetr-902103f8")]
    public void TuningJobName_RunId_IsPrefixHeadAndHash(string prefix, string runId, string expected)
    {
        Assert.Equal(expected, TuningJobName.Derive(prefix, runId));
    }

    [Theory]
    [InlineData("x")]
    [InlineData("xgb")]
    [InlineData("abcdefghijklmn")]
    public void TuningJobName_LongestRunIds_StayWithinCreateHyperParameterTuningJobsRule(string prefix)
    {
        var runIds = new[]
        {
            new string('a', TrainingRunPlan.MaxRunIdLength),
            "a-" + new string('b', TrainingRunPlan.MaxRunIdLength - 2),
            TrainingRunPlan.DeriveRunId("scheduled_" + new string('x', 70)),
            TrainingRunPlan.DeriveRunId("-----"),
        };

        Assert.All(runIds, runId => Assert.Matches(TuningJobNameRule(), TuningJobName.Derive(prefix, runId)));
    }

    [Fact]
    public void TuningJobName_RunIdsWithTheSameHead_DifferByTheHash()
    {
        var head = new string('a', 30);

        Assert.NotEqual(TuningJobName.Derive("xgb", head + "-1"), TuningJobName.Derive("xgb", head + "-2"));
    }

    [Theory]
    [InlineData("-xgb", "run-1")]
    [InlineData("abcdefghijklmno", "run-1")]
    [InlineData("xgb", "run_1")]
    [InlineData("xgb", "")]
    public void TuningJobName_InvalidPart_Throws(string prefix, string runId)
    {
        Assert.Throws<ArgumentException>(() => TuningJobName.Derive(prefix, runId));
    }

    [Theory]
    [InlineData("4f2c9ab", "4f2c9ab")]
    [InlineData("v1.2 (dirty)", "v1.2 _dirty_")]
    [InlineData("refs/heads/main@4f2c9ab+1", "refs/heads/main@4f2c9ab+1")]
    [InlineData("", "none")]
    [InlineData(null, "none")]
    [InlineData("größe-é", "größe-é")]
    [InlineData("emoji-\U0001F600", "emoji-__")]
    public void CustomerMetadata_Value_KeepsSageMakersCharacterClass(string? value, string expected)
    {
        Assert.Equal(expected, CustomerMetadata.Sanitize(value));
    }

    [Fact]
    public void CustomerMetadata_LongValue_IsCutTo256Characters()
    {
        Assert.Equal(new string('a', 256), CustomerMetadata.Sanitize(new string('a', 300)));
    }

    /// <summary>HyperParameterTuningJobName: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,31}, anchored.</summary>
    [GeneratedRegex("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,31}$")]
    private static partial Regex TuningJobNameRule();
}
