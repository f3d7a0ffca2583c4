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
    [InlineData("LAKE_BUCKET", null, "LAKE_BUCKET is not set; expected the lake bucket's name.")]
    [InlineData("LAKE_BUCKET", "Pipeline_Lake", "LAKE_BUCKET: LakeBucket 'Pipeline_Lake' is not an S3 bucket name; use 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit. (Parameter 'settings')")]
    [InlineData("GLUE_DATABASE", null, "GLUE_DATABASE is not set; expected the Glue database of the curated table.")]
    [InlineData("GLUE_DATABASE", "Pipeline-DB", "GLUE_DATABASE: Database 'Pipeline-DB' is not a usable Glue database name; use 1 to 255 lowercase letters, digits and underscores. (Parameter 'options')")]
    [InlineData("GLUE_TABLE", "telemetry-v2", "GLUE_TABLE: Table 'telemetry-v2' is not a usable Glue table name; use 1 to 255 lowercase letters, digits and underscores. (Parameter 'options')")]
    [InlineData("LOOKBACK_DAYS", null, "LOOKBACK_DAYS is not set; expected a whole number of days.")]
    [InlineData("LOOKBACK_DAYS", "thirty", "LOOKBACK_DAYS is 'thirty'; expected a whole number of days, 1 to 3660.")]
    [InlineData("LOOKBACK_DAYS", "0", "LOOKBACK_DAYS: DefaultWindowDays 0 must be between 1 and 3660. (Parameter 'settings')")]
    [InlineData("MINIMUM_ROWS", "1", "MINIMUM_ROWS: MinimumRows 1 must be at least 2 (AUC needs a positive and a negative label). (Parameter 'settings')")]
    [InlineData("MINIMUM_ROWS", "1e3", "MINIMUM_ROWS is '1e3'; expected a whole number, at least 2.")]
    [InlineData("MINIMUM_POSITIVES", "1000", "MINIMUM_POSITIVES: MinimumPositives 1000 must be at least 1 and less than MinimumRows (1000). (Parameter 'settings')")]
    [InlineData("VALIDATION_FRACTION", "1.5", "VALIDATION_FRACTION: ValidationFraction 1.5 must be greater than 0 and less than 1, in steps of 1/10000 (e.g. 0.2). (Parameter 'options')")]
    [InlineData("VALIDATION_FRACTION", "20%", "VALIDATION_FRACTION is '20%'; expected a number between 0 and 1 such as 0.2.")]
    [InlineData("SCALE_POS_WEIGHT", null, "SCALE_POS_WEIGHT is not set; expected 'auto' or a positive number.")]
    [InlineData("SCALE_POS_WEIGHT", "Auto", "SCALE_POS_WEIGHT is 'Auto'; expected 'auto' or a positive number such as 25.")]
    [InlineData("SCALE_POS_WEIGHT", "0", "SCALE_POS_WEIGHT is '0'; expected 'auto' or a positive number such as 25.")]
    [InlineData("CODE_VERSION", null, "CODE_VERSION is not set; expected the code version (e.g. a commit id).")]
    [InlineData("TUNED_HYPERPARAMETERS", "eta,objective", "TUNED_HYPERPARAMETERS is 'eta,objective'; 'objective' is not a hyperparameter the pipeline sets. Expected a comma-separated list of: alpha, base_score, colsample_bylevel, colsample_bynode, colsample_bytree, early_stopping_rounds, eta, gamma, grow_policy, lambda, max_bin, max_delta_step, max_depth, max_leaves, min_child_weight, num_parallel_tree, num_round, sampling_method, scale_pos_weight, seed, subsample, tree_method, verbosity.")]
    [InlineData("TUNED_HYPERPARAMETERS", "eta,,max_depth", "TUNED_HYPERPARAMETERS is 'eta,,max_depth'; '' is not a hyperparameter the pipeline sets. Expected a comma-separated list of: alpha, base_score, colsample_bylevel, colsample_bynode, colsample_bytree, early_stopping_rounds, eta, gamma, grow_policy, lambda, max_bin, max_delta_step, max_depth, max_leaves, min_child_weight, num_parallel_tree, num_round, sampling_method, scale_pos_weight, seed, subsample, tree_method, verbosity.")]
    [InlineData("JOB_NAME_PREFIX", "-xgb", "JOB_NAME_PREFIX: JobNamePrefix '-xgb' must be 1 to 14 letters, digits and hyphens, starting and ending with a letter or digit (SageMaker job names: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}). (Parameter 'settings')")]
    public void FromEnvironment_BadVariable_FailsNamingIt(string variable, string? value, string message)
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

        Assert.Equal(message, ex.Message);
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

        Assert.Equal(
            "S3_SERVICE_URL is '127.0.0.1:4568'; expected an absolute http or https URL such as http://127.0.0.1:4568 (or leave it unset in Lambda).",
            ex.Message);
    }
}
