using Amazon.CDK;
using Amazon.CDK.AWS.KMS;
using Pipeline.Infra.Constructs.Catalog;
using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Constructs;

[Collection(CdkCollection.Name)]
public sealed class CatalogEncryptionTests(AppFixture fixture)
{
    [Theory]
    [InlineData("sandbox")]
    [InlineData("production")]
    public void CatalogEncryption_Presets_LeaveTheAccountWideSettingsAlone(string profile)
    {
        fixture.ByName(profile).Template("DataLake").ResourceCountIs("AWS::Glue::DataCatalogEncryptionSettings", 0);
    }

    [Fact]
    public void CatalogEncryption_WhenManaged_EncryptsMetadataAndConnectionPasswordsWithTheKey()
    {
        var stack = new Amazon.CDK.Stack(new App(), "Test");
        var key = new Key(stack, "Key");

        _ = new CatalogEncryption(stack, "CatalogEncryption", new CatalogEncryptionProps { EncryptionKey = key });

        var json = TemplateJson.FromStack(stack);
        var keyId = json.LogicalId("AWS::KMS::Key", "Key");
        var settings = Assert.Single(json.OfType("AWS::Glue::DataCatalogEncryptionSettings")).Value["Properties"]!;
        TemplateJson.AssertEqual($$"""
            {
              "CatalogId": { "Ref": "AWS::AccountId" },
              "DataCatalogEncryptionSettings": {
                "ConnectionPasswordEncryption": { "KmsKeyId": { "Fn::GetAtt": ["{{keyId}}", "Arn"] }, "ReturnConnectionPasswordEncrypted": true },
                "EncryptionAtRest": { "CatalogEncryptionMode": "SSE-KMS", "SseAwsKmsKeyId": { "Fn::GetAtt": ["{{keyId}}", "Arn"] } }
              }
            }
            """, settings);
    }
}
