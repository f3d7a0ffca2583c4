using System.Globalization;
using Amazon.CDK;
using Amazon.CDK.AWS.ApplicationAutoScaling;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Sagemaker;
using Constructs;
using Pipeline.Infra.Compliance;
using Pipeline.Infra.Constructs.Catalog;
using Pipeline.Infra.Constructs.DataLake;
using Pipeline.Infra.Constructs.SageMaker;
using Pipeline.Infra.Constructs.Security;

namespace Pipeline.Infra.Constructs.Serving;

/// <summary>
/// A SageMaker real-time endpoint serving one model package: the model (in the isolated subnets, network isolation),
/// the endpoint configuration (volume key, data capture to the lake), the endpoint (blue/green deployments that roll
/// back on its 5XX and latency alarms) and target-tracking auto scaling on invocations per instance. Every resource is
/// created under <see cref="ModelEndpointProps.Condition"/>, so a stack can hold the endpoint before any model exists.
/// </summary>
public sealed class ModelEndpoint : Construct
{
    /// <summary>
    /// The one production variant; Application Auto Scaling addresses it by this name, and the capture table reads the
    /// folder SageMaker writes its captured requests under.
    /// </summary>
    public const string VariantName = CaptureTable.VariantName;

    /// <summary>SageMaker's log group for endpoints, and the namespace of the metrics the instances publish.</summary>
    internal const string LogGroupName = "/aws/sagemaker/Endpoints";

    /// <summary>Creates the endpoint and everything it needs.</summary>
    public ModelEndpoint(Construct scope, string id, ModelEndpointProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);

        var securityGroup = new SecurityGroup(this, "SecurityGroup", new SecurityGroupProps
        {
            Vpc = props.Vpc,
            Description = "SageMaker endpoint: no inbound; outbound HTTPS to S3 through the gateway endpoint",
            AllowAllOutbound = false,
        });
        securityGroup.AddEgressRule(Peer.AnyIpv4(), Port.Tcp(443), "HTTPS to S3 through the gateway endpoint (the only route out)");

        // The execution role (SageMaker developer guide, "How to use SageMaker AI execution roles", CreateModel).
        var role = new Role(this, "Role", new RoleProps
        {
            // For models and endpoints SageMaker documents exactly "arn:aws:sagemaker:REGION:ACCOUNT:*":
            // https://docs.aws.amazon.com/sagemaker/latest/dg/security-confused-deputy-prevention.html
            AssumedBy = TrustedService.Principal("sagemaker.amazonaws.com", "sagemaker", "*"),
            Description = "SageMaker endpoint: read model artifacts, write captured data, Models key, VPC, logs, serving image.",
        });
        props.Lake.GrantRead(role, LakeZones.Models);
        props.Lake.GrantWrite(role, LakeZones.DataCapture);
        SageMakerExecutionPolicy.AllowVolumeKey(role, props.ModelsKey);
        Grant.AddToPrincipal(new GrantOnPrincipalOptions
        {
            Grantee = role,
            Actions = ["kms:Decrypt"],
            ResourceArns = [props.ModelsKey.KeyArn],
            Conditions = new Dictionary<string, IDictionary<string, object>>
            {
                ["StringEquals"] = new Dictionary<string, object> { ["kms:ViaService"] = $"s3.{Arns.Region}.amazonaws.com" },
            },
        });
        var subnets = props.Vpc.SelectSubnets(props.Subnets).Subnets;
        SageMakerExecutionPolicy.AllowNetworkInterfaces(role, props.Vpc, subnets, securityGroup);
        // SageMaker writes an endpoint's container logs to a log group named after the endpoint.
        var logGroup = $"{LogGroupName}/{props.EndpointName}";
        Grant.AddToPrincipal(new GrantOnPrincipalOptions
        {
            Grantee = role,
            Actions = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
            ResourceArns =
            [
                Arns.Format("logs", "log-group", logGroup, separator: ':'),
                Arns.Format("logs", "log-group", $"{logGroup}:log-stream:*", separator: ':'),
            ],
        });
        SageMakerExecutionPolicy.AllowMetrics(role, LogGroupName);
        SageMakerExecutionPolicy.AllowImagePull(role, props.Image);

        var model = new CfnModel(this, "Model", new CfnModelProps
        {
            ExecutionRoleArn = role.RoleArn,
            Containers = new[] { new CfnModel.ContainerDefinitionProperty { ModelPackageName = props.ModelPackageArn } },
            VpcConfig = new CfnModel.VpcConfigProperty
            {
                Subnets = [.. subnets.Select(subnet => subnet.SubnetId)],
                SecurityGroupIds = [securityGroup.SecurityGroupId],
            },
            EnableNetworkIsolation = true,
        });
        // The model is created only once the role's policy lets it use the VPC and the key (the role itself is
        // already ordered by ExecutionRoleArn).
        model.Node.AddDependency(role.Node.FindChild("DefaultPolicy"));

