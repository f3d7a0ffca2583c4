using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.Sagemaker;
using Constructs;
using Pipeline.Infra.Compliance;
using Pipeline.Infra.Constructs.DataLake;
using Pipeline.Infra.Constructs.Monitoring;

namespace Pipeline.Infra.Constructs.Serving;

/// <summary>
/// Data-quality monitoring of an endpoint: a Model Monitor schedule that compares the captured requests with the served
/// model's baseline (the statistics and constraints of its train rows), in the isolated subnets with network isolation,
/// writing its reports to the lake's monitoring zone; a run that finds violations, and a run that fails, is published
/// to the alarm topic through EventBridge.
/// </summary>
public sealed class DataQualityMonitor : Construct
{
    /// <summary>Where a monitoring run's reports go, below the lake's monitoring zone.</summary>
    internal const string ReportsPath = LakeZones.Monitoring + "data-quality/";

    /// <summary>Longest one monitoring run may take; an hourly schedule allows at most an hour.</summary>
    internal const int MaxRuntimeSeconds = 1800;

    /// <summary>The event SageMaker sends when a processing job (each monitoring run is one) changes state.</summary>
    internal const string ProcessingJobStateChange = "SageMaker Processing Job State Change";

    private static readonly string[] Failed = ["Failed"];

    private static readonly string[] SageMakerSource = ["aws.sagemaker"];

    private static readonly string[] ProcessingJobEvents = [ProcessingJobStateChange];

    /// <summary>Creates the job definition, the schedule, their role and the notification rules.</summary>
    public DataQualityMonitor(Construct scope, string id, DataQualityMonitorProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        var securityGroup = new SecurityGroup(this, "SecurityGroup", new SecurityGroupProps
        {
            Vpc = props.Vpc,
            Description = "SageMaker data-quality monitoring jobs: no inbound; outbound HTTPS to S3 through the gateway endpoint",
            AllowAllOutbound = false,
        });
        securityGroup.AddEgressRule(Peer.AnyIpv4(), Port.Tcp(443), "HTTPS to S3 through the gateway endpoint (the only route out)");

        Role = new ModelMonitorRole(this, "Role", new ModelMonitorRoleProps
        {
            Description = "SageMaker data-quality monitoring: read captured data and the served model's baseline, write reports, Models key, VPC, logs, analyzer image.",
            Lake = props.Lake,
            Reads = [LakeZones.DataCapture, LakeZones.Models],
            Writes = [ReportsPath],
            ModelsKey = props.ModelsKey,
            Image = props.Image,
            Vpc = props.Vpc,
            Subnets = props.Subnets,
            SecurityGroup = securityGroup,
            // Each run publishes per-feature drift metrics (SageMaker developer guide, "CloudWatch Metrics for Model Monitor").
            MetricNamespaces = [MetricNamespace],
        });

        var definition = new CfnDataQualityJobDefinition(this, "JobDefinition", new CfnDataQualityJobDefinitionProps
        {
            DataQualityAppSpecification = new CfnDataQualityJobDefinition.DataQualityAppSpecificationProperty
            {
                ImageUri = props.Image.ImageUri,
                // No dataset_format: the SageMaker Python SDK sends it only to baselining jobs; a monitoring job reads
                // the endpoint's captured requests.
                Environment = new Dictionary<string, string> { ["publish_cloudwatch_metrics"] = "Enabled" },
            },
            DataQualityBaselineConfig = new CfnDataQualityJobDefinition.DataQualityBaselineConfigProperty
            {
                StatisticsResource = new CfnDataQualityJobDefinition.StatisticsResourceProperty { S3Uri = props.BaselineStatisticsUri },
                ConstraintsResource = new CfnDataQualityJobDefinition.ConstraintsResourceProperty { S3Uri = props.BaselineConstraintsUri },
            },
            DataQualityJobInput = new CfnDataQualityJobDefinition.DataQualityJobInputProperty
            {
                EndpointInput = new CfnDataQualityJobDefinition.EndpointInputProperty
                {
                    EndpointName = props.EndpointName,
                    LocalPath = ModelMonitorContainer.EndpointInputPath,
                    S3InputMode = "File",
                    S3DataDistributionType = "FullyReplicated",
                },
            },
            DataQualityJobOutputConfig = new CfnDataQualityJobDefinition.MonitoringOutputConfigProperty
            {
                MonitoringOutputs = new object[]
                {
                    new CfnDataQualityJobDefinition.MonitoringOutputProperty
                    {
                        S3Output = new CfnDataQualityJobDefinition.S3OutputProperty
                        {
                            S3Uri = props.Lake.S3Url(ReportsPath),
                            LocalPath = ModelMonitorContainer.OutputPath,
                            S3UploadMode = "EndOfJob",
                        },
                    },
                },
                KmsKeyId = props.Lake.EncryptionKey.KeyArn,
            },
            JobResources = new CfnDataQualityJobDefinition.MonitoringResourcesProperty
            {
                ClusterConfig = new CfnDataQualityJobDefinition.ClusterConfigProperty
                {
                    InstanceCount = 1,
                    InstanceType = ModelMonitorContainer.InstanceType,
                    VolumeSizeInGb = ModelMonitorContainer.VolumeSizeGb,
                    VolumeKmsKeyId = props.ModelsKey.KeyArn,
                },
            },
            NetworkConfig = new CfnDataQualityJobDefinition.NetworkConfigProperty
            {
                EnableNetworkIsolation = true,
                EnableInterContainerTrafficEncryption = true,
                VpcConfig = new CfnDataQualityJobDefinition.VpcConfigProperty
                {
                    SecurityGroupIds = [securityGroup.SecurityGroupId],
                    Subnets = [.. props.Subnets.Select(subnet => subnet.SubnetId)],
                },
            },
            RoleArn = Role.Role.RoleArn,
            StoppingCondition = new CfnDataQualityJobDefinition.StoppingConditionProperty { MaxRuntimeInSeconds = MaxRuntimeSeconds },
        });
        // SageMaker checks the endpoint when the definition is created, and the role's policy when a run starts.
        definition.AddDependency(props.Endpoint);
        definition.Node.AddDependency(Role.Role.Node.FindChild("DefaultPolicy"));

        Schedule = new CfnMonitoringSchedule(this, "Schedule", new CfnMonitoringScheduleProps
        {
            MonitoringScheduleName = props.ScheduleName,
            EndpointName = props.EndpointName,
            MonitoringScheduleConfig = new CfnMonitoringSchedule.MonitoringScheduleConfigProperty
            {
                // The definition's name is generated, so a change CloudFormation makes by replacement gets a new one; the
                // name is the last part of its ARN (data-quality-job-definition/<name>).
                MonitoringJobDefinitionName = Fn.Select(1, Fn.Split("/", definition.AttrJobDefinitionArn)),
                MonitoringType = "DataQuality",
                ScheduleConfig = new CfnMonitoringSchedule.ScheduleConfigProperty { ScheduleExpression = props.ScheduleExpression },
            },
        });

        // Each monitoring run is a processing job that names its schedule; its exit message starts with
        // CompletedWithViolations when the captured data breaks the baseline's constraints.
        Notify("Violations", props, new Dictionary<string, object>
        {
            ["MonitoringScheduleArn"] = new[] { Schedule.AttrMonitoringScheduleArn },
            ["ExitMessage"] = new object[] { new Dictionary<string, object> { ["prefix"] = "CompletedWithViolations" } },
        }, "Data-quality monitoring of <endpoint> found violations of the served model's baseline: <exit>. Reports: <reports>.");
        Notify("RunFailures", props, new Dictionary<string, object>
        {
            ["MonitoringScheduleArn"] = new[] { Schedule.AttrMonitoringScheduleArn },
            ["ProcessingJobStatus"] = Failed,
        }, "A data-quality monitoring run of <endpoint> failed: <failure>.");

        if (props.Condition is { } condition)
        {
            foreach (var resource in Node.FindAll().OfType<CfnResource>())
            {
                resource.CfnOptions.Condition = condition;
            }
        }
    }

