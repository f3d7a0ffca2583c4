using System.Globalization;
using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KinesisFirehose;
using Amazon.CDK.AWS.Logs;
using Constructs;
using Pipeline.Infra.Compliance;
using Pipeline.Infra.Constructs.DataLake;
using Pipeline.Infra.Constructs.Observability;

namespace Pipeline.Infra.Constructs.Ingestion;

/// <summary>
/// The Firehose delivery stream from the Kinesis stream to the lake:
/// <list type="number">
/// <item>the transform Lambda validates and normalises each record and returns its event date as partition key;</item>
/// <item>records are converted from JSON to Parquet (Snappy) with the curated Glue table's schema;</item>
/// <item>dynamic partitioning writes them under <c>curated/&lt;table&gt;/event_date=yyyy-MM-dd/</c>, the layout the
/// table's partition projection expects;</item>
/// <item>records that fail the transform, the conversion or the partitioning go under
/// <c>errors/&lt;table&gt;/&lt;error type&gt;/ingest_date=…/</c>, one prefix per error type;</item>
/// <item>every source record is also backed up unchanged (GZIP) under <c>raw/&lt;table&gt;/ingest_date=…/</c>, so any day
/// can be replayed.</item>
/// </list>
/// Delivery errors are logged to an encrypted log group. The CDK 2.160 library has only the L1 resource for Firehose,
/// so this construct is the L2.
/// </summary>
public sealed class DeliveryStream : Construct
{
    /// <summary>Name of the log stream for delivery to the curated zone.</summary>
    public const string DestinationLogStream = "DestinationDelivery";

    /// <summary>Name of the log stream for the raw backup.</summary>
    public const string BackupLogStream = "BackupDelivery";

    /// <summary>How long Firehose retries a failed dynamic-partitioning delivery before it writes to the error prefix.</summary>
    private const int PartitioningRetrySeconds = 300;

    /// <summary>Raw backup buffering: small, frequent GZIP objects are fine for a replay archive.</summary>
    private const int BackupBufferSizeMiB = 16;

    /// <summary>Name of the role's inline policy that reads the source stream.</summary>
    internal const string SourceReadPolicyName = "ReadSourceStream";

