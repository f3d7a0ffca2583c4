using Pipeline.Infra.Tests.Support;
using Pipeline.Reports;
using Pipeline.Reports.Cost;

namespace Pipeline.Infra.Tests.Stacks;

/// <summary>The cost estimates of both presets: every price the app needs is in the table, and a change of cost is deliberate.</summary>
[Collection(CdkCollection.Name)]
public sealed class CostEstimateAppTests(AppFixture fixture)
{
    [Theory]
    [InlineData("sandbox", "18.95", "14.95", "0.1150")]
    [InlineData("production", "259.85", "255.85", "0.2300")]
    public void Estimates_Preset_IdleAndEndpointPerHour(string profile, string idlePerMonth, string afterAllowances, string endpointPerHour)
    {
        var stacks = CloudAssembly.Stacks(new DirectoryInfo(fixture.ByName(profile).OutputDirectory));
        var idle = CostEstimate.Idle(stacks, PriceTable.Default);

        Assert.Equal(idlePerMonth, idle.Sum(l => l.Cost).ToString("F2", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(afterAllowances, (idle.Sum(l => l.Cost) + CostEstimate.Allowances(idle, PriceTable.Default).Sum(l => l.Cost)).ToString("F2", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(endpointPerHour, CostEstimate.EndpointHourly(stacks, PriceTable.Default).Sum(l => l.Cost).ToString("F4", System.Globalization.CultureInfo.InvariantCulture));
        Assert.NotEmpty(CostEstimate.TrainingRun(stacks, PriceTable.Default));
    }

    [Fact]
    public void Idle_Production_IncludesTheStreamsExtendedRetention()
    {
        var idle = CostEstimate.Idle(CloudAssembly.Stacks(new DirectoryInfo(fixture.Production.OutputDirectory)), PriceTable.Default);

        Assert.Contains(("DataLake", "Kinesis extended retention (168 h), 3 shards", 43.80m), idle.Select(l => (l.Stack, l.Item, l.Cost)));
    }

    [Fact]
    public void Idle_Sandbox_KeysTheShardAndWhatTheFreeAllowancesCover()
    {
        var idle = CostEstimate.Idle(CloudAssembly.Stacks(new DirectoryInfo(fixture.Sandbox.OutputDirectory)), PriceTable.Default);

        Assert.Equal(
            [
                ("SecurityBaseline", "KMS customer managed keys", 4.00m),
                ("DataLake", "Kinesis stream, 1 provisioned shard", 10.95m),
                ("Ingestion", "CloudWatch alarms (standard resolution)", 0.60m),
                ("Serving", "CloudWatch alarms (standard resolution)", 0.20m),
                ("Training", "CloudWatch alarms (standard resolution)", 0.20m),
                ("Operations", "CloudWatch dashboards", 3.00m),
            ],
            idle.Select(l => (l.Stack, l.Item, l.Cost)));
        // The goal: an idle sandbox within 15 USD a month, for an account running only this app.
        Assert.True(idle.Sum(l => l.Cost) + CostEstimate.Allowances(idle, PriceTable.Default).Sum(l => l.Cost) <= 15m);
    }
}
