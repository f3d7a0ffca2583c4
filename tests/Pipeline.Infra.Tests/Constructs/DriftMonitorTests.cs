using System.Globalization;
using System.Text.Json.Nodes;
using Pipeline.Infra.Sizing;
using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Constructs;

[Collection(CdkCollection.Name)]
public sealed class DriftMonitorTests(AppFixture fixture)
{
    private const string Stack = "Serving";

    private const string Topic = """{"Fn::ImportValue": "mlpipe-sandbox-security-baseline:ExportsOutputRefAlarmTopicB56431CAD8F6611B"}""";

    private JsonObject Resource(string type, string prefix, string profile = "sandbox")
    {
        var json = fixture.ByName(profile).Json(Stack);
        return json.Resources[json.LogicalId(type, prefix)]!.AsObject();
    }

    [Fact]
    public void Schedule_Sandbox_TheConfiguredScheduleWithAnEmptyInputOnlyWhileAModelIsServed()
    {
        var rule = Resource("AWS::Events::Rule", "DriftSchedule");

        Assert.Equal("HasModel", (string?)rule["Condition"]);
        Assert.Equal(fixture.Sandbox.Settings.Drift.Schedule, (string?)rule["Properties"]!["ScheduleExpression"]);
        Assert.Equal("{}", (string?)rule["Properties"]!["Targets"]![0]!["Input"]);
        Assert.StartsWith("Drift", (string?)rule["Properties"]!["Targets"]![0]!["Arn"]!["Ref"], StringComparison.Ordinal);
    }

    [Fact]
    public void DriftAlarm_MaxPsiOfTheEndpoint_AtTheAlarmThresholdOverOneWindowOnlyWhileServed()
    {
        var alarm = Resource("AWS::CloudWatch::Alarm", "DriftDriftAlarm");
        var drift = fixture.Sandbox.Settings.Drift;
        var properties = alarm["Properties"]!.AsObject().DeepClone().AsObject();
        properties.Remove("Tags");
        properties.Remove("AlarmDescription");

        Assert.Equal("HasModel", (string?)alarm["Condition"]);
        TemplateJson.AssertEqual($$"""
            {
              "AlarmActions": [{{Topic}}],
              "ComparisonOperator": "GreaterThanOrEqualToThreshold",
              "Dimensions": [{ "Name": "EndpointName", "Value": "mlpipe-sandbox-endpoint" }],
              "EvaluationPeriods": 1,
              "MetricName": "MaxPsi",
              "Namespace": "StreamingMlPipeline/Drift",
              "Period": {{drift.WindowHours * 3600}},
              "Statistic": "Maximum",
              "Threshold": {{drift.PsiAlarm.ToString(CultureInfo.InvariantCulture)}},
              "TreatMissingData": "notBreaching"
            }
            """, properties);
    }

    [Fact]
    public void ViolationsAlarm_AnySchemaViolationInAWindow_OnlyWhileServed()
    {
        var alarm = Resource("AWS::CloudWatch::Alarm", "DriftSchemaViolationsAlarm");

        Assert.Equal("HasModel", (string?)alarm["Condition"]);
        Assert.Equal("SchemaViolations", (string?)alarm["Properties"]!["MetricName"]);
        Assert.Equal("Sum", (string?)alarm["Properties"]!["Statistic"]);
        Assert.Equal(0, (double)alarm["Properties"]!["Threshold"]!);
        Assert.Equal("GreaterThanThreshold", (string?)alarm["Properties"]!["ComparisonOperator"]);
    }

    [Theory]
    [InlineData("DriftRunsFailed")]
    [InlineData("DriftRunsTimedOut")]
    public void RunAlarms_Any_OnlyWhileServedSoIdleMonitoringCostsNothing(string prefix)
    {
        Assert.Equal("HasModel", (string?)Resource("AWS::CloudWatch::Alarm", prefix)["Condition"]);
    }

    [Fact]
    public void Function_Environment_TheCaptureTableTheEndpointAndTheThresholds()
    {
        var function = Resource("AWS::Lambda::Function", "DriftFunction");
        var drift = fixture.Sandbox.Settings.Drift;
        string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);

