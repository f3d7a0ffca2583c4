using Amazon.CDK;
using Amazon.CDK.AWS.Glue;
using Constructs;

namespace Pipeline.Infra.Constructs.Catalog;

/// <summary>
/// The account's Glue Data Catalog encryption settings: metadata at rest and connection passwords encrypted with the
/// data key. These settings are a singleton per account and Region, shared by every catalog user there, and a second
/// stack that sets them overwrites the first; that is why the app creates this only when configured to
/// (<c>catalog.manageEncryption=true</c>). Once on, every principal reading the catalog also needs
/// <c>kms:Decrypt</c> on the key.
/// </summary>
public sealed class CatalogEncryption : Construct
{
    /// <summary>Creates the settings.</summary>
    public CatalogEncryption(Construct scope, string id, CatalogEncryptionProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        Settings = new CfnDataCatalogEncryptionSettings(this, "Resource", new CfnDataCatalogEncryptionSettingsProps
        {
            CatalogId = Arns.Account,
            DataCatalogEncryptionSettings = new CfnDataCatalogEncryptionSettings.DataCatalogEncryptionSettingsProperty
            {
                EncryptionAtRest = new CfnDataCatalogEncryptionSettings.EncryptionAtRestProperty
                {
                    CatalogEncryptionMode = "SSE-KMS",
                    SseAwsKmsKeyId = props.EncryptionKey.KeyArn,
                },
                ConnectionPasswordEncryption = new CfnDataCatalogEncryptionSettings.ConnectionPasswordEncryptionProperty
                {
                    ReturnConnectionPasswordEncrypted = true,
                    KmsKeyId = props.EncryptionKey.KeyArn,
                },
            },
        });
    }

    /// <summary>The settings resource.</summary>
    public CfnDataCatalogEncryptionSettings Settings { get; }
}
