using Amazon.CDK;
using Constructs;
using Pipeline.Infra.Constructs.Catalog;
using Pipeline.Infra.Constructs.DataLake;
using Pipeline.Infra.Constructs.Ingestion;
using Pipeline.Infra.Constructs.Models;
using Pipeline.Infra.Constructs.Query;

namespace Pipeline.Infra.Stacks;

/// <summary>
/// The stateful data stack: the Kinesis stream, the S3 data lake, the Glue catalog (curated table, raw-zone crawler,
/// optional catalog encryption) and the Athena workgroup. In the sandbox profile `cdk destroy` removes all of it,
/// emptying the buckets first; in production the stream, buckets and workgroup are retained.
/// </summary>
public sealed class DataLakeStack : Stack
{
    /// <summary>Creates the stack.</summary>
    public DataLakeStack(Construct scope, string id, DataLakeStackProps props)
        : base(scope, id, props)
    {
        ArgumentNullException.ThrowIfNull(props);
        var settings = props.Settings;
        var names = ResourceNames.For(settings);
        var stateful = settings.RetainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

        Stream = new IngestionStream(this, "Stream", new IngestionStreamProps
        {
            EncryptionKey = props.Keys.Data,
            ShardCount = settings.Stream.ShardCount,
            RetentionHours = settings.Stream.RetentionHours,
            RemovalPolicy = stateful,
        });

        Lake = new DataLake(this, "Lake", new DataLakeProps
        {
            EncryptionKey = props.Keys.Data,
            RawDataDays = settings.Retention.RawDataDays,
            ErrorDataDays = settings.Retention.ErrorDataDays,
            NoncurrentVersionDays = settings.Retention.NoncurrentVersionDays,
            AccessLogDays = settings.Retention.LogDays,
            RemovalPolicy = stateful,
        });

        Catalog = new DataCatalog(this, "Catalog", new DataCatalogProps
        {
            DatabaseName = names.GlueDatabase,
            EncryptionKey = props.Keys.Data,
            Lake = Lake,
        });

        Capture = new CaptureTable(this, "CaptureTable", new CaptureTableProps { Catalog = Catalog, Lake = Lake });

        RawCrawler = new RawZoneCrawler(this, "RawCrawler", new RawZoneCrawlerProps
        {
            Catalog = Catalog,
            Lake = Lake,
            SecurityConfigurationNamePrefix = names.CrawlerSecurityConfigurationPrefix(ResourceNames.UniqueSuffix(this)),
            LogsKey = props.Keys.Logs,
        });

        if (settings.Catalog.ManageCatalogEncryption)
        {
            _ = new CatalogEncryption(this, "CatalogEncryption", new CatalogEncryptionProps { EncryptionKey = props.Keys.Data });
        }

        Workgroup = new QueryWorkgroup(this, "Athena", new QueryWorkgroupProps
        {
            Name = names.AthenaWorkgroup(ResourceNames.UniqueSuffix(this)),
            Lake = Lake,
            BytesScannedCutoff = settings.Catalog.BytesScannedCutoffMiB * 1024L * 1024L,
            RemovalPolicy = stateful,
        });
        Models = new ModelRegistry(this, "Models", new ModelRegistryProps
        {
            GroupName = names.ModelPackageGroup(ResourceNames.UniqueSuffix(this)),
            RemovalPolicy = stateful,
        });
        // What users type: where producers write, where the data lands, what to query.
        _ = new CfnOutput(this, "StreamName", new CfnOutputProps
        {
            Value = Stream.Stream.StreamName,
            Description = "Kinesis data stream producers write telemetry records to (one JSON object per record, ending with a newline).",
        });
        _ = new CfnOutput(this, "LakeBucketName", new CfnOutputProps
        {
            Value = Lake.Bucket.BucketName,
            Description = "The data lake bucket (raw/, curated/, errors/, training/, models/, data-capture/, athena-results/).",
        });
        _ = new CfnOutput(this, "GlueDatabaseName", new CfnOutputProps
        {
            Value = Catalog.DatabaseName,
            Description = "Glue database of the lake's tables.",
        });
        _ = new CfnOutput(this, "GlueTableName", new CfnOutputProps
        {
            Value = Catalog.TableName,
            Description = "Glue table of the curated records (Parquet, partitioned by event_date with partition projection).",
        });
        _ = new CfnOutput(this, "CaptureTableName", new CfnOutputProps
        {
            Value = Capture.TableName,
            Description = "Glue table of the endpoint's captured requests (JSON Lines); name the endpoint and the hours in each query.",
        });
        _ = new CfnOutput(this, "ModelPackageGroupName", new CfnOutputProps
        {
            Value = Models.GroupName,
            Description = "SageMaker model package group: training registers versions here; approve one to serve it.",
        });

        // The workgroup's name carries the stack's id, so users read it here.
        _ = new CfnOutput(this, "AthenaWorkgroupName", new CfnOutputProps
        {
            Value = Workgroup.WorkGroup.Ref,
            Description = "Athena workgroup for queries over the lake (results encrypted, scan cutoff enforced).",
        });
    }

    /// <summary>The stream producers write to.</summary>
    public IngestionStream Stream { get; }

    /// <summary>The data lake.</summary>
    public DataLake Lake { get; }

    /// <summary>The Glue catalog entries.</summary>
    public DataCatalog Catalog { get; }

    /// <summary>The Glue table over the endpoint's data capture.</summary>
    public CaptureTable Capture { get; }

    /// <summary>The raw-zone crawler.</summary>
    public RawZoneCrawler RawCrawler { get; }

    /// <summary>The model registry (model package group).</summary>
    public ModelRegistry Models { get; }

    /// <summary>The Athena workgroup.</summary>
    public QueryWorkgroup Workgroup { get; }
}
