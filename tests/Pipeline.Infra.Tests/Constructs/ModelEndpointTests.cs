using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch.Actions;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.SNS;
using Pipeline.Infra.Constructs.Serving;
using Pipeline.Infra.Constructs.SageMaker;
using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Constructs;

[Collection(CdkCollection.Name)]
public sealed class ModelEndpointTests
{
    // A canary deployment on a fleet of 2 to 6, targeting 600 invocations per instance per minute.
    private static readonly Func<ModelEndpointProps, ModelEndpointProps> Canary = props => props;

    private static readonly Func<ModelEndpointProps, ModelEndpointProps> AllAtOnce = props => props with
    {
        InstanceType = "ml.m5d.large",
        MinInstances = 1,
        CanaryPercent = 0,
        EncryptVolume = false,
        DataCapturePercent = 0,
    };

    private static readonly Lazy<TemplateJson> CanaryTemplate = new(() => Synthesize(Canary, conditional: true));

    private static readonly Lazy<TemplateJson> AllAtOnceTemplate = new(() => Synthesize(AllAtOnce, conditional: false));

    [Fact]
    public void Endpoint_WithCondition_EveryResourceCreatedUnderIt()
    {
        var json = CanaryTemplate.Value;
        var serving = json.Resources.Where(r => r.Key.StartsWith("Endpoint", StringComparison.Ordinal)).ToList();

        Assert.Equal(13, serving.Count);
        Assert.All(serving, r => Assert.Equal("HasModel", (string?)r.Value!["Condition"]));
    }

    [Fact]
    public void Endpoint_WithoutCondition_ResourcesUnconditional()
    {
        var json = AllAtOnceTemplate.Value;

        Assert.All(json.Resources.Where(r => r.Key.StartsWith("Endpoint", StringComparison.Ordinal)), r => Assert.Null(r.Value!["Condition"]));
    }

    [Fact]
    public void Model_PackageInIsolatedSubnets_NetworkIsolatedAfterRolePolicy()
    {
        var json = CanaryTemplate.Value;
        var model = json.Resources[json.LogicalId("AWS::SageMaker::Model", "EndpointModel")]!;
        var subnet = json.LogicalId("AWS::EC2::Subnet", "Vpc");

        TemplateJson.AssertEqual($$"""
            {
              "Containers": [{ "ModelPackageName": { "Ref": "ModelPackageArn" } }],
              "EnableNetworkIsolation": true,
              "ExecutionRoleArn": { "Fn::GetAtt": ["{{json.LogicalId("AWS::IAM::Role", "EndpointRole")}}", "Arn"] },
              "VpcConfig": {
                "SecurityGroupIds": [{ "Fn::GetAtt": ["{{json.LogicalId("AWS::EC2::SecurityGroup", "EndpointSecurityGroup")}}", "GroupId"] }],
                "Subnets": [{ "Ref": "{{subnet}}" }]
              }
            }
            """, model["Properties"]);
        TemplateJson.AssertEqual($$"""["{{json.LogicalId("AWS::IAM::Policy", "EndpointRoleDefaultPolicy")}}"]""", model["DependsOn"]);
    }

    [Fact]
    public void Config_Canary_OneVariantWithVolumeKeyAndDataCapture()
    {
        var json = CanaryTemplate.Value;
        var config = json.Resources[json.LogicalId("AWS::SageMaker::EndpointConfig", "EndpointConfig")]!["Properties"];

        TemplateJson.AssertEqual($$"""
            {
              "DataCaptureConfig": {
                "CaptureContentTypeHeader": { "CsvContentTypes": ["text/csv"] },
                "CaptureOptions": [{ "CaptureMode": "Input" }, { "CaptureMode": "Output" }],
                "DestinationS3Uri": { "Fn::Join": ["", ["s3://", { "Ref": "Lake42DFAD75" }, "/data-capture"]] },
                "EnableCapture": true,
                "InitialSamplingPercentage": 20,
                "KmsKeyId": { "Fn::GetAtt": ["{{json.LogicalId("AWS::KMS::Key", "Key")}}", "Arn"] }
              },
              "KmsKeyId": { "Fn::GetAtt": ["{{json.LogicalId("AWS::KMS::Key", "ModelsKey")}}", "Arn"] },
              "ProductionVariants": [
                {
                  "InitialInstanceCount": 2,
                  "InitialVariantWeight": 1,
                  "InstanceType": "ml.m5.large",
                  "ModelName": { "Fn::GetAtt": ["{{json.LogicalId("AWS::SageMaker::Model", "EndpointModel")}}", "ModelName"] },
                  "VariantName": "AllTraffic"
                }
              ]
            }
            """, config);
    }

