using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Constructs;
using Pipeline.Infra.Compliance;
using Pipeline.Infra.Constructs.Training;

namespace Pipeline.Infra.Constructs.Monitoring;

/// <summary>
/// The execution role of Model Monitor's processing jobs (a data-quality baseline, or the runs of a monitoring schedule):
/// read and write only the given lake paths, use the Models key for the volume (through grants for AWS resources only)
/// and for the baseline files (through S3 only), attach to the VPC, write processing-job logs and metrics, and pull only
/// the analyzer image.
/// </summary>
public sealed class ModelMonitorRole : Construct
{
    /// <summary>The log group SageMaker writes processing job logs to, and the namespace of their metrics.</summary>
    internal const string LogGroupName = "/aws/sagemaker/ProcessingJobs";

    /// <summary>Creates the role.</summary>
    public ModelMonitorRole(Construct scope, string id, ModelMonitorRoleProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        var role = new Role(this, "Resource", new RoleProps
        {
            AssumedBy = new ServicePrincipal("sagemaker.amazonaws.com"),
            Description = props.Description,
        });

        // Baseline files are SSE-KMS objects with the Models key, read and written through S3 only.
        SageMakerExecutionPolicy.AllowJob(role, new JobAccess(props.Lake, props.Reads, props.Writes, props.ModelsKey,
            props.Vpc, props.Subnets, props.SecurityGroup, LogGroupName, props.MetricNamespaces.Prepend(LogGroupName), props.Image));

        var zones = string.Join("|", props.Reads.Concat(props.Writes).Select(path => path.TrimEnd('/')).Distinct().Select(path => path.Replace("/", "\\/", StringComparison.Ordinal)));
        Suppressions.Nag((CfnResource)role.Node.FindChild("DefaultPolicy").Node.DefaultChild!, new NagSuppression("AwsSolutions-IAM5",
            "Resource \"*\" only where AWS supports nothing narrower: EC2's Describe actions SageMaker uses to attach a job to the VPC, ecr:GetAuthorizationToken, and cloudwatch:PutMetricData (limited to the processing-job and monitoring namespaces by condition); network interfaces get generated ids (created only in the given subnets with the given group, managed only in this VPC by condition); object wildcards stay under the lake paths the jobs read and write, and log streams under SageMaker's processing-job log group.",
            "Resource::*", "regex:/^Resource::.*:network-interface\\/\\*$/", $"regex:/^Resource::.*\\/({zones})\\/\\*$/",
            "regex:/^Resource::.*:log-group:\\/aws\\/sagemaker\\/ProcessingJobs:log-stream:\\*$/"));
        Role = role;
    }

    /// <summary>The role.</summary>
    public IRole Role { get; }

    /// <summary>Lets <paramref name="grantee"/> pass this role to SageMaker (and to nothing else).</summary>
    public Grant GrantPassRole(IGrantable grantee) => SageMakerExecutionPolicy.GrantPass(Role, grantee);
}