        var config = new CfnEndpointConfig(this, "Config", new CfnEndpointConfigProps
        {
            ProductionVariants = new[]
            {
                new CfnEndpointConfig.ProductionVariantProperty
                {
                    VariantName = VariantName,
                    ModelName = model.AttrModelName,
                    InstanceType = props.InstanceType,
                    InitialInstanceCount = props.MinInstances,
                    InitialVariantWeight = 1,
                },
            },
            // SageMaker refuses a volume key on instance types with local NVMe storage (CreateEndpointConfig).
            KmsKeyId = props.EncryptVolume ? props.ModelsKey.KeyArn : null,
            DataCaptureConfig = props.DataCapturePercent > 0
                ? new CfnEndpointConfig.DataCaptureConfigProperty
                {
                    EnableCapture = true,
                    InitialSamplingPercentage = props.DataCapturePercent,
                    // SageMaker writes <DestinationS3Uri>/<endpoint>/<variant>/yyyy/mm/dd/hh/<file>.jsonl, so no trailing
                    // slash: the capture table's location template expects data-capture/<endpoint>/… (CaptureTable).
                    DestinationS3Uri = props.Lake.S3Url(LakeZones.DataCapture).TrimEnd('/'),
                    KmsKeyId = props.Lake.EncryptionKey.KeyArn,
                    CaptureOptions = new[]
                    {
                        new CfnEndpointConfig.CaptureOptionProperty { CaptureMode = "Input" },
                        new CfnEndpointConfig.CaptureOptionProperty { CaptureMode = "Output" },
                    },
                    CaptureContentTypeHeader = new CfnEndpointConfig.CaptureContentTypeHeaderProperty { CsvContentTypes = ["text/csv"] },
                }
                : null,
        });

        EndpointName = props.EndpointName;
        LatencyP99Ms = props.LatencyP99Ms;
        Metric EndpointMetric(string metricNamespace, string name, string statistic, int periodMinutes) => VariantMetric(props.EndpointName, metricNamespace, name, statistic, Duration.Minutes(periodMinutes));
        // Every alarm fires when its metric stays above the threshold for all of `periods` consecutive periods.
        Alarm Above(string id, IMetric metric, double threshold, int periods, string description) => new(this, id, new AlarmProps
        {
            Metric = metric,
            Threshold = threshold,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
            EvaluationPeriods = periods,
            DatapointsToAlarm = periods,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
            AlarmDescription = description,
        });

        Errors5xx = Above("Errors5xx", EndpointMetric("AWS/SageMaker", "Invocation5XXErrors", Stats.SUM, 1), 0, 2,
            "The endpoint's model returns server errors: a deployment rolls back; otherwise look at the endpoint's logs.");
        // ModelLatency is reported in microseconds.
        LatencyP99 = Above("LatencyP99", EndpointMetric("AWS/SageMaker", "ModelLatency", "p99", 1), props.LatencyP99Ms * 1000d, 3,
            string.Create(CultureInfo.InvariantCulture,
                $"The model's p99 latency is above {props.LatencyP99Ms} ms (alarms.endpointLatencyP99Ms): a deployment rolls back; otherwise scale or resize."));
        // Operational alarms; a deployment does not roll back on them.
        var clientErrors = new MathExpression(new MathExpressionProps
        {
            Expression = "IF(invocations > 0, 100 * errors / invocations, 0)",
            UsingMetrics = new Dictionary<string, IMetric>
            {
                ["errors"] = EndpointMetric("AWS/SageMaker", "Invocation4XXErrors", Stats.SUM, 5),
                ["invocations"] = EndpointMetric("AWS/SageMaker", "Invocations", Stats.SUM, 5),
            },
            Label = "Invocation4XXErrors (% of invocations)",
            Period = Duration.Minutes(5),
        });
        Errors4xx = Above("Errors4xx", clientErrors, ClientErrorPercent, 3, string.Create(CultureInfo.InvariantCulture,
            $"More than {ClientErrorPercent} % of requests are rejected as client errors for 15 minutes: a client sends requests the model does not accept (check the CSV it sends)."));
        // Instance metrics: CPUUtilization is summed over the vCPUs (0 to 100 x vCPUs), MemoryUtilization is 0-100.
        var vcpus = VcpusOf(props.InstanceType);
        CpuUtilization = Above("CpuUtilization", EndpointMetric(LogGroupName, "CPUUtilization", Stats.AVERAGE, 5), SaturationPercent * vcpus, 3,
            string.Create(CultureInfo.InvariantCulture,
                $"The instances' CPU is above {SaturationPercent} % of their {vcpus} vCPUs for 15 minutes: raise endpoint.maxInstances or lower endpoint.maxRpsPerInstance."));
        MemoryUtilization = Above("MemoryUtilization", EndpointMetric(LogGroupName, "MemoryUtilization", Stats.AVERAGE, 5), SaturationPercent, 3,
            string.Create(CultureInfo.InvariantCulture,
                $"The instances' memory is above {SaturationPercent} % for 15 minutes: choose an instance type with more memory (endpoint.instanceType)."));
        foreach (var alarm in new[] { Errors5xx, LatencyP99, Errors4xx, CpuUtilization, MemoryUtilization })
        {
            alarm.AddAlarmAction(props.AlarmAction);
        }

