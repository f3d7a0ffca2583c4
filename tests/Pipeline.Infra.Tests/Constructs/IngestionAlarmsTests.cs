using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Constructs;

[Collection(CdkCollection.Name)]
public sealed class IngestionAlarmsTests(AppFixture fixture)
{
    private const string Stack = "Ingestion";

    [Theory]
    [InlineData("sandbox")]
    [InlineData("production")]
    public void Alarms_Every_NotifiesTheAlarmTopicAndIgnoresMissingData(string profile)
    {
        var alarms = fixture.ByName(profile).Json(Stack).OfType("AWS::CloudWatch::Alarm");

        Assert.Equal(6, alarms.Count);
        Assert.All(alarms, a =>
        {
            TemplateJson.AssertEqual($"[{Exports.Import(profile, "security-baseline", "ExportsOutputRefAlarmTopicB56431CAD8F6611B")}]", a.Value["Properties"]!["AlarmActions"]);
            Assert.Null(a.Value["Properties"]!["ActionsEnabled"]);
            Assert.Equal("notBreaching", (string?)a.Value["Properties"]!["TreatMissingData"]);
            Assert.Equal(300, (int)a.Value["Properties"]!["Period"]!);
        });
    }

    [Theory]
    [InlineData("StreamIteratorAge", "AWS/Kinesis", "GetRecords.IteratorAgeMilliseconds", "Maximum", "GreaterThanThreshold", 1, 1)]
    [InlineData("StreamWriteThrottled", "AWS/Kinesis", "WriteProvisionedThroughputExceeded", "Sum", "GreaterThanThreshold", 3, 3)]
    [InlineData("DeliveryFreshness", "AWS/Firehose", "DeliveryToS3.DataFreshness", "Maximum", "GreaterThanThreshold", 1, 1)]
    [InlineData("DeliverySuccess", "AWS/Firehose", "DeliveryToS3.Success", "Minimum", "LessThanThreshold", 3, 2)]
    [InlineData("TransformInvocationSuccess", "AWS/Firehose", "ExecuteProcessing.Success", "Minimum", "LessThanThreshold", 3, 2)]
    [InlineData("TransformErrors", "AWS/Lambda", "Errors", "Sum", "GreaterThanThreshold", 1, 1)]
    public void Alarm_Metric_WatchesTheRightResource(
        string alarm, string metricNamespace, string metric, string statistic, string comparison, int periods, int datapoints)
    {
        var json = fixture.Sandbox.Json(Stack);
        var properties = Alarm(json, alarm);
        var dimension = metricNamespace switch
        {
            "AWS/Kinesis" => $$"""{ "Name": "StreamName", "Value": {{Exports.Import("sandbox", "data-lake", "ExportsOutputRefStream4623365798360B6C")}} }""",
            "AWS/Firehose" => $$"""{ "Name": "DeliveryStreamName", "Value": { "Ref": "{{json.LogicalId("AWS::KinesisFirehose::DeliveryStream", "Delivery")}}" } }""",
            _ => $$"""{ "Name": "FunctionName", "Value": { "Ref": "{{json.LogicalId("AWS::Lambda::Function", "Transform")}}" } }""",
        };

        Assert.Equal(metricNamespace, (string?)properties["Namespace"]);
        Assert.Equal(metric, (string?)properties["MetricName"]);
        Assert.Equal(statistic, (string?)properties["Statistic"]);
        Assert.Equal(comparison, (string?)properties["ComparisonOperator"]);
        Assert.Equal(periods, (int)properties["EvaluationPeriods"]!);
        Assert.Equal(datapoints, (int)properties["DatapointsToAlarm"]!);
        TemplateJson.AssertEqual($"[{dimension}]", properties["Dimensions"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)properties["AlarmDescription"]));
    }

    [Theory]
    [InlineData("StreamWriteThrottled", 0)]
    [InlineData("DeliverySuccess", 1)]
    [InlineData("TransformInvocationSuccess", 1)]
    [InlineData("TransformErrors", 0)]
    public void Alarm_AnyFailure_FixedThreshold(string alarm, double threshold)
    {
        Assert.Equal(threshold, (double)Alarm(fixture.Sandbox.Json(Stack), alarm)["Threshold"]!);
    }

    [Theory]
    [InlineData("sandbox")]
    [InlineData("production")]
    public void StreamIteratorAge_Threshold_TheConfiguredMinutesInMilliseconds(string profile)
    {
        var app = fixture.ByName(profile);

        Assert.Equal(app.Settings.Alarms.IteratorAgeMinutes * 60_000d, (double)Alarm(app.Json(Stack), "StreamIteratorAge")["Threshold"]!);
    }

    [Theory]
    [InlineData("sandbox")]
    [InlineData("production")]
    public void DeliveryFreshness_Threshold_TwiceTheTransformBufferPlusOneAndAHalfS3Buffers(string profile)
    {
        var app = fixture.ByName(profile);
        var delivery = app.Settings.Delivery;

        Assert.Equal(2 * (delivery.TransformBufferIntervalSeconds + (delivery.BufferIntervalSeconds * 3 / 2)),
            (double)Alarm(app.Json(Stack), "DeliveryFreshness")["Threshold"]!);
    }

    private static System.Text.Json.Nodes.JsonNode Alarm(TemplateJson json, string alarm) =>
        json.Resources[json.LogicalId("AWS::CloudWatch::Alarm", "Alarms" + alarm)]!["Properties"]!;
}
