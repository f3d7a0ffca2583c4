using Amazon.CDK;
using Amazon.CDK.AWS.KMS;
using Pipeline.Infra.Constructs.Ingestion;
using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Constructs;

[Collection(CdkCollection.Name)]
public sealed class IngestionStreamTests(AppFixture fixture)
{
    private const string Stack = "DataLake";

    [Theory]
    [InlineData("sandbox")]
    [InlineData("production")]
    public void Stream_Profile_TheSizedShardsAndConfiguredRetentionEncryptedWithTheDataKey(string profile)
    {
        var app = fixture.ByName(profile);
        var stream = Assert.Single(app.Json(Stack).OfType("AWS::Kinesis::Stream")).Value;
        var properties = stream["Properties"]!.AsObject();
        properties.Remove("Tags");
        var shards = app.Settings.Stream.ShardCount;
        Assert.NotNull(shards);

        TemplateJson.AssertEqual($$"""
            {
              "RetentionPeriodHours": {{app.Settings.Stream.RetentionHours}},
              "ShardCount": {{shards}},
              "StreamEncryption": { "EncryptionType": "KMS", "KeyId": {{Exports.DataKeyArn(profile)}} },
              "StreamModeDetails": { "StreamMode": "PROVISIONED" }
            }
            """, properties);
        Assert.Equal(app.DeletionPolicy, (string?)stream["DeletionPolicy"]);
        Assert.Equal(app.DeletionPolicy, (string?)stream["UpdateReplacePolicy"]);
    }

    [Theory]
    [InlineData(12, null, "RetentionHours is 12;", "24 to 8760")]
    [InlineData(24, 0, "ShardCount is 0;", "null for on-demand")]
    public void IngestionStream_InvalidProps_ThrowsNamingThePropItsValueAndWhatIsAllowed(int retentionHours, int? shards, string propAndValue, string allowed)
    {
        var stack = new Amazon.CDK.Stack(new App(), "Test");

        var error = Assert.Throws<ArgumentException>(() => new IngestionStream(stack, "Stream", new IngestionStreamProps
        {
            EncryptionKey = new Key(stack, "Key"),
            RetentionHours = retentionHours,
            ShardCount = shards,
        }));

        Assert.Equal("props", error.ParamName);
        Assert.StartsWith(propAndValue, error.Message, StringComparison.Ordinal);
        Assert.Contains(allowed, error.Message, StringComparison.Ordinal);
    }
}
