using System.Security.Cryptography;
using System.Text;
using Amazon.CDK;
using Amazon.CDK.AWS.Glue;
using Amazon.CDK.AWS.IAM;
using Constructs;
using Pipeline.Infra.Compliance;
using Pipeline.Infra.Constructs.DataLake;

namespace Pipeline.Infra.Constructs.Catalog;

/// <summary>
/// A Glue crawler for the raw zone (the source records exactly as producers sent them), so that raw data can be
/// inspected with Athena when a replay or an investigation needs it. It runs on demand. Its security configuration
/// encrypts what Glue writes: S3 data with the data key, CloudWatch logs with the logs key, job bookmarks client-side
/// with the data key. Its role can read only the raw zone and change only its own table's partitions.
/// </summary>
public sealed class RawZoneCrawler : Construct
{
    /// <summary>Prefix Glue puts in front of the tables the crawler creates.</summary>
    public const string TablePrefix = "raw_";

    /// <summary>Glue Data Catalog actions the crawler needs to create and update its table and partitions.</summary>
    internal static readonly string[] CatalogActions =
    [
        "glue:BatchCreatePartition", "glue:BatchGetPartition", "glue:BatchUpdatePartition", "glue:CreateTable", "glue:GetDatabase",
        "glue:GetPartition", "glue:GetPartitions", "glue:GetTable", "glue:UpdatePartition", "glue:UpdateTable",
    ];

    /// <summary>
    /// What Glue's CloudWatch Logs encryption needs from the crawler's role on the logs key (Glue developer guide,
    /// "Setting up encryption": the crawler role next to CloudWatch Logs in the key's users).
    /// </summary>
    internal static readonly string[] LogsKeyActions = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"];

