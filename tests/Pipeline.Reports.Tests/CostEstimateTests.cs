using System.Text.Json.Nodes;
using Pipeline.Reports.Cost;
using Pipeline.Reports.Diagram;

namespace Pipeline.Reports.Tests;

/// <summary>The estimates on small templates, against answers computed by hand with round prices.</summary>
public sealed class CostEstimateTests
{
    private static readonly PriceTable Prices = PriceTable.Parse("""
        {
          "region": "us-east-1",
          "retrieved": "2026-11-29",
          "prices": {
            "kms.customerManagedKey.month": { "usd": 1.00, "verified": true },
            "kinesis.onDemand.streamHour": { "usd": 0.04 },
            "kinesis.provisioned.shardHour": { "usd": 0.015 },
            "privatelink.interfaceEndpoint.azHour": { "usd": 0.01 },
            "cloudwatch.alarm.metricMonth": { "usd": 0.10 },
            "cloudwatch.dashboard.month": { "usd": 3.00, "verified": false },
            "sagemaker.hosting.ml.m5.large.hour": { "usd": 0.115 },
            "sagemaker.training.ml.m5.xlarge.hour": { "usd": 0.23 }
          },
          "allowances": {
            "note": "always free",
            "cloudwatch.alarm.metricMonth": { "units": 10 },
            "cloudwatch.dashboard.month": { "units": 3 }
          }
        }
        """);

    private static SynthesizedStack Stack(string id, string resources) => new(id, JsonNode.Parse($$"""{ "Resources": {{resources}} }""")!.AsObject());

    [Fact]
    public void Idle_KeysStreamEndpointsAlarmsDashboard_HandComputed()
    {
        var stack = Stack("Small", """
            {
              "K1": { "Type": "AWS::KMS::Key" },
              "K2": { "Type": "AWS::KMS::Key" },
              "S": { "Type": "AWS::Kinesis::Stream", "Properties": { "StreamModeDetails": { "StreamMode": "ON_DEMAND" } } },
              "E1": { "Type": "AWS::EC2::VPCEndpoint", "Properties": { "VpcEndpointType": "Interface", "SubnetIds": [{ "Ref": "A" }, { "Ref": "B" }] } },
              "E2": { "Type": "AWS::EC2::VPCEndpoint", "Properties": { "VpcEndpointType": "Gateway" } },
              "A1": { "Type": "AWS::CloudWatch::Alarm", "Properties": { "MetricName": "Errors" } },
              "A2": { "Type": "AWS::CloudWatch::Alarm", "Properties": { "Metrics": [{ "Id": "e", "Expression": "a/b" }, { "Id": "a", "MetricStat": {} }, { "Id": "b", "MetricStat": {} }] } },
              "A3": { "Type": "AWS::CloudWatch::Alarm", "Condition": "HasModel", "Properties": { "MetricName": "Latency" } },
              "D": { "Type": "AWS::CloudWatch::Dashboard" },
              "F": { "Type": "AWS::Lambda::Function" }
            }
            """);

        var lines = CostEstimate.Idle([stack], Prices);

        // 2 keys × 1 + 730 h × 0.04 + 2 AZ × 730 h × 0.01 + (1 + 2) alarm metrics × 0.10 + 1 dashboard × 3 = 2 + 29.2 + 14.6 + 0.3 + 3.
        Assert.Equal(
            [
                ("KMS customer managed keys", 2m, 2.00m),
                ("Kinesis stream, on-demand", 730m, 29.20m),
                ("Interface VPC endpoints (per AZ)", 1460m, 14.60m),
                ("CloudWatch alarms (standard resolution)", 3m, 0.30m),
                ("CloudWatch dashboards", 1m, 3.00m),
            ],
            lines.Select(l => (l.Item, l.Quantity, l.Cost)));
        Assert.Equal(49.10m, lines.Sum(l => l.Cost));
    }

    [Fact]
    public void Idle_ProvisionedStream_ShardHours()
    {
        var stack = Stack("Small", """{ "S": { "Type": "AWS::Kinesis::Stream", "Properties": { "ShardCount": 3, "StreamModeDetails": { "StreamMode": "PROVISIONED" } } } }""");

        var line = Assert.Single(CostEstimate.Idle([stack], Prices));

        // 3 shards × 730 h × 0.015 = 32.85.
        Assert.Equal(("Kinesis stream, 3 provisioned shards", 2190m, 32.85m), (line.Item, line.Quantity, line.Cost));
    }

    [Fact]
    public void EndpointHourly_Variant_InstancesTimesThePrice()
    {
        var stack = Stack("Serving", """
            { "C": { "Type": "AWS::SageMaker::EndpointConfig", "Condition": "HasModel", "Properties": { "ProductionVariants": [{ "InstanceType": "ml.m5.large", "InitialInstanceCount": 2 }] } } }
            """);

        var line = Assert.Single(CostEstimate.EndpointHourly([stack], Prices));

        Assert.Equal(("Endpoint instances, ml.m5.large", 2m, 0.230m), (line.Item, line.Quantity, line.Cost));
    }

