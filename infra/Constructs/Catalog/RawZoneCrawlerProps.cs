using Amazon.CDK.AWS.KMS;

namespace Pipeline.Infra.Constructs.Catalog;

/// <summary>Properties of <see cref="RawZoneCrawler"/>.</summary>
public sealed record RawZoneCrawlerProps
{
    /// <summary>The catalog whose database receives the raw table.</summary>
    public required DataCatalog Catalog { get; init; }

    /// <summary>The lake whose raw zone is crawled.</summary>
    public required DataLake.DataLake Lake { get; init; }

    /// <summary>
    /// Start of the Glue security configuration's name (Glue requires a name); the crawler appends a hash of the
    /// configuration, because every property of a security configuration can only change by replacement.
    /// </summary>
    public required string SecurityConfigurationNamePrefix { get; init; }

    /// <summary>Key for the crawler's CloudWatch logs (its policy must admit CloudWatch Logs).</summary>
    public required IKey LogsKey { get; init; }
}
