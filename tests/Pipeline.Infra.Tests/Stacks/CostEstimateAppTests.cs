using Pipeline.Infra.Tests.Support;
using Pipeline.Reports;
using Pipeline.Reports.Cost;

namespace Pipeline.Infra.Tests.Stacks;

/// <summary>The cost estimates of both presets: every price the app needs is in the table, and a change of cost is deliberate.</summary>
[Collection(CdkCollection.Name)]
public sealed class CostEstimateAppTests(AppFixture fixture)
{
    [Theory]
    [InlineData("sandbox", "52.00", "0.1150")]
    [InlineData("production", "216.25", "0.2300")]
    public void Estimates_Preset_IdleAndEndpointPerHour(string profile, string idlePerMonth, string endpointPerHour)
    {
        var stacks = CloudAssembly.Stacks(new DirectoryInfo(fixture.ByName(profile).OutputDirectory));

        Assert.Equal(idlePerMonth, CostEstimate.Idle(stacks, PriceTable.Default).Sum(l => l.Cost).ToString("F2", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(endpointPerHour, CostEstimate.EndpointHourly(stacks, PriceTable.Default).Sum(l => l.Cost).ToString("F4", System.Globalization.CultureInfo.InvariantCulture));
        Assert.NotEmpty(CostEstimate.TrainingRun(stacks, PriceTable.Default));
    }

    [Fact]
    public void Idle_Sandbox_TheStreamAndTheEndpointsAreMostOfIt()
    {
        var idle = CostEstimate.Idle(CloudAssembly.Stacks(new DirectoryInfo(fixture.Sandbox.OutputDirectory)), PriceTable.Default);

        Assert.Equal(
            [
                ("SecurityBaseline", "KMS customer managed keys", 4.00m),
                ("SecurityBaseline", "Interface VPC endpoints (per AZ)", 14.60m),
                ("DataLake", "Kinesis stream, on-demand", 29.20m),
                ("Ingestion", "CloudWatch alarms (standard resolution)", 0.70m),
                ("Serving", "CloudWatch alarms (standard resolution)", 0.30m),
                ("Training", "CloudWatch alarms (standard resolution)", 0.20m),
                ("Operations", "CloudWatch dashboards", 3.00m),
            ],
            idle.Select(l => (l.Stack, l.Item, l.Cost)));
    }
}
