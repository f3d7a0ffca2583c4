using System.Text.Json.Nodes;
using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Constructs;

[Collection(CdkCollection.Name)]
public sealed class PipelineDashboardTests(AppFixture fixture)
{
    private const string Stack = "Operations";

    [Fact]
    public void Widgets_Production_InTheOrderARecordTravels()
    {
        var widgets = Widgets("production");

        Assert.Equal(
            [
                "### 1 · Stream: records producers put, and how far behind Firehose reads them",
                "Records in", "Reader lag (ms)", "Writes throttled",
                "### 2 · Transform and Firehose: records validated, converted to Parquet and delivered to the lake",
                "Transform invocations and errors", "Transform and delivery success (0–1)", "Freshness: oldest record not yet in the lake (s)", "Bytes delivered to the lake",
                "### 3 · Training and promotion: runs of the train and promote state machines",
                "Training runs", "Promotions",
                "### 4 · Endpoint: requests the served model answers (empty while no model is served)",
                "Requests", "Model latency (µs)", "Errors", "Instances in service",
                "### 5 · Drift: how far the captured requests moved from the served model's training data (one point per judged window)",
                "Largest feature PSI", "Requests judged and schema violations", "Drift runs",
            ],
            widgets.Select(w => (string)(w["properties"]!["title"] ?? w["properties"]!["markdown"])!));
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
    [InlineData("sandbox", "mlpipe-sandbox-endpoint", 500_000)]
    [InlineData("production", "mlpipe-production-endpoint", 300_000)]
    public void Endpoint_Graphs_RequestsLatencyAgainstTheAlarmErrorsAndInstances(string profile, string endpoint, int thresholdMicroseconds)
    {
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
        var lines = Graphs("production", "Largest feature PSI", "Requests judged and schema violations");

        Assert.Equal(
            [
                $"StreamingMlPipeline/Drift MaxPsi {endpoint} Maximum 86400",
                $"StreamingMlPipeline/Drift CapturedRequests {endpoint} Sum 86400",
                $"StreamingMlPipeline/Drift SchemaViolations {endpoint} Sum 86400",
            ],
            lines);
        TemplateJson.AssertEqual("""
            { "horizontal": [
                { "value": 0.1, "label": "warning", "color": "#ff7f0e", "yAxis": "left" },
                { "value": 0.2, "label": "alarm threshold", "color": "#d62728", "yAxis": "left" } ] }
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
