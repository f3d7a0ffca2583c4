using System.Globalization;
using System.Text.Json.Nodes;
using Pipeline.Reports.Cost;
using Pipeline.Reports.Diagram;

namespace Pipeline.Reports.Tests;

/// <summary>
/// Both presets' totals computed here, independently, from the committed synthesized templates
/// (tests/Pipeline.Infra.Tests/Snapshots) and round prices, against what the report computes: they agree within a cent.
/// </summary>
public sealed class CostTotalsFromSnapshotsTests
{
    private const decimal Hours = 730m;
    private const decimal SecondsPerMonth = 730m * 3600m;
    private const decimal GiB = 1024m * 1024m * 1024m;

    // The stacks in deployment order, as the snapshots name them.
    private static readonly string[] StackIds = ["SecurityBaseline", "DataLake", "Ingestion", "Serving", "Training", "Operations"];

    private static readonly PriceTable Prices = PriceTable.Parse("""
        {
          "region": "us-east-1",
          "retrieved": "2026-11-29",
          "prices": {
            "kms.customerManagedKey.month": { "usd": 1.00, "verified": true },
            "kinesis.provisioned.shardHour": { "usd": 0.01, "verified": true },
            "kinesis.provisioned.extendedRetention.shardHour": { "usd": 0.02, "verified": false },
            "privatelink.interfaceEndpoint.azHour": { "usd": 0.01, "verified": true },
            "cloudwatch.alarm.metricMonth": { "usd": 0.10, "verified": true },
            "cloudwatch.dashboard.month": { "usd": 3.00, "verified": true },
            "cloudwatch.customMetric.month": { "usd": 0.30, "verified": true },
            "stepfunctions.standard.transition": { "usd": 0.00002, "verified": true },
            "athena.scan.tb": { "usd": 5.00, "verified": true },
            "s3.standard.gbMonth": { "usd": 0.02, "verified": true },
            "sagemaker.hosting.ml.m5.large.hour": { "usd": 0.10, "verified": true },
            "sagemaker.training.ml.m5.xlarge.hour": { "usd": 0.20, "verified": true }
          }
        }
        """);

    [Theory]
    [InlineData("sandbox")]
    [InlineData("production")]
    public void Totals_SnapshotTemplates_AgreeWithAnIndependentCountWithinACent(string profile)
    {
        var stacks = Snapshots(profile);
        var resources = stacks.SelectMany(s => ((JsonObject)s.Template["Resources"]!).Select(r => (Stack: s.Id, Id: r.Key, Resource: r.Value!))).ToList();
        IEnumerable<JsonNode> OfType(string type) => resources.Where(r => (string?)r.Resource["Type"] == type).Select(r => r.Resource);
        static bool Conditional(JsonNode r) => r["Condition"] is not null;
        static int Metrics(JsonNode alarm) => alarm["Properties"]!["Metrics"] is JsonArray m ? m.Count(x => x!["MetricStat"] is not null) : 1;

        // Idle: keys, shards (and retention past 24 h), interface endpoints per subnet, unconditional alarm metrics, dashboards.
        var stream = OfType("AWS::Kinesis::Stream").Single()["Properties"]!;
        var shards = (int)stream["ShardCount"]!;
        var idle = OfType("AWS::KMS::Key").Count() * 1.00m
            + shards * Hours * 0.01m
            + ((int)stream["RetentionPeriodHours"]! > 24 ? shards * Hours * 0.02m : 0m)
            + OfType("AWS::EC2::VPCEndpoint").Where(e => (string?)e["Properties"]!["VpcEndpointType"] == "Interface").Sum(e => e["Properties"]!["SubnetIds"]!.AsArray().Count) * Hours * 0.01m
            + OfType("AWS::CloudWatch::Alarm").Where(a => !Conditional(a)).Sum(Metrics) * 0.10m
            + OfType("AWS::CloudWatch::Dashboard").Count() * 3.00m;

        // Serving: the endpoint's initial fleet.
        var config = OfType("AWS::SageMaker::EndpointConfig").Single()["Properties"]!;
        var initial = config["ProductionVariants"]!.AsArray().Sum(v => (int)v!["InitialInstanceCount"]!);
        var endpointPerHour = initial * 0.10m;

        // Serving, per month: alarms under a condition, 10 drift metrics, daily drift runs (every state once, each query at the drift cutoff), capture.
        var serving = stacks.Single(s => s.Id == "Serving");
        var drift = Definition(Resource(serving, "Drift", "AWS::StepFunctions::StateMachine"));
        Assert.Equal("cron(30 0 * * ? *)", (string)Resource(serving, "DriftSchedule", "AWS::Events::Rule")["Properties"]!["ScheduleExpression"]!);
        var runs = Hours / 24m;
        var driftCutoff = (long)Resource(serving, "DriftQueries", "AWS::Athena::WorkGroup")["Properties"]!["WorkGroupConfiguration"]!["BytesScannedCutoffPerQuery"]!;
        var windowHours = decimal.Parse((string)Resource(serving, "DriftFunction", "AWS::Lambda::Function")["Properties"]!["Environment"]!["Variables"]!["WINDOW_HOURS"]!, CultureInfo.InvariantCulture);
        var largest = (int)OfType("AWS::ApplicationAutoScaling::ScalableTarget").Single()["Properties"]!["MaxCapacity"]!;
        var captureBytesPerSecond = driftCutoff / (windowHours * 3600m) * initial / largest;
        var servingMonth = OfType("AWS::CloudWatch::Alarm").Where(Conditional).Sum(Metrics) * 0.10m
            + 10 * 0.30m
            + runs * ((JsonObject)drift["States"]!).Count * 0.00002m
            + runs * Occurrences(drift.ToJsonString(), "athena:startQueryExecution") * driftCutoff / 1e12m * 5.00m
            + captureBytesPerSecond * SecondsPerMonth / GiB * 0.02m;

        // Lake growth: the training workgroup's cutoff over the lookback window is the ingest rate; curated and raw each at that rate.
        var training = stacks.Single(s => s.Id == "Training");
        var trainingCutoff = (long)Resource(training, "Queries", "AWS::Athena::WorkGroup")["Properties"]!["WorkGroupConfiguration"]!["BytesScannedCutoffPerQuery"]!;
        var lookback = decimal.Parse((string)Resource(training, "PrepareRun", "AWS::Lambda::Function")["Properties"]!["Environment"]!["Variables"]!["LOOKBACK_DAYS"]!, CultureInfo.InvariantCulture);
        var growth = 2 * (trainingCutoff / (lookback * 86_400m)) * SecondsPerMonth / GiB * 0.02m;

        // One training run at most: one job, a tuning budget of jobs, and every query at the training cutoff.
        var train = Definition(Resource(training, "Train", "AWS::StepFunctions::StateMachine"));
        var job = ((JsonObject)train["States"]!).Select(s => s.Value!).Single(s => (string?)s["Resource"] == "arn:aws:states:::sagemaker:createTrainingJob.sync")["Parameters"]!;
        var jobHours = (int)job["ResourceConfig"]!["InstanceCount"]! * (int)job["StoppingCondition"]!["MaxRuntimeInSeconds"]! / 3600m;
        var budget = (int)((JsonObject)train["States"]!).Select(s => s.Value!).Single(s => (string?)s["Resource"] == "arn:aws:states:::sagemaker:createHyperParameterTuningJob.sync")["Parameters"]!["HyperParameterTuningJobConfig"]!["ResourceLimits"]!["MaxNumberOfTrainingJobs"]!;
        var run = (1 + budget) * jobHours * 0.20m + Occurrences(train.ToJsonString(), "athena:startQueryExecution") * trainingCutoff / 1e12m * 5.00m;

        Assert.Equal(5, Occurrences(train.ToJsonString(), "athena:startQueryExecution"));
        Assert.InRange(CostEstimate.Idle(stacks, Prices).Sum(l => l.Cost) - idle, -0.01m, 0.01m);
        Assert.InRange(CostEstimate.EndpointHourly(stacks, Prices).Sum(l => l.Cost) - endpointPerHour, -0.01m, 0.01m);
        Assert.InRange(CostEstimate.Serving(stacks, Prices).Sum(l => l.Cost) - servingMonth, -0.01m, 0.01m);
        Assert.InRange(CostEstimate.LakeGrowth(stacks, Prices).Sum(l => l.Cost) - growth, -0.01m, 0.01m);
        Assert.InRange(CostEstimate.TrainingRun(stacks, Prices).Sum(l => l.Cost) - run, -0.01m, 0.01m);
        Assert.Contains(idle.ToString("N2", CultureInfo.InvariantCulture) + " USD/month", CostReport.Render(profile, stacks, Prices), StringComparison.Ordinal);
    }

