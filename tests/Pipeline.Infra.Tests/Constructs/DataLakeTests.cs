using System.Text.Json.Nodes;
using Amazon.CDK.AWS.IAM;
using Pipeline.Infra.Constructs.DataLake;
using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Constructs;

[Collection(CdkCollection.Name)]
public sealed class DataLakeTests(AppFixture fixture)
{
    private const string Stack = "DataLake";

    [Theory]
    [InlineData("sandbox")]
    [InlineData("production")]
    public void LakeBucket_Encryption_SseKmsWithTheDataKeyAndBucketKeys(string profile)
    {
        var lake = Lake(profile);

        TemplateJson.AssertEqual($$"""
            { "ServerSideEncryptionConfiguration": [{ "BucketKeyEnabled": true,
              "ServerSideEncryptionByDefault": { "KMSMasterKeyID": {{Exports.DataKeyArn(profile)}}, "SSEAlgorithm": "aws:kms" } }] }
            """, lake["Properties"]!["BucketEncryption"]);
    }

    [Theory]
    [InlineData("sandbox", "Lake")]
    [InlineData("sandbox", "LakeAccessLogs")]
    [InlineData("production", "Lake")]
    [InlineData("production", "LakeAccessLogs")]
    public void Buckets_AnyProfile_PrivateVersionedAclsOffObjectLockCapableAndEventBridgeOn(string profile, string bucket)
    {
        var json = fixture.ByName(profile).Json(Stack);
        var properties = json.Resources[json.LogicalId("AWS::S3::Bucket", bucket + Hash(bucket))]!["Properties"]!;

        TemplateJson.AssertEqual("""{ "BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true }""",
            properties["PublicAccessBlockConfiguration"]);
        TemplateJson.AssertEqual("""{ "Status": "Enabled" }""", properties["VersioningConfiguration"]);
        TemplateJson.AssertEqual("""{ "Rules": [{ "ObjectOwnership": "BucketOwnerEnforced" }] }""", properties["OwnershipControls"]);
        Assert.True((bool)properties["ObjectLockEnabled"]!);
        Assert.Null(properties["ObjectLockConfiguration"]);
        TemplateJson.AssertEqual("""{ "EventBridgeConfiguration": { "EventBridgeEnabled": true } }""", properties["NotificationConfiguration"]);
        Assert.Null(properties["BucketName"]);
    }

    [Fact]
    public void LakeBucket_Policy_DeniesPlainHttpAndTlsBelow12()
    {
        var json = fixture.Production.Json(Stack);
        var bucketId = json.LogicalId("AWS::S3::Bucket", "Lake42DFAD75");
        var policy = json.SingleOf("AWS::S3::BucketPolicy", p => (string?)p["Properties"]!["Bucket"]!["Ref"] == bucketId).Value;

        TemplateJson.AssertEqual($$"""
            {
              "Statement": [
                {
                  "Action": "s3:*", "Condition": { "Bool": { "aws:SecureTransport": "false" } }, "Effect": "Deny", "Principal": { "AWS": "*" },
                  "Resource": [{ "Fn::GetAtt": ["{{bucketId}}", "Arn"] }, { "Fn::Join": ["", [{ "Fn::GetAtt": ["{{bucketId}}", "Arn"] }, "/*"]] }]
                },
                {
                  "Action": "s3:*", "Condition": { "NumericLessThan": { "s3:TlsVersion": 1.2 } }, "Effect": "Deny", "Principal": { "AWS": "*" },
                  "Resource": [{ "Fn::GetAtt": ["{{bucketId}}", "Arn"] }, { "Fn::Join": ["", [{ "Fn::GetAtt": ["{{bucketId}}", "Arn"] }, "/*"]] }]
                }
              ],
              "Version": "2012-10-17"
            }
            """, policy["Properties"]!["PolicyDocument"]);
    }

    [Fact]
    public void LakeBucket_Logging_ToTheAccessLogBucketUnderLake()
    {
        var json = fixture.Sandbox.Json(Stack);
        var logsId = json.LogicalId("AWS::S3::Bucket", "LakeAccessLogs");

        TemplateJson.AssertEqual($$"""{ "DestinationBucketName": { "Ref": "{{logsId}}" }, "LogFilePrefix": "lake/" }""",
            Lake("sandbox")["Properties"]!["LoggingConfiguration"]);
    }