    [Fact]
    public void Config_NvmeInstanceWithoutCapture_NoVolumeKeyNoCapture()
    {
        var json = AllAtOnceTemplate.Value;
        var config = json.Resources[json.LogicalId("AWS::SageMaker::EndpointConfig", "EndpointConfig")]!["Properties"]!;

        Assert.Null(config["KmsKeyId"]);
        Assert.Null(config["DataCaptureConfig"]);
        Assert.Equal("ml.m5d.large", (string?)config["ProductionVariants"]![0]!["InstanceType"]);
    }

    [Fact]
    public void Endpoint_Canary_BlueGreenRollingBackOnBothAlarms()
    {
        var json = CanaryTemplate.Value;
        var endpoint = json.Resources[json.LogicalId("AWS::SageMaker::Endpoint", "Endpoint")]!["Properties"];

        TemplateJson.AssertEqual($$"""
            {
              "DeploymentConfig": {
                "AutoRollbackConfiguration": {
                  "Alarms": [
                    { "AlarmName": { "Ref": "{{json.LogicalId("AWS::CloudWatch::Alarm", "EndpointErrors5xx")}}" } },
                    { "AlarmName": { "Ref": "{{json.LogicalId("AWS::CloudWatch::Alarm", "EndpointLatencyP99")}}" } }
                  ]
                },
                "BlueGreenUpdatePolicy": {
                  "MaximumExecutionTimeoutInSeconds": 3600,
                  "TerminationWaitInSeconds": 300,
                  "TrafficRoutingConfiguration": { "CanarySize": { "Type": "CAPACITY_PERCENT", "Value": 50 }, "Type": "CANARY", "WaitIntervalInSeconds": 600 }
                }
              },
              "EndpointConfigName": { "Fn::GetAtt": ["{{json.LogicalId("AWS::SageMaker::EndpointConfig", "EndpointConfig")}}", "EndpointConfigName"] },
              "EndpointName": "test-endpoint"
            }
            """, endpoint);
    }

    [Fact]
    public void Endpoint_NoCanary_AllAtOnceAfterTheBakePeriod()
    {
        var json = AllAtOnceTemplate.Value;
        var endpoint = json.Resources[json.LogicalId("AWS::SageMaker::Endpoint", "Endpoint")]!["Properties"]!;

        TemplateJson.AssertEqual("""{ "Type": "ALL_AT_ONCE", "WaitIntervalInSeconds": 600 }""",
            endpoint["DeploymentConfig"]!["BlueGreenUpdatePolicy"]!["TrafficRoutingConfiguration"]);
    }

    [Fact]
    public void Alarms_ErrorsAndLatency_PerVariantWithActionAndMicrosecondThreshold()
    {
        var json = CanaryTemplate.Value;
        var errors = json.Resources[json.LogicalId("AWS::CloudWatch::Alarm", "EndpointErrors5xx")]!["Properties"]!;
        var latency = json.Resources[json.LogicalId("AWS::CloudWatch::Alarm", "EndpointLatencyP99")]!["Properties"]!;
        const string dimensions = """[{ "Name": "EndpointName", "Value": "test-endpoint" }, { "Name": "VariantName", "Value": "AllTraffic" }]""";
        var action = $$"""[{ "Ref": "{{json.LogicalId("AWS::SNS::Topic", "Alarms")}}" }]""";

        Assert.Equal(("Invocation5XXErrors", "Sum", 0d, 2), ((string?)errors["MetricName"], (string?)errors["Statistic"], (double)errors["Threshold"]!, (int)errors["EvaluationPeriods"]!));
        Assert.Equal(("ModelLatency", "p99", 250_000d, 3), ((string?)latency["MetricName"], (string?)latency["ExtendedStatistic"], (double)latency["Threshold"]!, (int)latency["EvaluationPeriods"]!));
        foreach (var alarm in new[] { errors, latency })
        {
            TemplateJson.AssertEqual(dimensions, alarm["Dimensions"]);
            TemplateJson.AssertEqual(action, alarm["AlarmActions"]);
            Assert.Equal("notBreaching", (string?)alarm["TreatMissingData"]);
        }
    }

