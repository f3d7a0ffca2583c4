using System.Globalization;
using System.Text.Json.Nodes;
using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Constructs;

[Collection(CdkCollection.Name)]
public sealed class PipelineDashboardTests(AppFixture fixture)
{
    private const string Stack = "Operations";

    [Fact]
    public void Widgets_Production_NumberedSectionsInTheOrderARecordTravels()
    {
        // Each widget as its section heading's number, or the namespace of its graph's first metric.
        var widgets = Widgets("production").Select(w => w["properties"]!["markdown"] is { } markdown
            ? ((string)markdown!)[..5]
            : (string)w["properties"]!["metrics"]![0]![0]!);

        Assert.Equal(
            [
                "### 1", "AWS/Kinesis", "AWS/Kinesis", "AWS/Kinesis",
                "### 2", "AWS/Lambda", "AWS/Firehose", "AWS/Firehose", "AWS/Firehose",
                "### 3", "AWS/States", "AWS/States",
                "### 4", "AWS/SageMaker", "AWS/SageMaker", "AWS/SageMaker", "/aws/sagemaker/Endpoints",
                "### 5", "StreamingMlPipeline/Drift", "StreamingMlPipeline/Drift", "AWS/States",
            ],
            widgets);
        Assert.Equal("-P1D", (string?)Body("production")["start"]);
    }

    [Fact]
    public void Stream_Graphs_RecordsInLagAndThrottlesOfTheStream()
    {
        var stream = "<Import:mlpipe-production-data-lake:ExportsOutputRefStream4623365798360B6C>";

        Assert.Equal(
            [
                $"AWS/Kinesis IncomingRecords StreamName {stream} Sum",
                $"AWS/Kinesis GetRecords.IteratorAgeMilliseconds StreamName {stream} Maximum",
                $"AWS/Kinesis WriteProvisionedThroughputExceeded StreamName {stream} Sum",
            ],
            Graphs("production", "Records in", "Reader lag (ms)", "Writes throttled"));
    }

    [Fact]
    public void Transform_Graphs_InvocationsErrorsSuccessFreshnessAndBytesDelivered()
    {
        var function = "<Import:mlpipe-production-ingestion:ExportsOutputRefTransform98E31DF887FC7EFB>";
        var delivery = "<Import:mlpipe-production-ingestion:ExportsOutputRefDelivery5F6C039DCB4D5B3D>";

        Assert.Equal(
            [
                $"AWS/Lambda Invocations FunctionName {function} Sum",
                $"AWS/Lambda Errors FunctionName {function} Sum",
                $"AWS/Firehose ExecuteProcessing.Success DeliveryStreamName {delivery} Average",
                $"AWS/Firehose DeliveryToS3.Success DeliveryStreamName {delivery} Average",
                $"AWS/Firehose DeliveryToS3.DataFreshness DeliveryStreamName {delivery} Maximum",
                $"AWS/Firehose DeliveryToS3.Bytes DeliveryStreamName {delivery} Sum",
            ],
            Graphs("production", "Transform invocations and errors", "Transform and delivery success (0–1)", "Freshness: oldest record not yet in the lake (s)", "Bytes delivered to the lake"));
    }

