using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;

namespace Pipeline.Infra.Constructs.SageMaker;

/// <summary>
/// The statements every SageMaker execution role of the pipeline shares (SageMaker developer guide, "How to use
/// SageMaker AI execution roles"): lake paths, volume encryption through key grants, network interfaces in the VPC,
/// logs, metrics in named namespaces, and pulling one algorithm image.
/// </summary>
internal static class SageMakerExecutionPolicy
{
    /// <summary>What SageMaker looks up to attach a job or endpoint to the VPC; EC2's Describe actions support no resource scoping.</summary>
    internal static readonly string[] VpcDescribeActions =
    [
        "ec2:DescribeDhcpOptions", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs",
    ];

    /// <summary>What SageMaker does to the network interfaces once they exist.</summary>
    internal static readonly string[] NetworkInterfaceActions =
        ["ec2:CreateNetworkInterfacePermission", "ec2:DeleteNetworkInterface", "ec2:DeleteNetworkInterfacePermission"];

    /// <summary>SageMaker encrypts the instance volume through a grant on the key, for AWS resources only.</summary>
    internal static void AllowVolumeKey(IRole role, IKey key) => Grant.AddToPrincipal(new GrantOnPrincipalOptions
    {
        Grantee = role,
        Actions = ["kms:CreateGrant", "kms:DescribeKey"],
        ResourceArns = [key.KeyArn],
        Conditions = new Dictionary<string, IDictionary<string, object>> { ["Bool"] = new Dictionary<string, object> { ["kms:GrantIsForAWSResource"] = "true" } },
    });

    /// <summary>
    /// Network interfaces created only in <paramref name="subnets"/> with <paramref name="group"/> and managed only inside
    /// <paramref name="vpc"/> (EC2 authorizes CreateNetworkInterface on the subnet and the security group too).
    /// </summary>
    internal static void AllowNetworkInterfaces(IRole role, IVpc vpc, IEnumerable<ISubnet> subnets, ISecurityGroup group)
    {
        string Ec2(string resource, string name) => Arns.Format("ec2", resource, name);
        Grant.AddToPrincipal(new GrantOnPrincipalOptions
        {
            Grantee = role,
            Actions = ["ec2:CreateNetworkInterface"],
            ResourceArns = [.. subnets.Select(subnet => Ec2("subnet", subnet.SubnetId)), Ec2("security-group", group.SecurityGroupId), Ec2("network-interface", "*")],
        });
        Grant.AddToPrincipal(new GrantOnPrincipalOptions
        {
            Grantee = role,
            Actions = NetworkInterfaceActions,
            ResourceArns = [Ec2("network-interface", "*")],
            Conditions = new Dictionary<string, IDictionary<string, object>>
            {
                ["ArnEquals"] = new Dictionary<string, object> { ["ec2:Vpc"] = Ec2("vpc", vpc.VpcId) },
            },
        });
        Grant.AddToPrincipal(new GrantOnPrincipalOptions { Grantee = role, Actions = VpcDescribeActions, ResourceArns = ["*"] });
    }

    /// <summary>Metrics only in <paramref name="metricNamespace"/> (PutMetricData supports no resource, only this condition).</summary>
    internal static void AllowMetrics(IRole role, string metricNamespace) => Grant.AddToPrincipal(new GrantOnPrincipalOptions
    {
        Grantee = role,
        Actions = ["cloudwatch:PutMetricData"],
        ResourceArns = ["*"],
        Conditions = new Dictionary<string, IDictionary<string, object>>
        {
            ["StringEquals"] = new Dictionary<string, object> { ["cloudwatch:namespace"] = metricNamespace },
        },
    });

    /// <summary>Only the algorithm's AWS-owned repository; the authorization token itself supports no resource scoping.</summary>
    internal static void AllowImagePull(IRole role, AlgorithmImage image)
    {
        Grant.AddToPrincipal(new GrantOnPrincipalOptions
        {
            Grantee = role,
            Actions = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
            ResourceArns = [image.RepositoryArn],
        });
        Grant.AddToPrincipal(new GrantOnPrincipalOptions { Grantee = role, Actions = ["ecr:GetAuthorizationToken"], ResourceArns = ["*"] });
    }

    /// <summary>Lets <paramref name="grantee"/> pass <paramref name="role"/> to SageMaker (and to nothing else).</summary>
    internal static Grant GrantPass(IRole role, IGrantable grantee) => Grant.AddToPrincipal(new GrantOnPrincipalOptions
    {
        Grantee = grantee,
        Actions = ["iam:PassRole"],
        ResourceArns = [role.RoleArn],
        Conditions = new Dictionary<string, IDictionary<string, object>>
        {
            ["StringEquals"] = new Dictionary<string, object> { ["iam:PassedToService"] = "sagemaker.amazonaws.com" },
        },
    });

    /// <summary>
    /// Everything a SageMaker job's execution role needs, in one order for every job: the lake paths it reads and
    /// writes, the Models key for its volume (grants for AWS resources only) and for objects (through S3 only), network
    /// interfaces in the VPC, its log group, its metric namespaces, and its image.
    /// </summary>
    internal static void AllowJob(Role role, JobAccess access)
    {
        access.Lake.GrantRead(role, [.. access.Reads]);
        access.Lake.GrantWrite(role, [.. access.Writes]);
        AllowVolumeKey(role, access.ModelsKey);
        Grant.AddToPrincipal(new GrantOnPrincipalOptions
        {
            Grantee = role,
            Actions = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
            ResourceArns = [access.ModelsKey.KeyArn],
            Conditions = new Dictionary<string, IDictionary<string, object>>
            {
                ["StringEquals"] = new Dictionary<string, object> { ["kms:ViaService"] = $"s3.{Arns.Region}.amazonaws.com" },
            },
        });
        AllowNetworkInterfaces(role, access.Vpc, access.Subnets, access.SecurityGroup);
        Grant.AddToPrincipal(new GrantOnPrincipalOptions
        {
            Grantee = role,
            Actions = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
            ResourceArns =
            [
                Arns.Format("logs", "log-group", access.LogGroupName, separator: ':'),
                Arns.Format("logs", "log-group", $"{access.LogGroupName}:log-stream:*", separator: ':'),
            ],
        });
        foreach (var metricNamespace in access.MetricNamespaces)
        {
            AllowMetrics(role, metricNamespace);
        }

        AllowImagePull(role, access.Image);
    }
}

/// <summary>What one kind of SageMaker job may reach (see <see cref="SageMakerExecutionPolicy.AllowJob"/>).</summary>
/// <param name="Lake">The lake.</param>
/// <param name="Reads">Lake paths the jobs read.</param>
/// <param name="Writes">Lake paths the jobs write.</param>
/// <param name="ModelsKey">The key for volumes and model objects.</param>
/// <param name="Vpc">The VPC the jobs attach to.</param>
/// <param name="Subnets">The subnets the jobs attach to.</param>
/// <param name="SecurityGroup">The jobs' security group.</param>
/// <param name="LogGroupName">SageMaker's log group for this kind of job.</param>
/// <param name="MetricNamespaces">Namespaces the jobs publish metrics to.</param>
/// <param name="Image">The jobs' image.</param>
internal sealed record JobAccess(
    DataLake.DataLake Lake,
    IReadOnlyList<string> Reads,
    IReadOnlyList<string> Writes,
    IKey ModelsKey,
    IVpc Vpc,
    IEnumerable<ISubnet> Subnets,
    ISecurityGroup SecurityGroup,
    string LogGroupName,
    IEnumerable<string> MetricNamespaces,
    AlgorithmImage Image);
