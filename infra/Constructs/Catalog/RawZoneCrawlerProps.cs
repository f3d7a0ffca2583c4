using Amazon.CDK.AWS.KMS;

namespace Pipeline.Infra.Constructs.Catalog;

/// <summary>Properties of <see cref="RawZoneCrawler"/>.</summary>
public sealed record RawZoneCrawlerProps
{
    /// <summary>The catalog whose database receives the raw table.</summary>
    public required DataCatalog Catalog { get; init; }

    /// <summary>The lake whose raw zone is crawled.</summary>
    public required DataLake.DataLake Lake { get; init; }

    /// <summary>Name of the Glue security configuration (Glue requires one).</summary>
    public required string SecurityConfigurationName { get; init; }

    /// <summary>Key for the crawler's CloudWatch logs (its policy must admit CloudWatch Logs).</summary>
    public required IKey LogsKey { get; init; }
}