    [Fact]
    public void Runs_Graphs_TrainAndPromoteExecutionsByOutcome()
    {
        var train = "<Import:mlpipe-production-training:ExportsOutputRefTrainABD8C7C9" ;
        var promote = "<Import:mlpipe-production-serving:ExportsOutputRefPromote5B155696";
        var lines = Graphs("production", "Training runs", "Promotions");

        Assert.Equal(
            ["ExecutionsStarted", "ExecutionsSucceeded", "ExecutionsFailed", "ExecutionsTimedOut", "ExecutionsStarted", "ExecutionsSucceeded", "ExecutionsFailed", "ExecutionsTimedOut"],
            lines.Select(l => l.Split(' ')[1]));
        Assert.All(lines.Take(4), l => Assert.Contains($"StateMachineArn {train}", l, StringComparison.Ordinal));
        Assert.All(lines.Skip(4), l => Assert.Contains($"StateMachineArn {promote}", l, StringComparison.Ordinal));
        Assert.All(lines, l => Assert.EndsWith(" Sum", l, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("sandbox")]
    [InlineData("production")]
    public void Endpoint_Graphs_RequestsLatencyAgainstTheAlarmErrorsAndInstances(string profile)
    {
        var endpoint = $"mlpipe-{profile}-endpoint";
        var thresholdMicroseconds = fixture.ByName(profile).Settings.Alarms.EndpointLatencyP99Ms * 1000;
        var variant = $"EndpointName {endpoint} VariantName AllTraffic";

        Assert.Equal(
            [
                $"AWS/SageMaker Invocations {variant} Sum",
                $"AWS/SageMaker ModelLatency {variant} p50",
                $"AWS/SageMaker ModelLatency {variant} p99",
                $"AWS/SageMaker Invocation4XXErrors {variant} Sum",
                $"AWS/SageMaker Invocation5XXErrors {variant} Sum",
                $"/aws/sagemaker/Endpoints CPUUtilization {variant} SampleCount 60",
            ],
            Graphs(profile, "Requests", "Model latency (µs)", "Errors", "Instances in service"));
        TemplateJson.AssertEqual($$"""{ "horizontal": [{ "value": {{thresholdMicroseconds}}, "label": "p99 alarm threshold", "yAxis": "left" }] }""",
            Widgets(profile).Single(w => (string?)w["properties"]!["title"] == "Model latency (µs)")["properties"]!["annotations"]);
    }

    [Fact]
    public void Drift_Graphs_MaxPsiAgainstBothThresholdsRequestsViolationsAndRuns()
    {
        var endpoint = "EndpointName mlpipe-production-endpoint";
        var drift = fixture.Production.Settings.Drift;
        var window = drift.WindowHours * 3600;
        var lines = Graphs("production", "Largest feature PSI", "Requests judged and schema violations");

        Assert.Equal(
            [
                $"StreamingMlPipeline/Drift MaxPsi {endpoint} Maximum {window}",
                $"StreamingMlPipeline/Drift CapturedRequests {endpoint} Sum {window}",
                $"StreamingMlPipeline/Drift SchemaViolations {endpoint} Sum {window}",
            ],
            lines);
        TemplateJson.AssertEqual($$"""
            { "horizontal": [
                { "value": {{drift.PsiWarn.ToString(CultureInfo.InvariantCulture)}}, "label": "warning", "color": "#ff7f0e", "yAxis": "left" },
                { "value": {{drift.PsiAlarm.ToString(CultureInfo.InvariantCulture)}}, "label": "alarm threshold", "color": "#d62728", "yAxis": "left" } ] }
            """, Widgets("production").Single(w => (string?)w["properties"]!["title"] == "Largest feature PSI")["properties"]!["annotations"]);
        Assert.All(Graphs("production", "Drift runs"),
            l => Assert.Contains("StateMachineArn <Import:mlpipe-production-serving:ExportsOutputRefDrift5E2E02F7", l, StringComparison.Ordinal));
    }

    private JsonObject Body(string profile)
    {
        var dashboard = Assert.Single(fixture.ByName(profile).Json(Stack).OfType("AWS::CloudWatch::Dashboard")).Value;
        Assert.Null(dashboard["Properties"]!["DashboardName"]);
        return JsonNode.Parse(StateMachineDefinition.Render(dashboard["Properties"]!["DashboardBody"]!))!.AsObject();
    }

    private List<JsonNode> Widgets(string profile) => [.. Body(profile)["widgets"]!.AsArray().Select(w => w!)];

    // Each metric line as "namespace name dimension value … statistic [period]" (CloudWatch's default statistic is Average).
    private List<string> Graphs(string profile, params string[] titles) =>
        [.. titles.SelectMany(title => Widgets(profile).Single(w => (string?)w["properties"]!["title"] == title)["properties"]!["metrics"]!.AsArray()
            .Select(line =>
            {
                var parts = line!.AsArray();
                var options = parts[^1]!.AsObject();
                var text = string.Join(' ', parts.Take(parts.Count - 1).Select(p => (string)p!)) + " " + ((string?)options["stat"] ?? "Average");
                return options["period"] is { } period ? $"{text} {period}" : text;
            }))];
}