        var traffic = props.CanaryPercent > 0
            ? new CfnEndpoint.TrafficRoutingConfigProperty
            {
                Type = "CANARY",
                CanarySize = new CfnEndpoint.CapacitySizeProperty { Type = "CAPACITY_PERCENT", Value = props.CanaryPercent },
                WaitIntervalInSeconds = props.CanaryWaitMinutes * 60,
            }
            : new CfnEndpoint.TrafficRoutingConfigProperty { Type = "ALL_AT_ONCE", WaitIntervalInSeconds = props.CanaryWaitMinutes * 60 };
        Endpoint = new CfnEndpoint(this, "Resource", new CfnEndpointProps
        {
            EndpointName = props.EndpointName,
            EndpointConfigName = config.AttrEndpointConfigName,
            DeploymentConfig = new CfnEndpoint.DeploymentConfigProperty
            {
                BlueGreenUpdatePolicy = new CfnEndpoint.BlueGreenUpdatePolicyProperty
                {
                    TrafficRoutingConfiguration = traffic,
                    TerminationWaitInSeconds = props.TerminationWaitMinutes * 60,
                    MaximumExecutionTimeoutInSeconds = props.MaximumExecutionTimeoutMinutes * 60,
                },
                AutoRollbackConfiguration = new CfnEndpoint.AutoRollbackConfigProperty
                {
                    Alarms = new[]
                    {
                        new CfnEndpoint.AlarmProperty { AlarmName = Errors5xx.AlarmName },
                        new CfnEndpoint.AlarmProperty { AlarmName = LatencyP99.AlarmName },
                    },
                },
            },
        });

        // Scaling uses Application Auto Scaling's service-linked role for SageMaker, which the service creates itself.
        var target = new CfnScalableTarget(this, "ScalableTarget", new CfnScalableTargetProps
        {
            ServiceNamespace = "sagemaker",
            ResourceId = $"endpoint/{props.EndpointName}/variant/{VariantName}",
            ScalableDimension = "sagemaker:variant:DesiredInstanceCount",
            MinCapacity = props.MinInstances,
            MaxCapacity = props.MaxInstances,
            RoleArn = Arns.Format("iam", "role", "aws-service-role/sagemaker.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint", region: string.Empty),
        });
        target.AddDependency(Endpoint);
        var scaling = new CfnScalingPolicy(this, "ScalingPolicy", new CfnScalingPolicyProps
        {
            PolicyName = "InvocationsPerInstance",
            PolicyType = "TargetTrackingScaling",
            ScalingTargetId = target.Ref,
            TargetTrackingScalingPolicyConfiguration = new CfnScalingPolicy.TargetTrackingScalingPolicyConfigurationProperty
            {
                PredefinedMetricSpecification = new CfnScalingPolicy.PredefinedMetricSpecificationProperty
                {
                    PredefinedMetricType = "SageMakerVariantInvocationsPerInstance",
                },
                TargetValue = props.TargetInvocationsPerInstance,
                ScaleInCooldown = props.ScaleInCooldownSeconds,
                ScaleOutCooldown = props.ScaleOutCooldownSeconds,
            },
        });

        var policy = (CfnResource)role.Node.FindChild("DefaultPolicy").Node.DefaultChild!;
        Suppressions.Nag(policy, new NagSuppression("AwsSolutions-IAM5",
            "Resource \"*\" only where AWS supports nothing narrower: EC2's Describe actions SageMaker uses to attach the endpoint to the VPC, ecr:GetAuthorizationToken, and cloudwatch:PutMetricData (limited to the endpoint namespace by condition); network interfaces get generated ids (created only in the given subnets with the given group, managed only in this VPC by condition); model artifacts and captured data are keyed per run and per day under their zones; log streams stay in this endpoint's log group.",
            "Resource::*", "regex:/^Resource::.*:network-interface\\/\\*$/", "regex:/^Resource::.*\\/(models|data-capture)\\/\\*$/",
            "regex:/^Resource::.*:log-group:\\/aws\\/sagemaker\\/Endpoints\\/[^:]+:log-stream:\\*$/"));