    /// <summary>The namespace of the per-feature metrics the runs publish.</summary>
    public const string MetricNamespace = "aws/sagemaker/Endpoints/data-metrics";

    /// <summary>The monitoring schedule.</summary>
    public CfnMonitoringSchedule Schedule { get; }

    /// <summary>The role the monitoring runs execute with.</summary>
    public ModelMonitorRole Role { get; }

    private void Notify(string id, DataQualityMonitorProps props, Dictionary<string, object> detail, string template)
    {
        var reports = props.Lake.S3Url(ReportsPath);
        var rule = new Amazon.CDK.AWS.Events.CfnRule(this, id, new Amazon.CDK.AWS.Events.CfnRuleProps
        {
            Description = $"Publishes data-quality monitoring {(id == "Violations" ? "violations" : "failures")} of the endpoint to the alarm topic.",
            EventPattern = new Dictionary<string, object>
            {
                ["source"] = SageMakerSource,
                ["detail-type"] = ProcessingJobEvents,
                ["detail"] = detail,
            },
            State = "ENABLED",
            Targets = new object[]
            {
                new Amazon.CDK.AWS.Events.CfnRule.TargetProperty
                {
                    Id = "AlarmTopic",
                    Arn = props.AlarmTopic.TopicArn,
                    InputTransformer = new Amazon.CDK.AWS.Events.CfnRule.InputTransformerProperty
                    {
                        InputPathsMap = new Dictionary<string, string>
                        {
                            ["exit"] = "$.detail.ExitMessage",
                            ["failure"] = "$.detail.FailureReason",
                        },
                        InputTemplate = "\"" + template.Replace("<endpoint>", props.EndpointName, StringComparison.Ordinal).Replace("<reports>", reports, StringComparison.Ordinal) + "\"",
                    },
                },
            },
        });
        Suppressions.Nag(rule, new NagSuppression("Serverless-EventBusDLQ",
            "A notification EventBridge cannot deliver after its retries is not the only record: every run's report stays in the lake's monitoring zone, and the schedule's last run and its status are shown by aws sagemaker describe-monitoring-schedule."));
    }
}