    [Fact]
    public void Alarms_ClientErrors_ShareOfInvocationsOverFiveMinutes()
    {
        var json = CanaryTemplate.Value;
        var alarm = json.Resources[json.LogicalId("AWS::CloudWatch::Alarm", "EndpointErrors4xx")]!["Properties"]!;
        var metrics = alarm["Metrics"]!.AsArray();

        Assert.Equal((5d, 3, "IF(invocations > 0, 100 * errors / invocations, 0)"),
            ((double)alarm["Threshold"]!, (int)alarm["EvaluationPeriods"]!, (string?)metrics.Single(m => m!["Expression"] is not null)!["Expression"]));
        Assert.Equal(
            [("errors", "Invocation4XXErrors", 300), ("invocations", "Invocations", 300)],
            metrics.Where(m => m!["MetricStat"] is not null)
                .Select(m => ((string)m!["Id"]!, (string)m["MetricStat"]!["Metric"]!["MetricName"]!, (int)m["MetricStat"]!["Period"]!)));
    }

    [Fact]
    public void Alarms_CpuAndMemory_SaturationPerInstanceFromTheVcpus()
    {
        var json = CanaryTemplate.Value;
        var cpu = json.Resources[json.LogicalId("AWS::CloudWatch::Alarm", "EndpointCpuUtilization")]!["Properties"]!;
        var memory = json.Resources[json.LogicalId("AWS::CloudWatch::Alarm", "EndpointMemoryUtilization")]!["Properties"]!;

        Assert.Equal(("/aws/sagemaker/Endpoints", "CPUUtilization", 180d), ((string?)cpu["Namespace"], (string?)cpu["MetricName"], (double)cpu["Threshold"]!));
        Assert.Equal(("/aws/sagemaker/Endpoints", "MemoryUtilization", 90d), ((string?)memory["Namespace"], (string?)memory["MetricName"], (double)memory["Threshold"]!));
        Assert.All(new[] { cpu, memory }, alarm => Assert.Equal(("Average", 300, 3), ((string?)alarm["Statistic"], (int)alarm["Period"]!, (int)alarm["EvaluationPeriods"]!)));
    }

    [Theory]
    [InlineData("ml.m5.large", 2)]
    [InlineData("ml.c5.xlarge", 4)]
    [InlineData("ml.m6i.2xlarge", 8)]
    [InlineData("ml.c5.18xlarge", 72)]
    [InlineData("ml.g4dn.12xlarge", 48)]
    public void VcpusOf_InstanceSize_FourPerXlarge(string instanceType, int vcpus)
    {
        Assert.Equal(vcpus, ModelEndpoint.VcpusOf(instanceType));
    }