    /// <summary>Creates the delivery stream, its role and its log group.</summary>
    public DeliveryStream(Construct scope, string id, DeliveryStreamProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        var table = props.Catalog.TableName;
        var partitionKey = props.Catalog.Schema.PartitionKey;
        CuratedPrefix = $"{props.Catalog.CuratedPath}{partitionKey}=!{{partitionKeyFromLambda:{partitionKey}}}/";
        ErrorPrefix = $"{LakeZones.Errors}{table}/!{{firehose:error-output-type}}/ingest_date=!{{timestamp:yyyy-MM-dd}}/";
        RawPrefix = $"{LakeZones.Raw}{table}/ingest_date=!{{timestamp:yyyy-MM-dd}}/";
        RawBackupErrorPrefix = $"{LakeZones.Errors}{table}/raw-backup/!{{firehose:error-output-type}}/ingest_date=!{{timestamp:yyyy-MM-dd}}/";
        RequireErrorOutputType(ErrorPrefix);
        RequireErrorOutputType(RawBackupErrorPrefix);

        var logGroup = new EncryptedLogGroup(this, "LogGroup", new EncryptedLogGroupProps
        {
            EncryptionKey = props.LogsKey,
            RetentionDays = props.LogRetentionDays,
            RemovalPolicy = props.LogRemovalPolicy,
        });
        foreach (var (streamId, streamName) in new[] { ("DestinationLogStream", DestinationLogStream), ("BackupLogStream", BackupLogStream) })
        {
            _ = new LogStream(this, streamId, new LogStreamProps
            {
                LogGroup = logGroup.LogGroup,
                LogStreamName = streamName,
                RemovalPolicy = props.LogRemovalPolicy,
            });
        }

        // Firehose checks that it can read the source stream when the delivery stream is created, so the role is created
        // with that permission attached: a policy resource that attaches itself to the role may not have propagated
        // through IAM by then, even with DependsOn.
        var sourceRead = new ManagedPolicy(this, SourceReadPolicyName, new ManagedPolicyProps
        {
            Description = "Firehose: read the ingestion stream (and its key through Kinesis).",
            Document = props.Source.ReadPolicyDocument(),
        });
        var role = new Role(this, "Role", new RoleProps
        {
            AssumedBy = new ServicePrincipal("firehose.amazonaws.com"),
            // The confused-deputy guard Firehose documents: only this account's delivery streams may use the role.
            ExternalIds = [Arns.Account],
            Description = "Firehose: read the ingestion stream, invoke the transform, read the table schema, write the lake zones, log.",
            ManagedPolicies = [sourceRead],
        });
        props.Lake.GrantWrite(role, props.Catalog.CuratedPath, $"{LakeZones.Raw}{table}/", $"{LakeZones.Errors}{table}/");
        props.Catalog.GrantReadSchema(role);
        Grant.AddToPrincipal(new GrantOnPrincipalOptions
        {
            Grantee = role,
            Actions = ["lambda:GetFunctionConfiguration", "lambda:InvokeFunction"],
            ResourceArns = [props.Transform.FunctionArn],
        });
        Grant.AddToPrincipal(new GrantOnPrincipalOptions
        {
            Grantee = role,
            Actions = ["logs:PutLogEvents"],
            ResourceArns = [LogStreamArn(logGroup, DestinationLogStream), LogStreamArn(logGroup, BackupLogStream)],
        });

        var lakeKey = props.Lake.EncryptionKey.KeyArn;
        Resource = new CfnDeliveryStream(this, "Resource", new CfnDeliveryStreamProps
        {
            DeliveryStreamType = "KinesisStreamAsSource",
            KinesisStreamSourceConfiguration = new CfnDeliveryStream.KinesisStreamSourceConfigurationProperty
            {
                KinesisStreamArn = props.Source.Stream.StreamArn,
                RoleArn = role.RoleArn,
            },
            ExtendedS3DestinationConfiguration = new CfnDeliveryStream.ExtendedS3DestinationConfigurationProperty
            {
                BucketArn = props.Lake.Bucket.BucketArn,
                RoleArn = role.RoleArn,
                Prefix = CuratedPrefix,
                ErrorOutputPrefix = ErrorPrefix,
                BufferingHints = new CfnDeliveryStream.BufferingHintsProperty
                {
                    IntervalInSeconds = props.BufferIntervalSeconds,
                    SizeInMBs = props.BufferSizeMiB,
                },
                // Parquet compresses inside the file (Snappy); Firehose requires UNCOMPRESSED with format conversion.
                CompressionFormat = "UNCOMPRESSED",
                EncryptionConfiguration = KmsEncryption(lakeKey),
                CloudWatchLoggingOptions = Logging(logGroup, DestinationLogStream),
                ProcessingConfiguration = new CfnDeliveryStream.ProcessingConfigurationProperty
                {
                    Enabled = true,
                    Processors = new[]
                    {
                        new CfnDeliveryStream.ProcessorProperty
                        {
                            Type = "Lambda",
                            Parameters = new[]
                            {
                                Parameter("LambdaArn", props.Transform.FunctionArn),
                                Parameter("BufferSizeInMBs", props.TransformBufferSizeMiB.ToString(CultureInfo.InvariantCulture)),
                                Parameter("BufferIntervalInSeconds", props.TransformBufferIntervalSeconds.ToString(CultureInfo.InvariantCulture)),
                                Parameter("NumberOfRetries", props.TransformRetries.ToString(CultureInfo.InvariantCulture)),
                            },
                        },
                    },
                },
                DynamicPartitioningConfiguration = new CfnDeliveryStream.DynamicPartitioningConfigurationProperty
                {
                    Enabled = true,
                    RetryOptions = new CfnDeliveryStream.RetryOptionsProperty { DurationInSeconds = PartitioningRetrySeconds },
                },
                DataFormatConversionConfiguration = new CfnDeliveryStream.DataFormatConversionConfigurationProperty
                {
                    Enabled = true,
                    // The transform writes timestamps as yyyy-MM-dd HH:mm:ss.fff, which the Hive JSON SerDe parses by default.
                    InputFormatConfiguration = new CfnDeliveryStream.InputFormatConfigurationProperty
                    {
                        Deserializer = new CfnDeliveryStream.DeserializerProperty { HiveJsonSerDe = new CfnDeliveryStream.HiveJsonSerDeProperty() },
                    },
                    OutputFormatConfiguration = new CfnDeliveryStream.OutputFormatConfigurationProperty
                    {
                        Serializer = new CfnDeliveryStream.SerializerProperty
                        {
                            ParquetSerDe = new CfnDeliveryStream.ParquetSerDeProperty { Compression = "SNAPPY" },
                        },
                    },
                    SchemaConfiguration = new CfnDeliveryStream.SchemaConfigurationProperty
                    {
                        CatalogId = Arns.Account,
                        DatabaseName = props.Catalog.DatabaseName,
                        TableName = table,
                        Region = Arns.Region,
                        RoleArn = role.RoleArn,
                        VersionId = "LATEST",
                    },
                },
                S3BackupMode = "Enabled",
                S3BackupConfiguration = new CfnDeliveryStream.S3DestinationConfigurationProperty
                {
                    BucketArn = props.Lake.Bucket.BucketArn,
                    RoleArn = role.RoleArn,
                    Prefix = RawPrefix,
                    ErrorOutputPrefix = RawBackupErrorPrefix,
                    CompressionFormat = "GZIP",
                    BufferingHints = new CfnDeliveryStream.BufferingHintsProperty
                    {
                        IntervalInSeconds = props.BufferIntervalSeconds,
                        SizeInMBs = BackupBufferSizeMiB,
                    },
                    EncryptionConfiguration = KmsEncryption(lakeKey),
                    CloudWatchLoggingOptions = Logging(logGroup, BackupLogStream),
                },
            },
        });
        // Firehose validates its role's permissions when the stream is created.
        Resource.Node.AddDependency(role);

        Suppressions.Nag(Resource, new NagSuppression("AwsSolutions-KDF1",
            "Server-side encryption of a delivery stream is only possible for Direct PUT sources; this one reads a Kinesis stream encrypted with the customer-managed data key, and Firehose writes only SSE-KMS objects."));
        var policy = (CfnResource)role.Node.FindChild("DefaultPolicy").Node.DefaultChild!;
        Suppressions.Nag(policy, new NagSuppression("AwsSolutions-IAM5",
            "Object keys under the curated, raw and error paths of this table are generated by Firehose (partition, date, random suffix), so object-level write access needs a prefix wildcard; bucket and key access is limited to this bucket through S3.",
            "regex:/^Resource::.*\\/(curated|raw|errors)\\/.*\\*$/"));
        Role = role;
        LogGroup = logGroup;
        BufferIntervalSeconds = props.BufferIntervalSeconds;
        TransformBufferIntervalSeconds = props.TransformBufferIntervalSeconds;
    }

