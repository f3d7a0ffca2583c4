using Amazon.CDK.AWS.KMS;
using Pipeline.Schema;

namespace Pipeline.Infra.Constructs.Catalog;

/// <summary>Properties of <see cref="DataCatalog"/>.</summary>
public sealed record DataCatalogProps
{
    /// <summary>Name of the Glue database (Glue requires one; lowercase letters, digits and underscores).</summary>
    public required string DatabaseName { get; init; }

    /// <summary>
    /// The key the Data Catalog's metadata is encrypted with when catalog encryption is on (<see cref="CatalogEncryption"/>
    /// uses the same key). Readers and writers of the catalog are granted it through Glue only.
    /// </summary>
    public required IKey EncryptionKey { get; init; }

    /// <summary>The lake whose curated zone the table describes.</summary>
    public required DataLake.DataLake Lake { get; init; }

    /// <summary>The record schema; its fields become the table's columns.</summary>
    /// <value>Default: <see cref="TelemetrySchema.Definition"/>.</value>
    public RecordSchema Schema { get; init; } = TelemetrySchema.Definition;
}
