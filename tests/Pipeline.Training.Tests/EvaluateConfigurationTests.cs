using Pipeline.Evaluate;
using Pipeline.Training.Tests.Support;

namespace Pipeline.Training.Tests;

public sealed class EvaluateConfigurationTests
{
    [Fact]
    public void FromEnvironment_AllVariablesSet_TakesEachOne()
    {
        var configuration = Settings.EvaluateConfiguration(v => v["AUTO_APPROVE"] = "false");

        Assert.Equal(
            (S3rverServer.Bucket, 0.8, 0.01, false),
            (configuration.LakeBucket, configuration.Gate.Options.MinimumAuc, configuration.Gate.Options.RegressionTolerance, configuration.AutoApprove));
    }

    [Theory]
    [InlineData("LAKE_BUCKET", null)]
    [InlineData("LAKE_BUCKET", "Lake_Bucket")]
    [InlineData("MINIMUM_AUC", null)]
    [InlineData("MINIMUM_AUC", "high")]
    [InlineData("MINIMUM_AUC", "0")]
    [InlineData("REGRESSION_TOLERANCE", "1")]
    [InlineData("REGRESSION_TOLERANCE", "NaN")]
    [InlineData("AUTO_APPROVE", null)]
    [InlineData("AUTO_APPROVE", "yes")]
    public void FromEnvironment_BadVariable_FailsNamingTheVariableAndItsValue(string variable, string? value)
    {
        var ex = Assert.Throws<FormatException>(() => Settings.EvaluateConfiguration(v =>
        {
            if (value is null)
            {
                v.Remove(variable);
            }
            else
            {
                v[variable] = value;
            }
        }));

        Messages.AssertNames(ex.Message, value is null ? [variable] : [variable, value]);
    }
}
