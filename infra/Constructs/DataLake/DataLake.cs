using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.S3;
using Constructs;
using Pipeline.Infra.Compliance;

namespace Pipeline.Infra.Constructs.DataLake;

/// <summary>
/// The S3 data lake: one bucket with a prefix per zone (<see cref="LakeZones"/>), encrypted with the data key (SSE-KMS
/// with S3 Bucket Keys), public access blocked, versioned, TLS 1.2+ only, ACLs disabled, server access logs to a
/// separate log bucket, EventBridge notifications on, and lifecycle rules that expire what should not live forever.
/// Write and read access is granted per zone, with explicit actions only.
/// </summary>
public sealed class DataLake : Construct
{
    /// <summary>Bucket-level actions a zone writer needs (list for multipart bookkeeping, location for the SDKs).</summary>
    internal static readonly string[] BucketWriteActions = ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"];

    /// <summary>Object-level actions a zone writer needs.</summary>
    internal static readonly string[] ObjectWriteActions = ["s3:AbortMultipartUpload", "s3:PutObject"];

    /// <summary>Object-level actions a zone reader needs.</summary>
    internal static readonly string[] ObjectReadActions = ["s3:GetObject"];

    /// <summary>Key actions S3 needs on the writer's behalf to encrypt (and, for multipart uploads, decrypt) objects.</summary>
    internal static readonly string[] KeyWriteActions = ["kms:Decrypt", "kms:GenerateDataKey"];

    /// <summary>Creates the lake and its access-log bucket.</summary>
    public DataLake(Construct scope, string id, DataLakeProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        EncryptionKey = props.EncryptionKey;
        var destroy = props.RemovalPolicy == RemovalPolicy.DESTROY;

        // S3 server access logging delivers only to buckets encrypted with SSE-S3, hence a separate log bucket.
        var logs = new Bucket(this, "AccessLogs", new BucketProps
        {
            Encryption = BucketEncryption.S3_MANAGED,
            BlockPublicAccess = BlockPublicAccess.BLOCK_ALL,
            ObjectOwnership = ObjectOwnership.BUCKET_OWNER_ENFORCED,
            EnforceSSL = true,
            MinimumTLSVersion = 1.2,
            Versioned = true,
            // Legal holds on audit evidence. No default retention: S3 server access logging refuses destinations with
            // one, and lifecycle expiry and sandbox teardown must keep working.
            ObjectLockEnabled = true,
            LifecycleRules =
            [
                new LifecycleRule
                {
                    Id = "ExpireAccessLogs",
                    Expiration = Duration.Days(props.AccessLogDays),
                    NoncurrentVersionExpiration = Duration.Days(1),
                    AbortIncompleteMultipartUploadAfter = Duration.Days(1),
                },
            ],
            RemovalPolicy = props.RemovalPolicy,
            AutoDeleteObjects = destroy,
        });
        EnableEventBridge(logs);
        // Replication: the pipeline's durability is S3's in one Region; a second Region is a deployment decision.
        const string regional =
            "S3 stores every object redundantly across at least three Availability Zones of the Region; the bucket is versioned (noncurrent versions kept for retention.noncurrentVersionDays), Object Lock capable for legal holds and retained in production. The pipeline promises no recovery from the loss of a Region, which replication would need a bucket and key in a second Region for: a deployment decision, not a default.";
        const string sseS3 =
            "This is the server-access-log destination: S3 server access logging delivers only to buckets whose default encryption is SSE-S3 (S3 user guide, \"Enabling Amazon S3 server access logging\"); SSE-KMS would stop the logs.";
        Suppressions.Nag((CfnResource)logs.Node.DefaultChild!,
            new NagSuppression("HIPAA.Security-S3BucketReplicationEnabled", regional),
            new NagSuppression("NIST.800.53.R5-S3BucketReplicationEnabled", regional),
            new NagSuppression("PCI.DSS.321-S3BucketReplicationEnabled", regional),
            new NagSuppression("HIPAA.Security-S3DefaultEncryptionKMS", sseS3),
            new NagSuppression("NIST.800.53.R5-S3DefaultEncryptionKMS", sseS3),
            new NagSuppression("PCI.DSS.321-S3DefaultEncryptionKMS", sseS3));
        Suppressions.Controls((CfnResource)logs.Node.DefaultChild!,
            new ControlSuppression("CT.S3.PR.2",
                "This is the server-access-log destination; logging it into itself would loop, and S3 records its own access in CloudTrail."),
            new ControlSuppression("CT.S3.PR.10",
                "S3 server access logging only delivers to buckets with SSE-S3 default encryption; SSE-KMS would silently stop the logs."));

        var lake = new Bucket(this, "Lake", new BucketProps
        {
            Encryption = BucketEncryption.KMS,
            EncryptionKey = props.EncryptionKey,
            BucketKeyEnabled = true,
            BlockPublicAccess = BlockPublicAccess.BLOCK_ALL,
            ObjectOwnership = ObjectOwnership.BUCKET_OWNER_ENFORCED,
            EnforceSSL = true,
            MinimumTLSVersion = 1.2,
            Versioned = true,
            ObjectLockEnabled = true,
            ServerAccessLogsBucket = logs,
            ServerAccessLogsPrefix = "lake/",
            LifecycleRules =
            [
                new LifecycleRule
                {
                    Id = "AbortIncompleteUploads",
                    AbortIncompleteMultipartUploadAfter = Duration.Days(7),
                },
                new LifecycleRule
                {
                    Id = "ExpireNoncurrentVersions",
                    NoncurrentVersionExpiration = Duration.Days(props.NoncurrentVersionDays),
                    ExpiredObjectDeleteMarker = true,
                },
                new LifecycleRule
                {
                    Id = "ExpireRawZone",
                    Prefix = LakeZones.Raw,
                    Expiration = Duration.Days(props.RawDataDays),
                },
                new LifecycleRule
                {
                    Id = "ExpireErrorZone",
                    Prefix = LakeZones.Errors,
                    Expiration = Duration.Days(props.ErrorDataDays),
                },
                new LifecycleRule
                {
                    Id = "ExpireAthenaResults",
                    Prefix = LakeZones.AthenaResults,
                    Expiration = Duration.Days(props.AthenaResultDays),
                },
                new LifecycleRule
                {
                    Id = "TierCuratedZone",
                    Prefix = LakeZones.Curated,
                    Transitions =
                    [
                        new Transition { StorageClass = StorageClass.INTELLIGENT_TIERING, TransitionAfter = Duration.Days(props.CuratedTieringDays) },
                    ],
                },
            ],
            RemovalPolicy = props.RemovalPolicy,
            AutoDeleteObjects = destroy,
        });
        EnableEventBridge(lake);
        Suppressions.Nag((CfnResource)lake.Node.DefaultChild!,
            new NagSuppression("HIPAA.Security-S3BucketReplicationEnabled", regional),
            new NagSuppression("NIST.800.53.R5-S3BucketReplicationEnabled", regional),
            new NagSuppression("PCI.DSS.321-S3BucketReplicationEnabled", regional));

        if (destroy)
        {
            CdkProviderFindings.Accept(this, "Custom::S3AutoDeleteObjectsCustomResourceProvider",
                "It runs only when CloudFormation deletes a bucket of this stack, and only empties that bucket, so that cdk destroy leaves nothing behind in a sandbox.", inlinePolicies: false);
        }

        Bucket = lake;
        AccessLogBucket = logs;
    }

