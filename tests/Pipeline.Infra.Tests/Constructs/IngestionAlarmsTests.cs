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

    // Thresholds: iterator age = alarms.iteratorAgeMinutes; freshness = 2 x (transform interval + 1.5 x S3 interval).
    [Theory]
    [InlineData("sandbox", "StreamIteratorAge", "AWS/Kinesis", "GetRecords.IteratorAgeMilliseconds", "Maximum", "GreaterThanThreshold", 900000, 1, 1)]
    [InlineData("production", "StreamIteratorAge", "AWS/Kinesis", "GetRecords.IteratorAgeMilliseconds", "Maximum", "GreaterThanThreshold", 600000, 1, 1)]
    [InlineData("sandbox", "StreamWriteThrottled", "AWS/Kinesis", "WriteProvisionedThroughputExceeded", "Sum", "GreaterThanThreshold", 0, 3, 3)]
    [InlineData("sandbox", "DeliveryFreshness", "AWS/Firehose", "DeliveryToS3.DataFreshness", "Maximum", "GreaterThanThreshold", 300, 1, 1)]
    [InlineData("production", "DeliveryFreshness", "AWS/Firehose", "DeliveryToS3.DataFreshness", "Maximum", "GreaterThanThreshold", 1020, 1, 1)]
    [InlineData("sandbox", "DeliverySuccess", "AWS/Firehose", "DeliveryToS3.Success", "Minimum", "LessThanThreshold", 1, 3, 2)]
    [InlineData("sandbox", "TransformInvocationSuccess", "AWS/Firehose", "ExecuteProcessing.Success", "Minimum", "LessThanThreshold", 1, 3, 2)]
    [InlineData("sandbox", "TransformErrors", "AWS/Lambda", "Errors", "Sum", "GreaterThanThreshold", 0, 1, 1)]
    public void Alarm_Metric_WatchesTheRightResourceWithTheDerivedThreshold(
        string profile, string alarm, string metricNamespace, string metric, string statistic, string comparison, double threshold, int periods, int datapoints)
    {
        var json = fixture.ByName(profile).Json(Stack);
        var properties = json.Resources[json.LogicalId("AWS::CloudWatch::Alarm", "Alarms" + alarm)]!["Properties"]!;
        var dimension = metricNamespace switch
        {
            "AWS/Kinesis" => $$"""{ "Name": "StreamName", "Value": {{Exports.Import(profile, "data-lake", "ExportsOutputRefStream4623365798360B6C")}} }""",
            "AWS/Firehose" => $$"""{ "Name": "DeliveryStreamName", "Value": { "Ref": "{{json.LogicalId("AWS::KinesisFirehose::DeliveryStream", "Delivery")}}" } }""",
            _ => $$"""{ "Name": "FunctionName", "Value": { "Ref": "{{json.LogicalId("AWS::Lambda::Function", "Transform")}}" } }""",
        };

        Assert.Equal(metricNamespace, (string?)properties["Namespace"]);
        Assert.Equal(metric, (string?)properties["MetricName"]);
        Assert.Equal(statistic, (string?)properties["Statistic"]);
        Assert.Equal(comparison, (string?)properties["ComparisonOperator"]);
        Assert.Equal(threshold, (double)properties["Threshold"]!);
        Assert.Equal(periods, (int)properties["EvaluationPeriods"]!);
        Assert.Equal(datapoints, (int)properties["DatapointsToAlarm"]!);
        TemplateJson.AssertEqual($"[{dimension}]", properties["Dimensions"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)properties["AlarmDescription"]));
    }
}
