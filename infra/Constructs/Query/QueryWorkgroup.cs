using Amazon.CDK;
using Amazon.CDK.AWS.Athena;
using Constructs;
using Pipeline.Infra.Constructs.DataLake;

namespace Pipeline.Infra.Constructs.Query;

/// <summary>
/// The Athena workgroup for querying the lake. Its configuration is enforced, so clients cannot send results elsewhere
/// or unencrypted: results go to the lake's Athena-results zone, SSE-KMS with the data key, in a bucket that must be
/// owned by this account; each query may scan at most the given amount; metrics go to CloudWatch.
/// </summary>
public sealed class QueryWorkgroup : Construct
{
    /// <summary>Creates the workgroup.</summary>
    public QueryWorkgroup(Construct scope, string id, QueryWorkgroupProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        if (props.BytesScannedCutoff < MinimumCutoffBytes)
        {
            throw new ArgumentException(
                $"BytesScannedCutoff is {props.BytesScannedCutoff} bytes; use at least {MinimumCutoffBytes} (10 MB, Athena's minimum data usage limit).", nameof(props));
        }

        BytesScannedCutoff = props.BytesScannedCutoff;

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
                BytesScannedCutoffPerQuery = props.BytesScannedCutoff,
                EngineVersion = new CfnWorkGroup.EngineVersionProperty { SelectedEngineVersion = "Athena engine version 3" },
                ResultConfiguration = new CfnWorkGroup.ResultConfigurationProperty
                {
                    OutputLocation = props.Lake.S3Url(LakeZones.AthenaResults),
                    ExpectedBucketOwner = Arns.Account,
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

    /// <summary>Athena's smallest per-query data usage limit, in bytes (10 MB).</summary>
    public const long MinimumCutoffBytes = 10_000_000;

    /// <summary>The workgroup.</summary>
    public CfnWorkGroup WorkGroup { get; }

    /// <summary>The most one query may scan, in bytes; Athena cancels a query that scans more.</summary>
    public long BytesScannedCutoff { get; }

    /// <summary>Fails unless this workgroup lets a query scan <paramref name="scanBytesPerQuery"/> bytes.</summary>
    /// <param name="scanBytesPerQuery">The most one of the queries scans, in bytes.</param>
    /// <param name="queries">What the queries are, for the message, e.g. <c>training queries</c>.</param>
    /// <exception cref="ArgumentException">Athena would cancel the queries.</exception>
    public void RequireScanFits(long scanBytesPerQuery, string queries)
    {
        if (BytesScannedCutoff < scanBytesPerQuery)
        {
            throw new ArgumentException(
                $"The {queries} scan up to {scanBytesPerQuery} bytes each, but workgroup {Node.Path} cancels a query after {BytesScannedCutoff} bytes: give the {queries} a workgroup whose BytesScannedCutoff is at least {scanBytesPerQuery}, or make them scan less.",
                nameof(scanBytesPerQuery));
        }
    }
}