    [Fact]
    public void TrainingRun_Tuning_BudgetTimesMaximumRuntime()
    {
        var definition = """
            {"States":{
              "Train":{"Type":"Task","Resource":"arn:aws:states:::sagemaker:createTrainingJob.sync","Parameters":{"RoleArn":"ROLE","ResourceConfig":{"InstanceType":"ml.m5.xlarge","InstanceCount":2},"StoppingCondition":{"MaxRuntimeInSeconds":5400}}},
              "Tune":{"Type":"Task","Resource":"arn:aws:states:::sagemaker:createHyperParameterTuningJob.sync","Parameters":{"HyperParameterTuningJobConfig":{"ResourceLimits":{"MaxNumberOfTrainingJobs":4}}}}
            }}
            """;
        var parts = definition.Split("ROLE");
        var stack = Stack("Training", $$"""
            { "M": { "Type": "AWS::StepFunctions::StateMachine", "Properties": { "DefinitionString": { "Fn::Join": ["", [{{System.Text.Json.JsonSerializer.Serialize(parts[0])}}, { "Fn::GetAtt": ["Role", "Arn"] }, {{System.Text.Json.JsonSerializer.Serialize(parts[1])}}]] } } } }
            """);

        var lines = CostEstimate.TrainingRun([stack], Prices);

        // One job: 2 instances × 1.5 h = 3 instance-hours × 0.23 = 0.69; tuning: 4 jobs = 12 instance-hours = 2.76.
        Assert.Equal(
            [
                ("Training, ml.m5.xlarge: one job at most", 3m, 0.69m),
                ("Training, ml.m5.xlarge: a tuning run's 4 jobs at most", 12m, 2.76m),
            ],
            lines.Select(l => (l.Item, l.Quantity, l.Cost)));
    }

    [Fact]
    public void Prices_MissingKey_SaysWhatToAdd()
    {
        var stack = Stack("Serving", """
            { "C": { "Type": "AWS::SageMaker::EndpointConfig", "Properties": { "ProductionVariants": [{ "InstanceType": "ml.p5.48xlarge", "InitialInstanceCount": 1 }] } } }
            """);

        var error = Assert.Throws<KeyNotFoundException>(() => CostEstimate.EndpointHourly([stack], Prices));

        Assert.Contains("'sagemaker.hosting.ml.p5.48xlarge.hour'", error.Message, StringComparison.Ordinal);
        Assert.Contains("src/Pipeline.Reports/Cost/prices-us-east-1.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_UnverifiedPriceUsed_FootnotedWithItsKey()
    {
        var stack = Stack("Operations", """{ "K": { "Type": "AWS::KMS::Key" }, "D": { "Type": "AWS::CloudWatch::Dashboard" } }""");

        var report = CostReport.Render("sandbox", [stack], Prices);

        Assert.StartsWith("sandbox: idle per month, no model served (us-east-1 list prices of 2026-11-29; usage not counted)\n", report.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("  total idle" + new string(' ', 90) + "      4.00 USD/month", report, StringComparison.Ordinal);
        var footnote = report.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n')[^1];
        Assert.StartsWith("  * ", footnote, StringComparison.Ordinal);
        Assert.EndsWith(": cloudwatch.dashboard.month", footnote, StringComparison.Ordinal);
    }

    [Fact]
    public void Prices_Embedded_EveryEntryHasAPositivePrice()
    {
        Assert.Equal("us-east-1", PriceTable.Default.Region);
        Assert.Equal(1.00m, PriceTable.Default["kms.customerManagedKey.month"]);
        Assert.False(PriceTable.Default.IsUnverified("kms.customerManagedKey.month"));
    }

    [Fact]
    public void Allowances_AlwaysFreeUnits_TakenOffAtMostWhatIsUsed()
    {
        var stacks = new[]
        {
            Stack("A", string.Concat("{", string.Join(",", Enumerable.Range(0, 7).Select(i => $$"""
                "Alarm{{i}}": { "Type": "AWS::CloudWatch::Alarm", "Properties": { "MetricName": "M" } }
                """)), ""","D": { "Type": "AWS::CloudWatch::Dashboard" }}""")),
            Stack("B", string.Concat("{", string.Join(",", Enumerable.Range(0, 5).Select(i => $$"""
                "Alarm{{i}}": { "Type": "AWS::CloudWatch::Alarm", "Properties": { "MetricName": "M" } }
                """)), "}")),
        };

        var idle = CostEstimate.Idle(stacks, Prices);
        var free = CostEstimate.Allowances(idle, Prices);

        // 12 alarm metrics (1.20) and 1 dashboard (3.00): 10 alarm metrics and the dashboard are free, 0.20 is left.
        Assert.Equal([("Always free: 10 alarm-metric-months", -10m, -1.00m), ("Always free: 3 dashboard-months", -1m, -3.00m)],
            free.Select(l => (l.Item, l.Quantity, l.Cost)));
        Assert.Equal(0.20m, idle.Sum(l => l.Cost) + free.Sum(l => l.Cost));
    }
}