        TemplateJson.AssertEqual($$"""
            {
              "LAKE_BUCKET": {"Fn::ImportValue": "mlpipe-sandbox-data-lake:ExportsOutputRefLake42DFAD751F6F374A"},
              "GLUE_DATABASE": "mlpipe_sandbox_lake",
              "CAPTURE_TABLE": "endpoint_capture",
              "ENDPOINT_NAME": "mlpipe-sandbox-endpoint",
              "WINDOW_HOURS": "{{drift.WindowHours}}",
              "PSI_WARN": "{{Text(drift.PsiWarn)}}",
              "PSI_ALARM": "{{Text(drift.PsiAlarm)}}",
              "MINIMUM_ROWS": "{{drift.MinimumRows}}"
            }
            """, function["Properties"]!["Environment"]!["Variables"]);
        Assert.Equal("Pipeline.Drift", (string?)function["Properties"]!["Handler"]);
        Assert.Null(function["Condition"]);
    }

    [Theory]
    [InlineData("sandbox")]
    [InlineData("production")]
    public void Workgroup_Cutoff_EveryCaptureOfAWindowAtTheLargestFleet(string profile)
    {
        var workgroup = Resource("AWS::Athena::WorkGroup", "DriftQueries", profile);
        var settings = fixture.ByName(profile).Settings;
        var bytes = DriftScan.BytesPerQuery(settings.Endpoint.MaxInstances, settings.Endpoint.MaxRpsPerInstance, settings.Endpoint.DataCapturePercent, settings.Drift.WindowHours);

        Assert.Equal(bytes, (long)workgroup["Properties"]!["WorkGroupConfiguration"]!["BytesScannedCutoffPerQuery"]!);
    }

    [Fact]
    public void Role_Policy_ReadsTheCaptureTableInItsWorkgroupAndDescribesOnlyPackages()
    {
        var statements = Resource("AWS::IAM::ManagedPolicy", "DriftRoleDefaultPolicy")["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray();
        string Actions(JsonNode s) => s["Action"] is JsonArray a ? string.Join(",", a.Select(x => (string?)x)) : (string)s["Action"]!;
        var actions = statements.Select(s => Actions(s!)).ToList();

        Assert.Contains("athena:GetQueryExecution,athena:GetQueryResults,athena:StartQueryExecution,athena:StopQueryExecution", actions);
        Assert.Contains("glue:GetDatabase,glue:GetPartitions,glue:GetTable,glue:GetTableVersion,glue:GetTableVersions", actions);
        Assert.Contains("sagemaker:DescribeModelPackage", actions);
        Assert.Contains("lambda:InvokeFunction", actions);
        Assert.DoesNotContain(actions, a => a.Contains("sagemaker:ListModelPackages", StringComparison.Ordinal) || a.Contains("glue:Create", StringComparison.Ordinal));
        var glue = statements.Single(s => Actions(s!).StartsWith("glue:", StringComparison.Ordinal))!;
        Assert.EndsWith(":table/mlpipe_sandbox_lake/endpoint_capture", (string?)glue["Resource"]![2]!["Fn::Join"]![1]!.AsArray().Last(), StringComparison.Ordinal);
        var read = statements.Single(s => Actions(s!) == "s3:GetObject")!["Resource"]!.AsArray().Select(r => (string?)r!["Fn::Join"]![1]![1]);
        Assert.Equal(["/athena-results/*", "/data-capture/*"], read);
    }

    [Fact]
    public void Output_DriftStateMachineArn_SaysHowToJudgeAWindowByHand()
    {
        var output = fixture.Sandbox.Json(Stack).Root["Outputs"]!["DriftStateMachineArn"]!;

        Assert.StartsWith("Drift", (string?)output["Value"]!["Ref"], StringComparison.Ordinal);
        Assert.Contains("aws stepfunctions start-execution --state-machine-arn <this>", (string?)output["Description"], StringComparison.Ordinal);
        Assert.Contains("\"windowEnd\"", (string?)output["Description"], StringComparison.Ordinal);
    }
}