    [Fact]
    public void Report_ProductionSnapshot_MarksTheUnverifiedRetentionPriceOnItsLine()
    {
        var report = CostReport.Render("production", Snapshots("production"), Prices);

        var line = Assert.Single(report.ReplaceLineEndings("\n").Split('\n'), l => l.Contains("Kinesis extended retention", StringComparison.Ordinal));
        Assert.Equal("    Kinesis extended retention (168 h), 3 shards                 2190 shard-hour          ×     0.02 *     43.80", line);
        Assert.EndsWith(": kinesis.provisioned.extendedRetention.shardHour\n", report.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cron(30 0 * * ? *)", 24)]
    [InlineData("cron(0 3 ? * SUN *)", 168)]
    [InlineData("rate(1 hour)", 1)]
    public void RunsPerMonth_Schedule_730HoursOverItsPeriod(string expression, int periodHours)
    {
        Assert.Equal(730m / periodHours, CostEstimate.RunsPerMonth(expression));
    }

    private static IReadOnlyList<SynthesizedStack> Snapshots(string profile)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!Directory.Exists(Path.Combine(directory.FullName, "tests", "Pipeline.Infra.Tests", "Snapshots")))
        {
            directory = directory.Parent ?? throw new DirectoryNotFoundException("tests/Pipeline.Infra.Tests/Snapshots not found above the test's output directory.");
        }

        var snapshots = Path.Combine(directory.FullName, "tests", "Pipeline.Infra.Tests", "Snapshots");
        return [.. StackIds.Select(id => new SynthesizedStack(id, JsonNode.Parse(File.ReadAllText(Path.Combine(snapshots, $"{profile}.{id}.template.json")))!.AsObject()))];
    }

    // The one resource of a type whose logical id starts with the construct's id followed by CDK's 8-character hash.
    private static JsonNode Resource(SynthesizedStack stack, string id, string type) => ((JsonObject)stack.Template["Resources"]!)
        .Single(r => r.Key.Length == id.Length + 8 && r.Key.StartsWith(id, StringComparison.Ordinal) && (string?)r.Value!["Type"] == type).Value!;

    // A state machine's definition with its deploy-time references replaced by a placeholder.
    private static JsonNode Definition(JsonNode machine)
    {
        var definition = machine["Properties"]!["DefinitionString"]!;
        var text = definition is JsonValue value
            ? (string)value!
            : string.Concat(definition["Fn::Join"]![1]!.AsArray().Select(p => p is JsonValue v ? (string)v! : "REF"));
        return JsonNode.Parse(text)!;
    }

    private static int Occurrences(string text, string part) => (text.Length - text.Replace(part, string.Empty, StringComparison.Ordinal).Length) / part.Length;
}
