using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.Sagemaker;
using Pipeline.Infra.Constructs.Training;

namespace Pipeline.Infra.Constructs.Serving;

/// <summary>Properties of <see cref="DataQualityMonitor"/>.</summary>
public sealed record DataQualityMonitorProps
{
    /// <summary>The endpoint whose captured requests are monitored.</summary>
    public required CfnEndpoint Endpoint { get; init; }

    /// <summary>The endpoint's name.</summary>
    public required string EndpointName { get; init; }

    /// <summary>The monitoring schedule's name (SageMaker requires one).</summary>
    public required string ScheduleName { get; init; }

    /// <summary>A SageMaker schedule expression, e.g. <c>cron(0 * ? * * *)</c> for hourly.</summary>
    public required string ScheduleExpression { get; init; }

    /// <summary>S3 URI of the served model's baseline <c>statistics.json</c> (usually a stack parameter).</summary>
    public required string BaselineStatisticsUri { get; init; }

    /// <summary>S3 URI of the served model's baseline <c>constraints.json</c> (usually a stack parameter).</summary>
    public required string BaselineConstraintsUri { get; init; }

    /// <summary>The condition every monitoring resource is created under (a model with a baseline is served).</summary>
    /// <value>Default: no condition.</value>
    public CfnCondition? Condition { get; init; }

    /// <summary>The lake: captured data is read from its data-capture zone, reports written to its monitoring zone.</summary>
    public required DataLake.DataLake Lake { get; init; }

    /// <summary>The key of the jobs' volumes and of the baseline files.</summary>
    public required IKey ModelsKey { get; init; }

    /// <summary>The Model Monitor analyzer image.</summary>
    public required AlgorithmImage Image { get; init; }

    /// <summary>The VPC the monitoring jobs attach to.</summary>
    public required IVpc Vpc { get; init; }

    /// <summary>The subnets the monitoring jobs attach to.</summary>
    public required IReadOnlyList<ISubnet> Subnets { get; init; }

    /// <summary>The topic violations and failed runs are published to (it must admit this account's EventBridge rules).</summary>
    public required ITopic AlarmTopic { get; init; }
}
