using Pipeline.Infra.Stacks;
using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Constructs;

[Collection(CdkCollection.Name)]
public sealed class DataQualityMonitorTests(AppFixture fixture)
{
    private const string Stack = "Serving";

    [Fact]
    public void JobDefinition_Production_CapturedRequestsAgainstTheServedBaselineIsolatedAndEncrypted()
    {
        var json = fixture.Production.Json(Stack);
        var definition = Assert.Single(json.OfType("AWS::SageMaker::DataQualityJobDefinition")).Value;
        var properties = definition["Properties"]!.AsObject().DeepClone().AsObject();
        properties.Remove("Tags");

        TemplateJson.AssertEqual($$$"""
            {
              "DataQualityAppSpecification": {
                "Environment": { "publish_cloudwatch_metrics": "Enabled" },
                "ImageUri": { "Fn::Join": ["", [{ "Fn::FindInMap": ["{{{json.Root["Mappings"]!.AsObject().Single(m => m.Key.StartsWith("ModelMonitor", StringComparison.Ordinal)).Key}}}", { "Ref": "AWS::Region" }, "account"] }, ".dkr.ecr.", { "Ref": "AWS::Region" }, ".", { "Ref": "AWS::URLSuffix" }, "/sagemaker-model-monitor-analyzer"]] }
              },
              "DataQualityBaselineConfig": {
                "ConstraintsResource": { "S3Uri": { "Ref": "DataQualityConstraints" } },
                "StatisticsResource": { "S3Uri": { "Ref": "DataQualityStatistics" } }
              },
              "DataQualityJobInput": {
                "EndpointInput": { "EndpointName": "mlpipe-production-endpoint", "LocalPath": "/opt/ml/processing/input/endpoint", "S3DataDistributionType": "FullyReplicated", "S3InputMode": "File" }
              },
              "DataQualityJobOutputConfig": {
                "KmsKeyId": { "Fn::ImportValue": "mlpipe-production-security-baseline:ExportsOutputFnGetAttKeysDataKey8F3FE3A4Arn636228AA" },
                "MonitoringOutputs": [{ "S3Output": { "LocalPath": "/opt/ml/processing/output", "S3UploadMode": "EndOfJob",
                  "S3Uri": { "Fn::Join": ["", ["s3://", { "Fn::ImportValue": "mlpipe-production-data-lake:ExportsOutputRefLake42DFAD751F6F374A" }, "/monitoring/data-quality/"]] } } }]
              },
              "JobResources": {
                "ClusterConfig": { "InstanceCount": 1, "InstanceType": "ml.m5.xlarge", "VolumeKmsKeyId": { "Fn::ImportValue": "mlpipe-production-security-baseline:ExportsOutputFnGetAttKeysModelsKeyBBEE4091ArnE89110B3" }, "VolumeSizeInGB": 20 }
              },
              "NetworkConfig": {
                "EnableInterContainerTrafficEncryption": true,
                "EnableNetworkIsolation": true,
                "VpcConfig": {
                  "SecurityGroupIds": [{ "Fn::GetAtt": ["{{{json.LogicalId("AWS::EC2::SecurityGroup", "DataQualitySecurityGroup")}}}", "GroupId"] }],
                  "Subnets": [
                    { "Fn::ImportValue": "mlpipe-production-security-baseline:ExportsOutputRefNetworkVpcIsolatedSubnet1Subnet0400477E0480198B" },
                    { "Fn::ImportValue": "mlpipe-production-security-baseline:ExportsOutputRefNetworkVpcIsolatedSubnet2SubnetF65B365A08912845" },
                    { "Fn::ImportValue": "mlpipe-production-security-baseline:ExportsOutputRefNetworkVpcIsolatedSubnet3Subnet8C12D961FAF0BDD6" }
                  ]
                }
              },
              "RoleArn": { "Fn::GetAtt": ["{{{json.LogicalId("AWS::IAM::Role", "DataQualityRole")}}}", "Arn"] },
              "StoppingCondition": { "MaxRuntimeInSeconds": 1800 }
            }
            """, properties);
        TemplateJson.AssertEqual($$"""
            ["{{json.LogicalId("AWS::IAM::Policy", "DataQualityRoleDefaultPolicy")}}", "{{json.LogicalId("AWS::SageMaker::Endpoint", "Endpoint")}}"]
            """, definition["DependsOn"]);
    }

    [Fact]
    public void Schedule_Production_HourlyOnTheEndpointWithTheGeneratedDefinition()
    {
        var json = fixture.Production.Json(Stack);

        TemplateJson.AssertEqual($$"""
            {
              "EndpointName": "mlpipe-production-endpoint",
              "MonitoringScheduleConfig": {
                "MonitoringJobDefinitionName": { "Fn::Select": [1, { "Fn::Split": ["/", { "Fn::GetAtt": ["{{json.LogicalId("AWS::SageMaker::DataQualityJobDefinition", "DataQualityJobDefinition")}}", "JobDefinitionArn"] }] }] },
                "MonitoringType": "DataQuality",
                "ScheduleConfig": { "ScheduleExpression": "cron(0 * ? * * *)" }
              },
              "MonitoringScheduleName": "mlpipe-production-data-quality",
              "Tags": [{ "Key": "profile", "Value": "production" }, { "Key": "project", "Value": "mlpipe" }]
            }
            """, Assert.Single(json.OfType("AWS::SageMaker::MonitoringSchedule")).Value["Properties"]);
    }

