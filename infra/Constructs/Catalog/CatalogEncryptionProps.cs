using Amazon.CDK.AWS.KMS;

namespace Pipeline.Infra.Constructs.Catalog;

/// <summary>Properties of <see cref="CatalogEncryption"/>.</summary>
public sealed record CatalogEncryptionProps
{
    /// <summary>Key for catalog metadata and connection passwords.</summary>
    public required IKey EncryptionKey { get; init; }
}
