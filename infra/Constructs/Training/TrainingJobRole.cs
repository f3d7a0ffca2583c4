using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Constructs;
using Pipeline.Infra.Compliance;
using Pipeline.Infra.Constructs.DataLake;
using Pipeline.Infra.Constructs.SageMaker;
using Pipeline.Infra.Constructs.Security;

namespace Pipeline.Infra.Constructs.Training;

/// <summary>
/// The execution role SageMaker training and tuning jobs run with (SageMaker developer guide, "How to use SageMaker
/// AI execution roles", CreateTrainingJob): read the training channels, write model artifacts and checkpoints, use the
/// Models key for the training volume (through grants for AWS resources only) and the model output (through S3 only),
/// attach the job to the VPC, write the job's logs and metrics, and pull only the algorithm's image.
/// </summary>
public sealed class TrainingJobRole : Construct
{
    /// <summary>The log group SageMaker writes training job logs to, and the namespace of their metrics.</summary>
    internal const string LogGroupName = "/aws/sagemaker/TrainingJobs";

    /// <summary>Creates the role.</summary>
    public TrainingJobRole(Construct scope, string id, TrainingJobRoleProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        var subnets = props.Vpc.SelectSubnets(props.Subnets).Subnets;
        var role = new Role(this, "Resource", new RoleProps
        {
            // Training jobs, and the training jobs of a tuning job:
            // https://docs.aws.amazon.com/sagemaker/latest/dg/security-confused-deputy-prevention.html
            AssumedBy = TrustedService.Principal("sagemaker.amazonaws.com", "sagemaker", "training-job/*", "hyper-parameter-tuning-job/*"),
            Description = "SageMaker training jobs: read the training zone, write models and checkpoints, Models key, VPC, logs, algorithm image.",
        });

        // Model artifacts are written (and checkpoints read back) as SSE-KMS objects with the Models key, through S3 only.
        SageMakerExecutionPolicy.AllowJob(role, new JobAccess(props.Lake, [LakeZones.Training, LakeZones.Models], [LakeZones.Models], props.ModelsKey,
            props.Vpc, subnets, props.SecurityGroup, LogGroupName, [LogGroupName], props.Image));

        var policy = (CfnResource)role.Node.FindChild("DefaultPolicy").Node.DefaultChild!;
        Suppressions.Nag(policy, new NagSuppression("AwsSolutions-IAM5",
            "Resource \"*\" only where AWS supports nothing narrower: EC2's Describe actions SageMaker uses to attach a job to the VPC, ecr:GetAuthorizationToken, and cloudwatch:PutMetricData (limited to the training-job namespace by condition); network interfaces get generated ids (created only in the given subnets with the given group, managed only in this VPC by condition); object wildcards stay under the training and models zones, and log streams under SageMaker's training-job log group.",
            "Resource::*", "regex:/^Resource::.*:network-interface\\/\\*$/", "regex:/^Resource::.*\\/(training|models)\\/\\*$/",
            "regex:/^Resource::.*:log-group:\\/aws\\/sagemaker\\/TrainingJobs:log-stream:\\*$/"));
        Role = role;
        Image = props.Image;
        Subnets = subnets;
        SecurityGroup = props.SecurityGroup;
        ModelsKey = props.ModelsKey;
    }

    /// <summary>The role.</summary>
    public IRole Role { get; }

    /// <summary>The algorithm image the jobs run (the only image the role may pull).</summary>
    public AlgorithmImage Image { get; }

    /// <summary>The subnets the jobs attach to (the only subnets the role may create network interfaces in).</summary>
    public IReadOnlyList<ISubnet> Subnets { get; }

    /// <summary>The jobs' security group (the only group the role may give their network interfaces).</summary>
    public ISecurityGroup SecurityGroup { get; }

    /// <summary>The key the jobs encrypt their volumes and model output with.</summary>
    public IKey ModelsKey { get; }

    /// <summary>Lets <paramref name="grantee"/> pass this role to SageMaker (and to nothing else).</summary>
    public Grant GrantPassRole(IGrantable grantee) => SageMakerExecutionPolicy.GrantPass(Role, grantee);
}
