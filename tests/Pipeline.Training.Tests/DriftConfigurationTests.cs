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
    [InlineData("LAKE_BUCKET", null)]
    [InlineData("LAKE_BUCKET", "Pipeline_Lake")]
    [InlineData("LAKE_BUCKET", "pipeline..lake")]
    [InlineData("GLUE_DATABASE", null)]
    [InlineData("GLUE_DATABASE", "Pipeline-DB")]
    [InlineData("CAPTURE_TABLE", null)]
    [InlineData("CAPTURE_TABLE", "Endpoint-Capture")]
    [InlineData("ENDPOINT_NAME", null)]
    [InlineData("ENDPOINT_NAME", "-endpoint")]
    [InlineData("ENDPOINT_NAME", "endpoint' OR '1'='1")]
    [InlineData("WINDOW_HOURS", null)]
    [InlineData("WINDOW_HOURS", "0")]
    [InlineData("WINDOW_HOURS", "169")]
    [InlineData("WINDOW_HOURS", "1.5")]
    [InlineData("WINDOW_HOURS", "-1")]
    [InlineData("PSI_WARN", null)]
    [InlineData("PSI_WARN", "10%")]
    [InlineData("PSI_WARN", "NaN")]
    [InlineData("PSI_ALARM", null)]
    [InlineData("PSI_ALARM", "Infinity")]
    [InlineData("PSI_ALARM", "0.05")]
    [InlineData("PSI_WARN", "0")]
    [InlineData("MINIMUM_ROWS", null)]
    [InlineData("MINIMUM_ROWS", "1e3")]
    [InlineData("MINIMUM_ROWS", "0")]
    public void FromEnvironment_BadVariable_FailsNamingTheVariableAndItsValue(string variable, string? value)
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

        Messages.AssertNames(ex.Message, value is null ? [variable] : [variable, value]);
    }

    [Fact]
    public void FromEnvironment_EndpointNameLongerThanSageMakerAllows_FailsNamingIt()
    {
        var name = new string('e', 64);

        var ex = Assert.Throws<FormatException>(() => DriftFixtures.Configuration(v => v["ENDPOINT_NAME"] = name));

        Messages.AssertNames(ex.Message, "ENDPOINT_NAME", $"'{name}'");
    }
}