    [Theory]
    [InlineData("Violations", """{ "ExitMessage": [{ "prefix": "CompletedWithViolations" }] }""",
        "\"Data-quality monitoring of mlpipe-production-endpoint found violations of the served model's baseline: <exit>. Reports: s3://")]
    [InlineData("RunFailures", """{ "ProcessingJobStatus": ["Failed"] }""",
        "\"A data-quality monitoring run of mlpipe-production-endpoint failed: <failure>.\"")]
    public void Rules_RunsOfThisSchedule_PublishedToTheAlarmTopic(string rule, string match, string message)
    {
        var json = fixture.Production.Json(Stack);
        var properties = json.Resources[json.LogicalId("AWS::Events::Rule", "DataQuality" + rule)]!["Properties"]!;
        var pattern = properties["EventPattern"]!.AsObject().DeepClone().AsObject();
        var detail = pattern["detail"]!.AsObject();
        var schedule = detail["MonitoringScheduleArn"]!.DeepClone();
        detail.Remove("MonitoringScheduleArn");

        TemplateJson.AssertEqual($$"""[{ "Fn::GetAtt": ["{{json.LogicalId("AWS::SageMaker::MonitoringSchedule", "DataQualitySchedule")}}", "MonitoringScheduleArn"] }]""", schedule);
        TemplateJson.AssertEqual(match, detail);
        TemplateJson.AssertEqual("""["aws.sagemaker"]""", pattern["source"]);
        TemplateJson.AssertEqual("""["SageMaker Processing Job State Change"]""", pattern["detail-type"]);
        var target = Assert.Single(properties["Targets"]!.AsArray())!;
        TemplateJson.AssertEqual("""{ "Fn::ImportValue": "mlpipe-production-security-baseline:ExportsOutputRefAlarmTopicB56431CAD8F6611B" }""", target["Arn"]);
        var template = target["InputTransformer"]!["InputTemplate"]!;
        Assert.StartsWith(message, template is System.Text.Json.Nodes.JsonValue ? (string)template! : (string)template["Fn::Join"]![1]![0]!, StringComparison.Ordinal);
    }

    [Fact]
    public void Resources_Production_OnlyWithAServedModelThatHasABaseline()
    {
        var json = fixture.Production.Json(Stack);

        TemplateJson.AssertEqual("""
            { "Fn::And": [
                { "Condition": "HasModel" },
                { "Fn::Not": [{ "Fn::Equals": [{ "Ref": "DataQualityStatistics" }, ""] }] },
                { "Fn::Not": [{ "Fn::Equals": [{ "Ref": "DataQualityConstraints" }, ""] }] }] }
            """, json.Root["Conditions"]!["Monitors"]);
        var monitoring = json.Resources.Where(r => r.Key.StartsWith("DataQuality", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            ["AWS::EC2::SecurityGroup", "AWS::Events::Rule", "AWS::Events::Rule", "AWS::IAM::Policy", "AWS::IAM::Role", "AWS::SageMaker::DataQualityJobDefinition", "AWS::SageMaker::MonitoringSchedule"],
            monitoring.Select(r => (string)r.Value!["Type"]!).Order(StringComparer.Ordinal));
        Assert.All(monitoring, r => Assert.Equal("Monitors", (string?)r.Value!["Condition"]));
    }

    [Theory]
    [InlineData(ServingStack.BaselineStatisticsParameter, "s3://lake-1/models/run-7/baseline/statistics.json", true)]
    [InlineData(ServingStack.BaselineConstraintsParameter, "s3://lake-1/models/run-7/baseline/constraints.json", true)]
    [InlineData(ServingStack.BaselineConstraintsParameter, "", true)]
    [InlineData(ServingStack.BaselineConstraintsParameter, "s3://lake-1/models/run-7/baseline/statistics.json", false)]
    [InlineData(ServingStack.BaselineStatisticsParameter, "s3://lake-1/training/run-7/baseline/statistics.json", false)]
    public void Parameters_Baseline_EmptyOrTheBaselineFileOfAModelInTheLake(string name, string value, bool allowed)
    {
        var parameter = fixture.Production.Json(Stack).Root["Parameters"]![name]!;

        Assert.Equal(string.Empty, (string?)parameter["Default"]);
        Assert.Equal(allowed, System.Text.RegularExpressions.Regex.IsMatch(value, (string)parameter["AllowedPattern"]!));
    }

    [Fact]
    public void Monitoring_Sandbox_NoneAndNoBaselineParameters()
    {
        var json = fixture.Sandbox.Json(Stack);

        Assert.DoesNotContain(json.Resources, r => r.Key.StartsWith("DataQuality", StringComparison.Ordinal));
        Assert.Null(json.Root["Parameters"]![ServingStack.BaselineConstraintsParameter]);
        Assert.Null(json.Root["Conditions"]!["Monitors"]);
    }
}