    [Theory]
    [InlineData("sandbox")]
    [InlineData("production")]
    public void LakeBucket_Lifecycle_AbortsUploadsExpiresRawErrorsResultsAndTiersCurated(string profile)
    {
        var retention = fixture.ByName(profile).Settings.Retention;

        TemplateJson.AssertEqual($$"""
            {
              "Rules": [
                { "AbortIncompleteMultipartUpload": { "DaysAfterInitiation": 7 }, "Id": "AbortIncompleteUploads", "Status": "Enabled" },
                { "ExpiredObjectDeleteMarker": true, "Id": "ExpireNoncurrentVersions", "NoncurrentVersionExpiration": { "NoncurrentDays": {{retention.NoncurrentVersionDays}} }, "Status": "Enabled" },
                { "ExpirationInDays": {{retention.RawDataDays}}, "Id": "ExpireRawZone", "Prefix": "raw/", "Status": "Enabled" },
                { "ExpirationInDays": {{retention.ErrorDataDays}}, "Id": "ExpireErrorZone", "Prefix": "errors/", "Status": "Enabled" },
                { "ExpirationInDays": 30, "Id": "ExpireAthenaResults", "Prefix": "athena-results/", "Status": "Enabled" },
                { "Id": "TierCuratedZone", "Prefix": "curated/", "Status": "Enabled", "Transitions": [{ "StorageClass": "INTELLIGENT_TIERING", "TransitionInDays": 30 }] }
              ]
            }
            """, Lake(profile)["Properties"]!["LifecycleConfiguration"]);
    }

    [Theory]
    [InlineData("sandbox")]
    [InlineData("production")]
    public void AccessLogBucket_Profile_SseS3ExpiringWithTheLogRetention(string profile)
    {
        var json = fixture.ByName(profile).Json(Stack);
        var days = fixture.ByName(profile).Settings.Retention.LogDays;
        var properties = json.Resources[json.LogicalId("AWS::S3::Bucket", "LakeAccessLogs")]!["Properties"]!;

        TemplateJson.AssertEqual("""{ "ServerSideEncryptionConfiguration": [{ "ServerSideEncryptionByDefault": { "SSEAlgorithm": "AES256" } }] }""",
            properties["BucketEncryption"]);
        TemplateJson.AssertEqual($$"""
            { "Rules": [{ "AbortIncompleteMultipartUpload": { "DaysAfterInitiation": 1 }, "ExpirationInDays": {{days}}, "Id": "ExpireAccessLogs",
                          "NoncurrentVersionExpiration": { "NoncurrentDays": 1 }, "Status": "Enabled" }] }
            """, properties["LifecycleConfiguration"]);
    }

    [Fact]
    public void AccessLogBucket_Policy_AdmitsS3LoggingFromTheLakeBucketOnly()
    {
        var json = fixture.Production.Json(Stack);
        var logsId = json.LogicalId("AWS::S3::Bucket", "LakeAccessLogs");
        var policy = json.SingleOf("AWS::S3::BucketPolicy", p => (string?)p["Properties"]!["Bucket"]!["Ref"] == logsId).Value;
        var statements = policy["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray();

        TemplateJson.AssertEqual($$"""
            {
              "Action": "s3:PutObject",
              "Condition": { "ArnLike": { "aws:SourceArn": { "Fn::GetAtt": ["Lake42DFAD75", "Arn"] } }, "StringEquals": { "aws:SourceAccount": { "Ref": "AWS::AccountId" } } },
              "Effect": "Allow",
              "Principal": { "Service": "logging.s3.amazonaws.com" },
              "Resource": { "Fn::Join": ["", [{ "Fn::GetAtt": ["{{logsId}}", "Arn"] }, "/lake/*"]] }
            }
            """, statements[^1]);
        Assert.Equal(3, statements.Count); // plus the TLS and TLS-version denials
    }

    [Fact]
    public void Buckets_Sandbox_DeletedAndEmptiedWithTheStack()
    {
        var json = fixture.Sandbox.Json(Stack);

        Assert.All(json.OfType("AWS::S3::Bucket"), b => Assert.Equal("Delete", (string?)b.Value["DeletionPolicy"]));
        Assert.Equal(2, json.OfType("Custom::S3AutoDeleteObjects").Count);
    }

    [Fact]
    public void Buckets_Production_RetainedAndNeverEmptiedByCloudFormation()
    {
        var json = fixture.Production.Json(Stack);

        Assert.All(json.OfType("AWS::S3::Bucket"), b =>
        {
            Assert.Equal("Retain", (string?)b.Value["DeletionPolicy"]);
            Assert.Equal("Retain", (string?)b.Value["UpdateReplacePolicy"]);
        });
        Assert.Empty(json.OfType("Custom::S3AutoDeleteObjects"));
    }

    [Fact]
    public void GrantWrite_PathOutsideTheZones_ThrowsListingTheZones()
    {
        var (stack, lake) = StandaloneLake.Create();

        var error = Assert.Throws<ArgumentException>(() => lake.GrantWrite(new Role(stack, "Role", new RoleProps { AssumedBy = new AccountRootPrincipal() }), "tmp/"));

        Assert.Equal("zonePaths", error.ParamName);
        Assert.StartsWith("'tmp/'", error.Message, StringComparison.Ordinal);
        Assert.All(LakeZones.All, zone => Assert.Contains(zone, error.Message, StringComparison.Ordinal));
    }

    private static string Hash(string bucket) => bucket == "Lake" ? "42DFAD75" : string.Empty;

    private JsonObject Lake(string profile)
    {
        var json = fixture.ByName(profile).Json(Stack);
        return json.Resources[json.LogicalId("AWS::S3::Bucket", "Lake42DFAD75")]!.AsObject();
    }
}