    /// <summary>Creates the crawler, its role and its security configuration.</summary>
    public RawZoneCrawler(Construct scope, string id, RawZoneCrawlerProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        var catalog = props.Catalog;
        var rawPath = $"{LakeZones.Raw}{catalog.Schema.Name}/";

        const string s3Mode = "SSE-KMS", logsMode = "SSE-KMS", bookmarksMode = "CSE-KMS";
        // Every property of a security configuration is replacement-only and its name must be unique: a name that
        // follows the configuration lets CloudFormation create the replacement before it deletes the old one.
        var configurationHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{s3Mode}:{props.Lake.EncryptionKey.Node.Path}|{logsMode}:{props.LogsKey.Node.Path}|{bookmarksMode}:{props.Lake.EncryptionKey.Node.Path}")))[..8];
        var securityConfiguration = new CfnSecurityConfiguration(this, "SecurityConfiguration", new CfnSecurityConfigurationProps
        {
            Name = $"{props.SecurityConfigurationNamePrefix}-{configurationHash}",
            EncryptionConfiguration = new CfnSecurityConfiguration.EncryptionConfigurationProperty
            {
                S3Encryptions = new[]
                {
                    new CfnSecurityConfiguration.S3EncryptionProperty { S3EncryptionMode = s3Mode, KmsKeyArn = props.Lake.EncryptionKey.KeyArn },
                },
                CloudWatchEncryption = new CfnSecurityConfiguration.CloudWatchEncryptionProperty
                {
                    CloudWatchEncryptionMode = logsMode,
                    KmsKeyArn = props.LogsKey.KeyArn,
                },
                JobBookmarksEncryption = new CfnSecurityConfiguration.JobBookmarksEncryptionProperty
                {
                    JobBookmarksEncryptionMode = bookmarksMode,
                    KmsKeyArn = props.Lake.EncryptionKey.KeyArn,
                },
            },
        });

        var role = new Role(this, "Role", new RoleProps
        {
            AssumedBy = new ServicePrincipal("glue.amazonaws.com"),
            Description = "Glue crawler of the lake's raw zone: reads the raw zone, maintains its raw_ table.",
        });
        props.Lake.GrantRead(role, rawPath);
        var rawTableArn = Arns.Format("glue", "table", $"{catalog.DatabaseName}/{TablePrefix}*");
        Grant.AddToPrincipal(new GrantOnPrincipalOptions
        {
            Grantee = role,
            Actions = CatalogActions,
            ResourceArns = [catalog.CatalogArn, catalog.DatabaseArn, rawTableArn],
        });
        // A crawler lists the database's tables to match folders to them; Glue authorizes GetTables on every table of
        // the database. Table definitions only, no data.
        Grant.AddToPrincipal(new GrantOnPrincipalOptions
        {
            Grantee = role,
            Actions = ["glue:GetTables"],
            ResourceArns = [catalog.CatalogArn, catalog.DatabaseArn, Arns.Format("glue", "table", $"{catalog.DatabaseName}/*")],
        });
        catalog.GrantMetadataKey(role, write: true);
        // The security configuration encrypts the crawler's logs with the logs key, which Glue uses as this role.
        Grant.AddToPrincipal(new GrantOnPrincipalOptions
        {
            Grantee = role,
            Actions = LogsKeyActions,
            ResourceArns = [props.LogsKey.KeyArn],
        });
        // The crawler writes to Glue's own log group and, with CloudWatch encryption on, associates the logs key with it.
        var crawlerLogs = Arns.Format("logs", "log-group", "/aws-glue/crawlers*", separator: ':');
        Grant.AddToPrincipal(new GrantOnPrincipalOptions
        {
            Grantee = role,
            Actions = ["logs:AssociateKmsKey", "logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
            ResourceArns = [crawlerLogs],
        });

        Crawler = new CfnCrawler(this, "Resource", new CfnCrawlerProps
        {
            Role = role.RoleArn,
            DatabaseName = catalog.DatabaseName,
            Description = "Crawls the raw zone (GZIP JSON source records) into the raw_ table, on demand.",
            TablePrefix = TablePrefix,
            Targets = new CfnCrawler.TargetsProperty
            {
                S3Targets = new[] { new CfnCrawler.S3TargetProperty { Path = props.Lake.S3Url(rawPath) } },
            },
            CrawlerSecurityConfiguration = securityConfiguration.Ref,
            // Only new folders: the raw zone is append-only, so earlier days never need re-reading.
            RecrawlPolicy = new CfnCrawler.RecrawlPolicyProperty { RecrawlBehavior = "CRAWL_NEW_FOLDERS_ONLY" },
            SchemaChangePolicy = new CfnCrawler.SchemaChangePolicyProperty { UpdateBehavior = "LOG", DeleteBehavior = "LOG" },
        });
        Crawler.AddDependency(catalog.Database);
        Role = role;
        SecurityConfiguration = securityConfiguration;

        var policy = (CfnResource)role.Node.FindChild("DefaultPolicy").Node.DefaultChild!;
        Suppressions.Nag(policy, new NagSuppression("AwsSolutions-IAM5",
            "Wildcards are confined to this crawler's own scope: objects under the raw zone path it crawls, the raw_ tables it creates (names come from the data's folders), the definitions of this database's tables (GetTables authorizes on every table of the database), Glue's own crawler log groups, whose streams Glue names per run, and the generated KMS actions AWS documents for a crawler writing encrypted logs.",
            "regex:/^Resource::.*\\/raw\\/.*\\*$/", "regex:/^Resource::.*:table\\/.*\\/raw_\\*$/", "regex:/^Resource::.*:table\\/[a-z0-9_]+\\/\\*$/",
            "regex:/^Resource::.*:log-group:\\/aws-glue\\/crawlers\\*$/", "Action::kms:GenerateDataKey*", "Action::kms:ReEncrypt*"));
    }

    /// <summary>The crawler.</summary>
    public CfnCrawler Crawler { get; }

    /// <summary>The crawler's role.</summary>
    public IRole Role { get; }

    /// <summary>The Glue security configuration.</summary>
    public CfnSecurityConfiguration SecurityConfiguration { get; }
}
