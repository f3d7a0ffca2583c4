using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;
using Amazon.CDK;
using Amazon.CDK.AWS.Glue;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Constructs;
using Pipeline.Schema;
using Pipeline.Infra.Constructs.DataLake;

namespace Pipeline.Infra.Constructs.Catalog;

/// <summary>
/// The Glue Data Catalog entries of the lake: a database and the curated table, whose columns come from the record
/// schema (one definition, many consumers). The table is Parquet and uses partition projection on the event date, so
/// new partitions are queryable the moment Firehose writes them: no crawler, no MSCK REPAIR.
/// </summary>
public sealed partial class DataCatalog : Construct
{
    /// <summary>Glue actions a reader of the table's schema needs (Firehose's Parquet conversion reads the schema).</summary>
    internal static readonly string[] SchemaReadActions = ["glue:GetTable", "glue:GetTableVersion", "glue:GetTableVersions"];

    /// <summary>What reading an encrypted Data Catalog needs on its key.</summary>
    internal static readonly string[] MetadataKeyReadActions = ["kms:Decrypt"];

    /// <summary>What writing an encrypted Data Catalog needs on its key.</summary>
    internal static readonly string[] MetadataKeyWriteActions = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"];

    /// <summary>Creates the database and the curated table.</summary>
    public DataCatalog(Construct scope, string id, DataCatalogProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        if (!DatabaseNamePattern().IsMatch(props.DatabaseName))
        {
            throw new ArgumentException(
                $"DatabaseName '{props.DatabaseName}' is not usable from Athena; use 1 to 255 lowercase letters, digits and underscores.", nameof(props));
        }

        var schema = props.Schema;
        var account = Arns.Account;
        Schema = schema;
        EncryptionKey = props.EncryptionKey;
        DatabaseName = props.DatabaseName;
        TableName = schema.Name;
        CuratedPath = $"{LakeZones.Curated}{schema.Name}/";
        var location = props.Lake.S3Url(CuratedPath);

        Database = new CfnDatabase(this, "Database", new CfnDatabaseProps
        {
            CatalogId = account,
            DatabaseInput = new CfnDatabase.DatabaseInputProperty
            {
                Name = props.DatabaseName,
                Description = "Streaming ML pipeline: curated lake tables (Parquet) and the raw zone crawled on demand.",
            },
        });

        var partitionKey = schema.PartitionKey;
        Table = new CfnTable(this, "CuratedTable", new CfnTableProps
        {
            CatalogId = account,
            DatabaseName = props.DatabaseName,
            TableInput = new CfnTable.TableInputProperty
            {
                Name = schema.Name,
                Description = $"{schema.Name} records, validated and normalised by the transform Lambda, as Parquet partitioned by {partitionKey}.",
                TableType = "EXTERNAL_TABLE",
                PartitionKeys = new[] { new CfnTable.ColumnProperty { Name = partitionKey, Type = "string", Comment = "UTC date of the event time, yyyy-MM-dd." } },
                Parameters = new Dictionary<string, object>
                {
                    ["classification"] = "parquet",
                    ["EXTERNAL"] = "TRUE",
                    ["parquet.compression"] = "SNAPPY",
                    // Partition projection: Athena computes partitions from these rules instead of the catalog.
                    ["projection.enabled"] = "true",
                    [$"projection.{partitionKey}.type"] = "date",
                    [$"projection.{partitionKey}.format"] = RecordSchema.PartitionValueFormat,
                    [$"projection.{partitionKey}.range"] =
                        $"{schema.EarliestEventTime.UtcDateTime.ToString(RecordSchema.PartitionValueFormat, CultureInfo.InvariantCulture)},NOW",
                    [$"projection.{partitionKey}.interval"] = "1",
                    [$"projection.{partitionKey}.interval.unit"] = "DAYS",
                    ["storage.location.template"] = $"{location}{partitionKey}=${{{partitionKey}}}/",
                },
                StorageDescriptor = new CfnTable.StorageDescriptorProperty
                {
                    Location = location,
                    InputFormat = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
                    OutputFormat = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
                    SerdeInfo = new CfnTable.SerdeInfoProperty
                    {
                        SerializationLibrary = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
                        Parameters = new Dictionary<string, object> { ["serialization.format"] = "1" },
                    },
                    Columns = schema.Fields.Select(ToColumn).ToArray(),
                },
            },
        });
        Table.AddDependency(Database);
    }

    /// <summary>The record schema the table follows.</summary>
    public RecordSchema Schema { get; }

    /// <summary>The Glue database.</summary>
    public CfnDatabase Database { get; }

    /// <summary>The curated table.</summary>
    public CfnTable Table { get; }

    /// <summary>Name of the database.</summary>
    public string DatabaseName { get; }

    /// <summary>Name of the curated table (the schema's name).</summary>
    public string TableName { get; }

    /// <summary>Path of the curated table inside the lake, e.g. <c>curated/telemetry/</c>.</summary>
    public string CuratedPath { get; }

    /// <summary>ARN of the account's Data Catalog.</summary>
    [SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "The catalog of this construct's account: the same for every instance only because the stacks are environment-agnostic.")]
    public string CatalogArn => Arns.Format("glue", "catalog");

    /// <summary>ARN of the database.</summary>
    public string DatabaseArn => Arns.Format("glue", "database", DatabaseName);

    /// <summary>ARN of the curated table.</summary>
    public string TableArn => Arns.Format("glue", "table", $"{DatabaseName}/{TableName}");

    /// <summary>The key the catalog's metadata is encrypted with when Data Catalog encryption is on.</summary>
    public IKey EncryptionKey { get; }

    /// <summary>
    /// Lets <paramref name="grantee"/> read the curated table's definition (not its data), including through an
    /// encrypted Data Catalog.
    /// </summary>
    public Grant GrantReadSchema(IGrantable grantee)
    {
        GrantMetadataKey(grantee, write: false);
        return Grant.AddToPrincipal(new GrantOnPrincipalOptions
        {
            Grantee = grantee,
            Actions = SchemaReadActions,
            ResourceArns = [CatalogArn, DatabaseArn, TableArn],
        });
    }

    /// <summary>
    /// Lets <paramref name="grantee"/> use the catalog's metadata key through Glue only, as every reader (decrypt) or
    /// writer (also encrypt and generate data keys) of an encrypted Data Catalog must (Glue developer guide,
    /// "Encrypting your Data Catalog"). Without it, reads and writes fail once catalog encryption is on, whether this
    /// app manages it or the account already had it.
    /// </summary>
    public Grant GrantMetadataKey(IGrantable grantee, bool write) => Grant.AddToPrincipal(new GrantOnPrincipalOptions
    {
        Grantee = grantee,
        Actions = write ? MetadataKeyWriteActions : MetadataKeyReadActions,
        ResourceArns = [EncryptionKey.KeyArn],
        Conditions = new Dictionary<string, IDictionary<string, object>>
        {
            ["StringEquals"] = new Dictionary<string, object> { ["kms:ViaService"] = $"glue.{Arns.Region}.amazonaws.com" },
        },
    });

    private static CfnTable.ColumnProperty ToColumn(FieldDefinition field) => new()
    {
        Name = field.Name,
        Type = field.GlueType,
        Comment = field.Unit is null ? field.Description : $"{field.Description} Unit: {field.Unit}.",
    };

    [GeneratedRegex("^[a-z0-9_]{1,255}$")]
    private static partial Regex DatabaseNamePattern();
}
