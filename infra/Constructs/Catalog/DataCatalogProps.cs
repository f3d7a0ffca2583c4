using Pipeline.Core.Schema;
using Pipeline.Infra.Constructs.DataLake;

namespace Pipeline.Infra.Constructs.Catalog;

/// <summary>Properties of <see cref="DataCatalog"/>.</summary>
public sealed record DataCatalogProps
{
    /// <summary>Name of the Glue database (Glue requires one; lowercase letters, digits and underscores).</summary>
    public required string DatabaseName { get; init; }

    /// <summary>The lake whose curated zone the table describes.</summary>
    public required DataLake.DataLake Lake { get; init; }

    /// <summary>The record schema; its fields become the table's columns.</summary>
    /// <value>Default: <see cref="TelemetrySchema.Definition"/>.</value>
    public RecordSchema Schema { get; init; } = TelemetrySchema.Definition;
}
