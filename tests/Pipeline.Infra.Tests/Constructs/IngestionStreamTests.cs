using Amazon.CDK;
using Amazon.CDK.AWS.KMS;
using Pipeline.Infra.Constructs.Ingestion;
using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Constructs;

[Collection(CdkCollection.Name)]
public sealed class IngestionStreamTests(AppFixture fixture)
{
    private const string Stack = "DataLake";

    [Fact]
    public void Stream_Sandbox_OneProvisionedShardOneDayEncryptedWithTheDataKey()
    {
        var stream = Assert.Single(fixture.Sandbox.Json(Stack).OfType("AWS::Kinesis::Stream")).Value;
        var properties = stream["Properties"]!.AsObject();
        properties.Remove("Tags");

        TemplateJson.AssertEqual($$"""
            {
              "RetentionPeriodHours": 24,
              "ShardCount": 1,
              "StreamEncryption": { "EncryptionType": "KMS", "KeyId": {{Exports.DataKeyArn("sandbox")}} },
              "StreamModeDetails": { "StreamMode": "PROVISIONED" }
            }
            """, properties);
        Assert.Equal("Delete", (string?)stream["DeletionPolicy"]);
    }

    [Fact]
    public void Stream_Production_ProvisionedWithTheComputedShardsAndAWeekOfRetention()
    {
        var stream = Assert.Single(fixture.Production.Json(Stack).OfType("AWS::Kinesis::Stream")).Value;
        var properties = stream["Properties"]!.AsObject();
        properties.Remove("Tags");

        // 2,000 records/s of 1 KiB read by 2 consumers, with 25 % headroom: ceil(1.25 × max(1.95, 1.95, 2)) = 3 shards.
        TemplateJson.AssertEqual($$"""
            {
              "RetentionPeriodHours": 168,
              "ShardCount": 3,
              "StreamEncryption": { "EncryptionType": "KMS", "KeyId": {{Exports.DataKeyArn("production")}} },
              "StreamModeDetails": { "StreamMode": "PROVISIONED" }
            }
            """, properties);
        Assert.Equal("Retain", (string?)stream["DeletionPolicy"]);
        Assert.Equal("Retain", (string?)stream["UpdateReplacePolicy"]);
    }

    [Theory]
    [InlineData(12, null, "RetentionHours is 12; Kinesis keeps records 24 to 8760 hours.")]
    [InlineData(24, 0, "ShardCount is 0; a provisioned stream needs at least one shard, or pass null for on-demand.")]
    public void IngestionStream_InvalidProps_ThrowsSayingWhatIsAllowed(int retentionHours, int? shards, string message)
    {
        var stack = new Amazon.CDK.Stack(new App(), "Test");

        var error = Assert.Throws<ArgumentException>(() => new IngestionStream(stack, "Stream", new IngestionStreamProps
        {
            EncryptionKey = new Key(stack, "Key"),
            RetentionHours = retentionHours,
            ShardCount = shards,
        }));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }
}
