using Amazon.CDK;
using Amazon.CDK.AWS.Athena;
using Constructs;
using Pipeline.Infra.Constructs.DataLake;

namespace Pipeline.Infra.Constructs.Query;

/// <summary>
/// The Athena workgroup for querying the lake. Its configuration is enforced, so clients cannot send results elsewhere
/// or unencrypted: results go to the lake's Athena-results zone, SSE-KMS with the data key, in a bucket that must be
/// owned by this account; each query may scan at most the configured amount; metrics go to CloudWatch.
/// </summary>
public sealed class QueryWorkgroup : Construct
{
    private const long BytesPerMiB = 1024L * 1024L;

    /// <summary>Creates the workgroup.</summary>
    public QueryWorkgroup(Construct scope, string id, QueryWorkgroupProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        if (props.BytesScannedCutoffMiB is < 10 or > 2047)
        {
            throw new ArgumentException(
                $"BytesScannedCutoffMiB is {props.BytesScannedCutoffMiB}; use 10 (Athena's minimum) to 2047 (CloudFormation's 32-bit integer of bytes).", nameof(props));
        }

        WorkGroup = new CfnWorkGroup(this, "Resource", new CfnWorkGroupProps
        {
            Name = props.Name,
            Description = "Queries over the streaming ML pipeline's data lake.",
            State = "ENABLED",
            // Lets CloudFormation delete the workgroup even when it holds saved queries and history.
            RecursiveDeleteOption = props.RemovalPolicy == RemovalPolicy.DESTROY,
            WorkGroupConfiguration = new CfnWorkGroup.WorkGroupConfigurationProperty
            {
                EnforceWorkGroupConfiguration = true,
                PublishCloudWatchMetricsEnabled = true,
                BytesScannedCutoffPerQuery = props.BytesScannedCutoffMiB * BytesPerMiB,
                EngineVersion = new CfnWorkGroup.EngineVersionProperty { SelectedEngineVersion = "Athena engine version 3" },
                ResultConfiguration = new CfnWorkGroup.ResultConfigurationProperty
                {
                    OutputLocation = props.Lake.S3Url(LakeZones.AthenaResults),
                    ExpectedBucketOwner = Stack.Of(this).Account,
                    EncryptionConfiguration = new CfnWorkGroup.EncryptionConfigurationProperty
                    {
                        EncryptionOption = "SSE_KMS",
                        KmsKey = props.Lake.EncryptionKey.KeyArn,
                    },
                },
            },
        });
        WorkGroup.ApplyRemovalPolicy(props.RemovalPolicy);
    }

    /// <summary>The workgroup.</summary>
    public CfnWorkGroup WorkGroup { get; }
}
