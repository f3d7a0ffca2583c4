namespace Pipeline.Infra.Constructs.Catalog;

/// <summary>Properties of <see cref="CaptureTable"/>.</summary>
public sealed record CaptureTableProps
{
    /// <summary>The catalog whose database the table joins.</summary>
    public required DataCatalog Catalog { get; init; }

    /// <summary>The lake whose data-capture zone the endpoint writes to.</summary>
    public required DataLake.DataLake Lake { get; init; }
}
