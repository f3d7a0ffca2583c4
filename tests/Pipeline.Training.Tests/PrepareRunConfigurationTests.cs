using Pipeline.PrepareRun;
using Pipeline.Training.Tests.Support;
using Pipeline.Lambda.Storage;

namespace Pipeline.Training.Tests;

public sealed class PrepareRunConfigurationTests
{
    [Fact]
    public void FromEnvironment_OptionalVariablesUnset_UsesTheSchemaTableAndPrefixXgb()
    {
        var configuration = Settings.PrepareRunConfiguration();

        Assert.Equal(["eta", "max_depth", "min_child_weight", "subsample"], configuration.TunedHyperparameters.Order(StringComparer.Ordinal));
        Assert.Equal(
            (null, "xgb", 30, 1000L, 10L, 0.2, "4f2c9ab", true, (string?)null),
            (configuration.Settings.Table, configuration.Settings.JobNamePrefix, configuration.Settings.DefaultWindowDays,
             configuration.Settings.MinimumRows, configuration.Settings.MinimumPositives, configuration.Settings.ValidationFraction,
             configuration.Settings.CodeVersion, configuration.IsScalePosWeightAuto, configuration.ScalePosWeight));
    }

    [Fact]
    public void FromEnvironment_AllVariablesSet_TakesEachOne()
    {
        var configuration = Settings.PrepareRunConfiguration(v =>
        {
            v["GLUE_TABLE"] = "telemetry_v2";
            v["JOB_NAME_PREFIX"] = "fail-xgb";
            v["SCALE_POS_WEIGHT"] = "12.5";
        });

        Assert.Equal(
            ("telemetry_v2", "fail-xgb", "12.5", "12.5"),
            (configuration.Settings.Table, configuration.Settings.JobNamePrefix, configuration.ScalePosWeight,
             configuration.Settings.HyperparameterOverrides!["scale_pos_weight"]));
    }

    [Theory]
    [InlineData("LAKE_BUCKET", null)]
    [InlineData("LAKE_BUCKET", "Pipeline_Lake")]
    [InlineData("GLUE_DATABASE", null)]
    [InlineData("GLUE_DATABASE", "Pipeline-DB")]
    [InlineData("GLUE_TABLE", "telemetry-v2")]
    [InlineData("LOOKBACK_DAYS", null)]
    [InlineData("LOOKBACK_DAYS", "thirty")]
    [InlineData("LOOKBACK_DAYS", "0")]
    [InlineData("MINIMUM_ROWS", "1")]
    [InlineData("MINIMUM_ROWS", "1e3")]
    [InlineData("MINIMUM_POSITIVES", "1000")]
    [InlineData("VALIDATION_FRACTION", "1.5")]
    [InlineData("VALIDATION_FRACTION", "20%")]
    [InlineData("SCALE_POS_WEIGHT", null)]
    [InlineData("SCALE_POS_WEIGHT", "Auto")]
    [InlineData("SCALE_POS_WEIGHT", "0")]
    [InlineData("CODE_VERSION", null)]
    [InlineData("TUNED_HYPERPARAMETERS", "eta,objective")]
    [InlineData("TUNED_HYPERPARAMETERS", "eta,,max_depth")]
    [InlineData("JOB_NAME_PREFIX", "-xgb")]
    public void FromEnvironment_BadVariable_FailsNamingTheVariableAndItsValue(string variable, string? value)
    {
        var ex = Assert.Throws<FormatException>(() => Settings.PrepareRunConfiguration(v =>
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

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void S3ObjectStore_NoServiceUrl_UsesTheRegionalEndpoint(string? serviceUrl)
    {
        var config = S3ObjectStore.CreateConfig(serviceUrl);

        Assert.Equal((null, false), (config.ServiceURL, config.ForcePathStyle));
    }

    [Fact]
    public void S3ObjectStore_ServiceUrl_UsesItWithPathStyle()
    {
        var config = S3ObjectStore.CreateConfig("http://127.0.0.1:4568");

        Assert.Equal(("http://127.0.0.1:4568/", true), (config.ServiceURL, config.ForcePathStyle));
    }

    [Fact]
    public void S3ObjectStore_ServiceUrlNotAnHttpUrl_FailsNamingTheVariable()
    {
        var ex = Assert.Throws<FormatException>(() => S3ObjectStore.CreateConfig("127.0.0.1:4568"));

        Messages.AssertNames(ex.Message, S3ObjectStore.ServiceUrlVariable, "'127.0.0.1:4568'");
    }
}