    /// <summary>Seconds Firehose buffers records before it writes an object to the lake.</summary>
    public int BufferIntervalSeconds { get; }

    /// <summary>Seconds Firehose buffers records before it invokes the transform.</summary>
    public int TransformBufferIntervalSeconds { get; }

    /// <summary>The delivery stream.</summary>
    public CfnDeliveryStream Resource { get; }

    /// <summary>The role Firehose uses.</summary>
    public IRole Role { get; }

    /// <summary>Where delivery errors are logged.</summary>
    public EncryptedLogGroup LogGroup { get; }

    /// <summary>S3 prefix of converted, partitioned records.</summary>
    public string CuratedPrefix { get; }

    /// <summary>S3 prefix of records that failed, one sub-prefix per error type.</summary>
    public string ErrorPrefix { get; }

    /// <summary>S3 prefix of the raw source-record backup.</summary>
    public string RawPrefix { get; }

    /// <summary>S3 prefix of raw-backup records Firehose could not write, one sub-prefix per error type.</summary>
    public string RawBackupErrorPrefix { get; }

    /// <summary>The delivery stream's name (generated by CloudFormation).</summary>
    public string DeliveryStreamName => Resource.Ref;

    /// <summary>Age in seconds of the oldest record not yet delivered to S3 (maximum over the period by default).</summary>
    public Metric MetricDataFreshness(IMetricOptions? options = null) => Metric("DeliveryToS3.DataFreshness", Stats.MAXIMUM, options);