        if (props.Condition is { } condition)
        {
            foreach (var resource in Node.FindAll().OfType<CfnResource>())
            {
                resource.CfnOptions.Condition = condition;
            }
        }

        if (props.ScalingCondition is { } scalingCondition)
        {
            target.CfnOptions.Condition = scalingCondition;
            scaling.CfnOptions.Condition = scalingCondition;
        }

        Role = role;
        Model = model;
    }

    /// <summary>The endpoint.</summary>
    public CfnEndpoint Endpoint { get; }

    /// <summary>The endpoint's name.</summary>
    public string EndpointName { get; }

    /// <summary>Model latency p99 above which a deployment rolls back and the alarm fires, in milliseconds.</summary>
    public int LatencyP99Ms { get; }

    /// <summary>Requests the variant served (sum over five minutes by default).</summary>
    public Metric MetricInvocations(IMetricOptions? options = null) => Metric("AWS/SageMaker", "Invocations", Stats.SUM, options);

    /// <summary>How long the model took to respond, in microseconds (p99 over five minutes by default).</summary>
    public Metric MetricModelLatency(IMetricOptions? options = null) => Metric("AWS/SageMaker", "ModelLatency", "p99", options);

    /// <summary>Requests the model answered with a 5XX error (sum over five minutes by default).</summary>
    public Metric MetricInvocation5xxErrors(IMetricOptions? options = null) => Metric("AWS/SageMaker", "Invocation5XXErrors", Stats.SUM, options);

    /// <summary>Requests the model answered with a 4XX error (sum over five minutes by default).</summary>
    public Metric MetricInvocation4xxErrors(IMetricOptions? options = null) => Metric("AWS/SageMaker", "Invocation4XXErrors", Stats.SUM, options);

    /// <summary>
    /// Instances in service: each instance reports CPU utilization once a minute, so the per-minute sample count is the
    /// number of instances (SageMaker publishes no instance-count metric).
    /// </summary>
    public Metric MetricInstances() => VariantMetric(EndpointName, LogGroupName, "CPUUtilization", Stats.SAMPLE_COUNT, Duration.Minutes(1), "Instances");

    /// <summary>The model.</summary>
    public CfnModel Model { get; }

    /// <summary>The execution role.</summary>
    public IRole Role { get; }

    /// <summary>Server errors of the model (a deployment rolls back on it).</summary>
    public Alarm Errors5xx { get; }

    /// <summary>The model's p99 latency above the threshold (a deployment rolls back on it).</summary>
    public Alarm LatencyP99 { get; }

    /// <summary>Client errors above <see cref="ClientErrorPercent"/> % of invocations.</summary>
    public Alarm Errors4xx { get; }

    /// <summary>The instances' CPU above <see cref="SaturationPercent"/> % of their vCPUs.</summary>
    public Alarm CpuUtilization { get; }

    /// <summary>The instances' memory above <see cref="SaturationPercent"/> %.</summary>
    public Alarm MemoryUtilization { get; }

    private Metric Metric(string metricNamespace, string name, string statistic, IMetricOptions? options) =>
        VariantMetric(EndpointName, metricNamespace, name, options?.Statistic ?? statistic, options?.Period ?? Duration.Minutes(5), options?.Label);

    private static Metric VariantMetric(string endpointName, string metricNamespace, string name, string statistic, Duration period, string? label = null) => new(new MetricProps
    {
        Namespace = metricNamespace,
        MetricName = name,
        DimensionsMap = new Dictionary<string, string> { ["EndpointName"] = endpointName, ["VariantName"] = VariantName },
        Statistic = statistic,
        Period = period,
        Label = label,
    });

    /// <summary>Share of client errors in the invocations above which the 4XX alarm fires.</summary>
    internal const double ClientErrorPercent = 5;

    /// <summary>CPU (per vCPU) and memory utilization above which the instances count as saturated.</summary>
    internal const double SaturationPercent = 90;

    /// <summary>
    /// vCPUs of a SageMaker hosting instance from its size: large 2, xlarge 4, Nxlarge 4N (the same in every family the
    /// configuration accepts: CPU m, c, r and GPU g4dn, g5).
    /// </summary>
    internal static int VcpusOf(string instanceType)
    {
        var size = instanceType[(instanceType.LastIndexOf('.') + 1)..];
        return size switch
        {
            "large" => 2,
            "xlarge" => 4,
            _ when size.EndsWith("xlarge", StringComparison.Ordinal) && int.TryParse(size[..^6], NumberStyles.None, CultureInfo.InvariantCulture, out var n) => 4 * n,
            _ => throw new ArgumentException($"Instance type '{instanceType}' has no size this app knows (large, xlarge, <N>xlarge).", nameof(instanceType)),
        };
    }
}
