using Pipeline.Training.Drift;
using Pipeline.Training.Tests.Support;

namespace Pipeline.Training.Tests;

public sealed class DriftConfigurationTests
{
    [Fact]
    public void FromEnvironment_EveryVariableSet_TakesEachOne()
    {
        var configuration = DriftFixtures.Configuration(v =>
        {
            v["WINDOW_HOURS"] = "168";
            v["PSI_WARN"] = "0.15";
            v["PSI_ALARM"] = "0.3";
            v["MINIMUM_ROWS"] = "500";
        });

        Assert.Equal(
            (S3rverServer.Bucket, "pipeline_lake", "endpoint_capture", "mlpipe-endpoint", 168),
            (configuration.LakeBucket, configuration.Database, configuration.CaptureTable, configuration.EndpointName, configuration.WindowHours));
        Assert.Equal(new DriftThresholds { PsiWarn = 0.15, PsiAlarm = 0.3, MinimumRows = 500 }, configuration.Thresholds);
    }

    [Fact]
    public void FromEnvironment_Layout_IsTheTelemetryModelsInputs()
    {
        var configuration = DriftFixtures.Configuration();

        Assert.Equal(DriftFixtures.Layout.FeatureNames, configuration.Layout.FeatureNames);
    }

    [Theory]
    [InlineData("LAKE_BUCKET", null, "LAKE_BUCKET is not set; expected the lake bucket's name.")]
    [InlineData("LAKE_BUCKET", "Pipeline_Lake", "LAKE_BUCKET is 'Pipeline_Lake'; expected an S3 bucket name: 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit.")]
    [InlineData("LAKE_BUCKET", "pipeline..lake", "LAKE_BUCKET is 'pipeline..lake'; expected an S3 bucket name: 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit.")]
    [InlineData("GLUE_DATABASE", null, "GLUE_DATABASE is not set; expected the Glue database of the capture table.")]
    [InlineData("GLUE_DATABASE", "Pipeline-DB", "GLUE_DATABASE: Database 'Pipeline-DB' is not a usable Glue database name; use 1 to 255 lowercase letters, digits and underscores. (Parameter 'options')")]
    [InlineData("CAPTURE_TABLE", null, "CAPTURE_TABLE is not set; expected the capture table's Glue name.")]
    [InlineData("CAPTURE_TABLE", "Endpoint-Capture", "CAPTURE_TABLE: 'pipeline_lake.Endpoint-Capture' is not a usable Glue table; use 1 to 255 lowercase letters, digits and underscores for each name. (Parameter 'table')")]
    [InlineData("ENDPOINT_NAME", null, "ENDPOINT_NAME is not set; expected the SageMaker endpoint whose capture is judged.")]
    [InlineData("ENDPOINT_NAME", "-endpoint", "ENDPOINT_NAME: '-endpoint' is not a SageMaker endpoint name: 1 to 63 letters, digits and hyphens, starting and ending with a letter or digit. (Parameter 'endpoint')")]
    [InlineData("ENDPOINT_NAME", "endpoint' OR '1'='1", "ENDPOINT_NAME: 'endpoint' OR '1'='1' is not a SageMaker endpoint name: 1 to 63 letters, digits and hyphens, starting and ending with a letter or digit. (Parameter 'endpoint')")]
    [InlineData("WINDOW_HOURS", null, "WINDOW_HOURS is not set; expected a whole number of hours, 1 to 168.")]
    [InlineData("WINDOW_HOURS", "0", "WINDOW_HOURS is '0'; expected a whole number of hours, 1 to 168.")]
    [InlineData("WINDOW_HOURS", "169", "WINDOW_HOURS is '169'; expected a whole number of hours, 1 to 168.")]
    [InlineData("WINDOW_HOURS", "1.5", "WINDOW_HOURS is '1.5'; expected a whole number of hours, 1 to 168.")]
    [InlineData("WINDOW_HOURS", "-1", "WINDOW_HOURS is '-1'; expected a whole number of hours, 1 to 168.")]
    [InlineData("PSI_WARN", null, "PSI_WARN is not set; expected a number such as 0.1.")]
    [InlineData("PSI_WARN", "10%", "PSI_WARN is '10%'; expected a number such as 0.1.")]
    [InlineData("PSI_WARN", "NaN", "PSI_WARN is 'NaN'; expected a number such as 0.1.")]
    [InlineData("PSI_ALARM", null, "PSI_ALARM is not set; expected a number such as 0.2.")]
    [InlineData("PSI_ALARM", "Infinity", "PSI_ALARM is 'Infinity'; expected a number such as 0.2.")]
    [InlineData("PSI_ALARM", "0.05", "PSI_WARN, PSI_ALARM: PSI thresholds must satisfy 0 < warn < alarm; warn is 0.1, alarm 0.05.")]
    [InlineData("PSI_WARN", "0", "PSI_WARN, PSI_ALARM: PSI thresholds must satisfy 0 < warn < alarm; warn is 0, alarm 0.2.")]
    [InlineData("MINIMUM_ROWS", null, "MINIMUM_ROWS is not set; expected a whole number, at least 1.")]
    [InlineData("MINIMUM_ROWS", "1e3", "MINIMUM_ROWS is '1e3'; expected a whole number, at least 1.")]
    [InlineData("MINIMUM_ROWS", "0", "MINIMUM_ROWS: MinimumRows 0 must be at least 1.")]
    public void FromEnvironment_BadVariable_FailsNamingIt(string variable, string? value, string message)
    {
        var ex = Assert.Throws<FormatException>(() => DriftFixtures.Configuration(v =>
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

    [Fact]
    public void FromEnvironment_EndpointNameLongerThanSageMakerAllows_FailsNamingIt()
    {
        var name = new string('e', 64);

        var ex = Assert.Throws<FormatException>(() => DriftFixtures.Configuration(v => v["ENDPOINT_NAME"] = name));

        Assert.StartsWith($"ENDPOINT_NAME: '{name}' is not a SageMaker endpoint name", ex.Message, StringComparison.Ordinal);
    }
}