    /// <summary>Share of successful S3 puts, 0 to 1 (average over the period by default).</summary>
    public Metric MetricDeliveryToS3Success(IMetricOptions? options = null) => Metric("DeliveryToS3.Success", Stats.AVERAGE, options);

    /// <summary>Bytes delivered to S3 (sum over the period by default).</summary>
    public Metric MetricDeliveryToS3Bytes(IMetricOptions? options = null) => Metric("DeliveryToS3.Bytes", Stats.SUM, options);

    /// <summary>Share of successful transform Lambda invocations, 0 to 1 (average over the period by default).</summary>
    public Metric MetricExecuteProcessingSuccess(IMetricOptions? options = null) => Metric("ExecuteProcessing.Success", Stats.AVERAGE, options);

    private Metric Metric(string metricName, string defaultStatistic, IMetricOptions? options) => new(new MetricProps
    {
        Namespace = "AWS/Firehose",
        MetricName = metricName,
        DimensionsMap = new Dictionary<string, string> { ["DeliveryStreamName"] = DeliveryStreamName },
        Statistic = options?.Statistic ?? defaultStatistic,
        Period = options?.Period ?? Duration.Minutes(5),
        Label = options?.Label,
    });

    /// <summary>
    /// Firehose rejects an ErrorOutputPrefix that uses an expression (<c>!{...}</c>) but not
    /// <c>!{firehose:error-output-type}</c> (Firehose developer guide, "Understand custom prefixes for Amazon S3 objects").
    /// </summary>
    /// <exception cref="ArgumentException">The prefix breaks that rule.</exception>
    internal static void RequireErrorOutputType(string errorOutputPrefix)
    {
        if (errorOutputPrefix.Contains("!{", StringComparison.Ordinal) &&
            !errorOutputPrefix.Contains("!{firehose:error-output-type}", StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"Firehose error output prefix \"{errorOutputPrefix}\" uses an expression but not !{{firehose:error-output-type}}, which Firehose then requires. Add it, e.g. errors/<table>/!{{firehose:error-output-type}}/.",
                nameof(errorOutputPrefix));
        }
    }

    private static CfnDeliveryStream.ProcessorParameterProperty Parameter(string name, string value) =>
        new() { ParameterName = name, ParameterValue = value };

    private static CfnDeliveryStream.EncryptionConfigurationProperty KmsEncryption(string keyArn) =>
        new() { KmsEncryptionConfig = new CfnDeliveryStream.KMSEncryptionConfigProperty { AwskmsKeyArn = keyArn } };

    private static CfnDeliveryStream.CloudWatchLoggingOptionsProperty Logging(EncryptedLogGroup logGroup, string stream) =>
        new() { Enabled = true, LogGroupName = logGroup.LogGroup.LogGroupName, LogStreamName = stream };

    private static string LogStreamArn(EncryptedLogGroup logGroup, string stream) => Arns.Format("logs", "log-group", $"{logGroup.LogGroup.LogGroupName}:log-stream:{stream}", separator: ':');
}
