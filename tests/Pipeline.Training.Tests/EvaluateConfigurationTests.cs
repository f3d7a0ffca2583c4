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
    [InlineData("LAKE_BUCKET", null, "LAKE_BUCKET is not set; expected the lake bucket's name.")]
    [InlineData("LAKE_BUCKET", "Lake_Bucket", "LAKE_BUCKET is 'Lake_Bucket'; expected an S3 bucket name: 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit.")]
    [InlineData("MINIMUM_AUC", null, "MINIMUM_AUC is not set; expected a number in (0, 1].")]
    [InlineData("MINIMUM_AUC", "high", "MINIMUM_AUC is 'high'; expected a number greater than 0 and at most 1, e.g. 0.8.")]
    [InlineData("MINIMUM_AUC", "0", "MINIMUM_AUC: MinimumAuc 0 must be greater than 0 and at most 1 (0.5 is a random guess). (Parameter 'options')")]
    [InlineData("REGRESSION_TOLERANCE", "1", "REGRESSION_TOLERANCE: RegressionTolerance 1 must be at least 0 and less than 1. (Parameter 'options')")]
    [InlineData("REGRESSION_TOLERANCE", "NaN", "REGRESSION_TOLERANCE is 'NaN'; expected a number at least 0 and less than 1, e.g. 0.01.")]
    [InlineData("AUTO_APPROVE", null, "AUTO_APPROVE is not set; expected true or false.")]
    [InlineData("AUTO_APPROVE", "yes", "AUTO_APPROVE is 'yes'; expected true or false.")]
    public void FromEnvironment_BadVariable_FailsNamingIt(string variable, string? value, string message)
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

        Assert.Equal(message, ex.Message);
    }
}