    /// <summary>The lake bucket.</summary>
    public IBucket Bucket { get; }

    /// <summary>The bucket receiving the lake's server access logs.</summary>
    public IBucket AccessLogBucket { get; }

    /// <summary>The key objects in the lake are encrypted with.</summary>
    public IKey EncryptionKey { get; }

    /// <summary>The <c>s3://bucket/zone</c> URL of a zone (or of a path inside one).</summary>
    public string S3Url(string zonePath) => $"s3://{Bucket.BucketName}/{zonePath}";

    /// <summary>Lets <paramref name="grantee"/> write objects under the given zone paths, and nothing else.</summary>
    public Grant GrantWrite(IGrantable grantee, params string[] zonePaths)
    {
        ArgumentNullException.ThrowIfNull(grantee);
        CheckZones(zonePaths);
        return Statement(grantee, BucketWriteActions, [Bucket.BucketArn])
            .Combine(Statement(grantee, ObjectWriteActions, [.. zonePaths.Select(p => Bucket.ArnForObjects(p + "*"))]))
            .Combine(KeyStatement(grantee, KeyWriteActions));
    }

    /// <summary>Lets <paramref name="grantee"/> list the bucket and read objects under the given zone paths.</summary>
    public Grant GrantRead(IGrantable grantee, params string[] zonePaths)
    {
        ArgumentNullException.ThrowIfNull(grantee);
        CheckZones(zonePaths);
        return Statement(grantee, ["s3:GetBucketLocation", "s3:ListBucket"], [Bucket.BucketArn])
            .Combine(Statement(grantee, ObjectReadActions, [.. zonePaths.Select(p => Bucket.ArnForObjects(p + "*"))]))
            .Combine(KeyStatement(grantee, ["kms:Decrypt"]));
    }

    private static void EnableEventBridge(Bucket bucket) =>
        // The property, not CDK's notification custom resource: no extra Lambda, and Control Tower CT.S3.PR.4 can see it.
        ((CfnBucket)bucket.Node.DefaultChild!).AddPropertyOverride("NotificationConfiguration.EventBridgeConfiguration.EventBridgeEnabled", true);

    private static void CheckZones(string[] zonePaths)
    {
        foreach (var path in zonePaths)
        {
            if (!LakeZones.All.Any(z => path.StartsWith(z, StringComparison.Ordinal)))
            {
                throw new ArgumentException(
                    $"'{path}' is not inside a lake zone; use one of {string.Join(", ", LakeZones.All)} (or a path below one).", nameof(zonePaths));
            }
        }
    }

    private static Grant Statement(IGrantable grantee, string[] actions, string[] resources) =>
        Grant.AddToPrincipal(new GrantOnPrincipalOptions { Grantee = grantee, Actions = actions, ResourceArns = resources });

    private Grant KeyStatement(IGrantable grantee, string[] actions) => Grant.AddToPrincipal(new GrantOnPrincipalOptions
    {
        Grantee = grantee,
        Actions = actions,
        ResourceArns = [EncryptionKey.KeyArn],
        Conditions = new Dictionary<string, IDictionary<string, object>>
        {
            // Only through S3, only for this bucket's objects.
            ["StringEquals"] = new Dictionary<string, object> { ["kms:ViaService"] = $"s3.{Arns.Region}.amazonaws.com" },
            ["StringLike"] = new Dictionary<string, object> { ["kms:EncryptionContext:aws:s3:arn"] = Bucket.BucketArn + "*" },
        },
    });
}
