using System.Text.Json.Nodes;
using Pipeline.Training.Drift;

namespace Pipeline.Training.Tests.Drift;

public sealed class DriftReportDocumentTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset End = Start.AddHours(1);

    private static readonly DriftReport Alarm = new(
        200, DriftLevel.Alarm, 0.25,
        [new FeatureDrift("torque_nm", 0.25, 0, 0.05, 0.15, DriftLevel.Alarm), new FeatureDrift("product_quality", 0.01, 0.1, 0, 0.02, DriftLevel.Stable)],
        new FeatureDrift("prediction_score", 0.12, 0, 0, 0.1, DriftLevel.Warn),
        new SchemaViolations(1, 2, 3));

    [Fact]
    public void Write_Report_TheWindowThresholdsVerdictAndEveryFeature()
    {
        var json = JsonNode.Parse(DriftReportDocument.Write("mlpipe-endpoint", Start, End, "run-7", new DriftThresholds(), Alarm))!;

        TemplateEqual("""
            {
              "endpoint": "mlpipe-endpoint",
              "window": { "start": "2026-12-01T10:00:00Z", "end": "2026-12-01T11:00:00Z" },
              "baselineRun": "run-7",
              "thresholds": { "psiWarn": 0.1, "psiAlarm": 0.2, "minimumRows": 100 },
              "rows": 200,
              "level": "alarm",
              "maxPsi": 0.25,
              "violations": { "unknownFields": 1, "missingFields": 2, "wrongTypes": 3 },
              "features": [
                { "feature": "torque_nm", "psi": 0.25, "level": "alarm", "missingShareChange": 0, "outOfRangeShare": 0.05, "maxShareChange": 0.15 },
                { "feature": "product_quality", "psi": 0.01, "level": "stable", "missingShareChange": 0.1, "outOfRangeShare": 0, "maxShareChange": 0.02 }
              ],
              "scores": { "feature": "prediction_score", "psi": 0.12, "level": "warn", "missingShareChange": 0, "outOfRangeShare": 0, "maxShareChange": 0.1 }
            }
            """, json);
    }

    [Fact]
    public void MetricLines_JudgedWindow_EndpointLineThenOnePsiLinePerFeatureAndTheScores()
    {
        var lines = DriftReportDocument.MetricLines("mlpipe-endpoint", End, Alarm);

        Assert.Equal(
            [
                """{"_aws":{"Timestamp":1796122800000,"CloudWatchMetrics":[{"Namespace":"StreamingMlPipeline/Drift","Dimensions":[["EndpointName"]],"Metrics":[{"Name":"CapturedRequests","Unit":"Count"},{"Name":"SchemaViolations","Unit":"Count"},{"Name":"MaxPsi","Unit":"None"}]}]},"EndpointName":"mlpipe-endpoint","CapturedRequests":200,"SchemaViolations":6,"MaxPsi":0.25}""",
                """{"_aws":{"Timestamp":1796122800000,"CloudWatchMetrics":[{"Namespace":"StreamingMlPipeline/Drift","Dimensions":[["EndpointName","Feature"]],"Metrics":[{"Name":"Psi","Unit":"None"}]}]},"EndpointName":"mlpipe-endpoint","Feature":"torque_nm","Psi":0.25}""",
                """{"_aws":{"Timestamp":1796122800000,"CloudWatchMetrics":[{"Namespace":"StreamingMlPipeline/Drift","Dimensions":[["EndpointName","Feature"]],"Metrics":[{"Name":"Psi","Unit":"None"}]}]},"EndpointName":"mlpipe-endpoint","Feature":"product_quality","Psi":0.01}""",
                """{"_aws":{"Timestamp":1796122800000,"CloudWatchMetrics":[{"Namespace":"StreamingMlPipeline/Drift","Dimensions":[["EndpointName","Feature"]],"Metrics":[{"Name":"Psi","Unit":"None"}]}]},"EndpointName":"mlpipe-endpoint","Feature":"prediction_score","Psi":0.12}""",
            ],
            lines);
    }

    [Fact]
    public void MetricLines_InsufficientData_CountsOnlyNoPsiToAlarmOn()
    {
        var report = new DriftReport(12, DriftLevel.InsufficientData, 0, [], null, new SchemaViolations(0, 0, 0));

        var line = Assert.Single(DriftReportDocument.MetricLines("mlpipe-endpoint", End, report));

        Assert.EndsWith("""{"Name":"SchemaViolations","Unit":"Count"}]}]},"EndpointName":"mlpipe-endpoint","CapturedRequests":12,"SchemaViolations":0}""", line, StringComparison.Ordinal);
    }

    private static void TemplateEqual(string expected, JsonNode actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), actual.ToJsonString());
}
