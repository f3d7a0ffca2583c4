using Amazon.CDK.AWS.EC2;
using Constructs;

namespace Pipeline.Infra.Constructs.Training;

/// <summary>
/// The security group of the SageMaker training jobs' network interfaces. Jobs run with network isolation; SageMaker
/// moves their data through these interfaces to S3 (the gateway endpoint), so nothing comes in and only HTTPS goes
/// out; the instances of a distributed job also talk to each other.
/// </summary>
public sealed class TrainingJobSecurityGroup : SecurityGroup
{
    /// <summary>Creates the security group and its rules.</summary>
    public TrainingJobSecurityGroup(Construct scope, string id, TrainingJobSecurityGroupProps props)
        : base(scope, id, new SecurityGroupProps
        {
            Vpc = (props ?? throw new ArgumentNullException(nameof(props))).Vpc,
            Description = "SageMaker training jobs: no inbound; outbound HTTPS to S3 through the gateway endpoint",
            AllowAllOutbound = false,
        })
    {
        AddEgressRule(Peer.AnyIpv4(), Port.Tcp(443), "HTTPS to S3 through the gateway endpoint (the only route out)");
        if (props.InstanceCount > 1)
        {
            // Distributed training: the instances of one job talk to each other (SageMaker developer guide, "train-vpc").
            AddIngressRule(this, Port.AllTraffic(), "Between the instances of one training job");
            AddEgressRule(this, Port.AllTraffic(), "Between the instances of one training job");
        }
    }
}