    [Fact]
    public void VcpusOf_UnknownSize_FailsNamingTheSizes()
    {
        var error = Assert.Throws<ArgumentException>(() => ModelEndpoint.VcpusOf("ml.m5.metal"));

        Assert.Equal("instanceType", error.ParamName);
        Assert.Contains("'ml.m5.metal'", error.Message, StringComparison.Ordinal);
        Assert.Contains("<N>xlarge", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Scaling_InvocationsPerInstance_TargetFromRpsAndSafetyFactor()
    {
        var json = CanaryTemplate.Value;
        var target = json.Resources[json.LogicalId("AWS::ApplicationAutoScaling::ScalableTarget", "EndpointScalableTarget")]!;
        var policy = json.Resources[json.LogicalId("AWS::ApplicationAutoScaling::ScalingPolicy", "EndpointScalingPolicy")]!["Properties"]!;

        Assert.Equal((2, 6, "endpoint/test-endpoint/variant/AllTraffic", "sagemaker:variant:DesiredInstanceCount"),
            ((int)target["Properties"]!["MinCapacity"]!, (int)target["Properties"]!["MaxCapacity"]!, (string?)target["Properties"]!["ResourceId"], (string?)target["Properties"]!["ScalableDimension"]));
        TemplateJson.AssertEqual($$"""["{{json.LogicalId("AWS::SageMaker::Endpoint", "Endpoint")}}"]""", target["DependsOn"]);
        TemplateJson.AssertEqual("""
            {
              "PredefinedMetricSpecification": { "PredefinedMetricType": "SageMakerVariantInvocationsPerInstance" },
              "ScaleInCooldown": 300,
              "ScaleOutCooldown": 60,
              "TargetValue": 600
            }
            """, policy["TargetTrackingScalingPolicyConfiguration"]);
    }

    [Fact]
    public void Role_KeyUse_GrantsOnlyForAwsResourcesAndDecryptOnlyThroughS3()
    {
        var json = CanaryTemplate.Value;
        var policy = json.Resources[json.LogicalId("AWS::IAM::Policy", "EndpointRoleDefaultPolicy")]!["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray();
        var modelsKey = $$"""{ "Fn::GetAtt": ["{{json.LogicalId("AWS::KMS::Key", "ModelsKey")}}", "Arn"] }""";
        var keyStatements = policy.Where(s => s!["Resource"]!.ToJsonString() == System.Text.Json.Nodes.JsonNode.Parse(modelsKey)!.ToJsonString()).ToList();

        TemplateJson.AssertEqual($$"""
            [
              { "Action": ["kms:CreateGrant", "kms:DescribeKey"], "Condition": { "Bool": { "kms:GrantIsForAWSResource": "true" } }, "Effect": "Allow", "Resource": {{modelsKey}} },
              {
                "Action": "kms:Decrypt",
                "Condition": { "StringEquals": { "kms:ViaService": { "Fn::Join": ["", ["s3.", { "Ref": "AWS::Region" }, ".amazonaws.com"]] } } },
                "Effect": "Allow",
                "Resource": {{modelsKey}}
              }
            ]
            """, new System.Text.Json.Nodes.JsonArray([.. keyStatements.Select(s => s!.DeepClone())]));
    }

    [Fact]
    public void Role_Logs_OnlyThisEndpointsLogGroup()
    {
        var json = CanaryTemplate.Value;
        var policy = json.Resources[json.LogicalId("AWS::IAM::Policy", "EndpointRoleDefaultPolicy")]!["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray();
        var logs = Assert.Single(policy, s => s!["Action"]!.ToJsonString().Contains("logs:", StringComparison.Ordinal));
        static string Logs(string name) =>
            $$"""{ "Fn::Join": ["", ["arn:", { "Ref": "AWS::Partition" }, ":logs:", { "Ref": "AWS::Region" }, ":", { "Ref": "AWS::AccountId" }, ":log-group:{{name}}"]] }""";

        TemplateJson.AssertEqual($$"""
            {
              "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
              "Effect": "Allow",
              "Resource": [{{Logs("/aws/sagemaker/Endpoints/test-endpoint")}}, {{Logs("/aws/sagemaker/Endpoints/test-endpoint:log-stream:*")}}]
            }
            """, logs);
    }

    [Fact]
    public void SecurityGroup_Egress_OnlyHttps()
    {
        var json = CanaryTemplate.Value;
        var group = json.Resources[json.LogicalId("AWS::EC2::SecurityGroup", "EndpointSecurityGroup")]!["Properties"]!;

        TemplateJson.AssertEqual("""
            [{ "CidrIp": "0.0.0.0/0", "Description": "HTTPS to S3 through the gateway endpoint (the only route out)", "FromPort": 443, "IpProtocol": "tcp", "ToPort": 443 }]
            """, group["SecurityGroupEgress"]);
        Assert.Null(group["SecurityGroupIngress"]);
    }

    private static TemplateJson Synthesize(Func<ModelEndpointProps, ModelEndpointProps> configure, bool conditional)
    {
        var (stack, lake) = StandaloneLake.Create();
        var vpc = new Vpc(stack, "Vpc", new VpcProps
        {
            MaxAzs = 1,
            RestrictDefaultSecurityGroup = false,
            SubnetConfiguration = [new SubnetConfiguration { Name = "isolated", SubnetType = SubnetType.PRIVATE_ISOLATED }],
        });
        var parameter = new CfnParameter(stack, "ModelPackageArn", new CfnParameterProps { Type = "String", Default = string.Empty });
        var condition = conditional
            ? new CfnCondition(stack, "HasModel", new CfnConditionProps { Expression = Fn.ConditionNot(Fn.ConditionEquals(parameter.ValueAsString, string.Empty)) })
            : null;
        _ = new ModelEndpoint(stack, "Endpoint", configure(new ModelEndpointProps
        {
            ModelPackageArn = parameter.ValueAsString,
            Condition = condition,
            EndpointName = "test-endpoint",
            InstanceType = "ml.m5.large",
            MinInstances = 2,
            MaxInstances = 6,
            TargetInvocationsPerInstance = 600,
            ScaleInCooldownSeconds = 300,
            ScaleOutCooldownSeconds = 60,
            CanaryPercent = 50,
            CanaryWaitMinutes = 10,
            TerminationWaitMinutes = 5,
            MaximumExecutionTimeoutMinutes = 60,
            EncryptVolume = true,
            DataCapturePercent = 20,
            LatencyP99Ms = 250,
            Vpc = vpc,
            Subnets = new SubnetSelection { SubnetType = SubnetType.PRIVATE_ISOLATED },
            Lake = lake,
            ModelsKey = new Key(stack, "ModelsKey"),
            Image = AlgorithmImage.Xgboost(stack, "Xgboost"),
            AlarmAction = new SnsAction(new Topic(stack, "Alarms")),
        }));
        return TemplateJson.FromStack(stack);
    }
}
