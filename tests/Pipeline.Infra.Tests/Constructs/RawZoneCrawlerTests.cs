using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Constructs;

[Collection(CdkCollection.Name)]
public sealed class RawZoneCrawlerTests(AppFixture fixture)
{
    private const string Stack = "DataLake";

    [Fact]
    public void SecurityConfiguration_Encryption_S3AndBookmarksWithDataKeyLogsWithLogsKey()
    {
        var configuration = Assert.Single(fixture.Sandbox.Json(Stack).OfType("AWS::Glue::SecurityConfiguration")).Value["Properties"]!;

        TemplateJson.AssertEqual($$"""
            {
              "EncryptionConfiguration": {
                "CloudWatchEncryption": { "CloudWatchEncryptionMode": "SSE-KMS", "KmsKeyArn": {{Exports.LogsKeyArn("sandbox")}} },
                "JobBookmarksEncryption": { "JobBookmarksEncryptionMode": "CSE-KMS", "KmsKeyArn": {{Exports.DataKeyArn("sandbox")}} },
                "S3Encryptions": [{ "KmsKeyArn": {{Exports.DataKeyArn("sandbox")}}, "S3EncryptionMode": "SSE-KMS" }]
              },
              "Name": { "Fn::Join": ["", ["mlpipe-sandbox-raw-crawler-", {{NameTokens.StackUniqueSuffix}}, "-76439649"]] }
            }
            """, configuration);
    }

    [Fact]
    public void Crawler_Target_RawZoneOnDemandWithItsSecurityConfiguration()
    {
        var json = fixture.Sandbox.Json(Stack);
        var crawler = Assert.Single(json.OfType("AWS::Glue::Crawler")).Value["Properties"]!.AsObject().DeepClone().AsObject();
        crawler.Remove("Tags");
        crawler.Remove("Description");

        TemplateJson.AssertEqual($$"""
            {
              "CrawlerSecurityConfiguration": { "Ref": "{{json.LogicalId("AWS::Glue::SecurityConfiguration", "RawCrawler")}}" },
              "DatabaseName": "mlpipe_sandbox_lake",
              "RecrawlPolicy": { "RecrawlBehavior": "CRAWL_NEW_FOLDERS_ONLY" },
              "Role": { "Fn::GetAtt": ["{{json.LogicalId("AWS::IAM::Role", "RawCrawlerRole")}}", "Arn"] },
              "SchemaChangePolicy": { "DeleteBehavior": "LOG", "UpdateBehavior": "LOG" },
              "TablePrefix": "raw_",
              "Targets": { "S3Targets": [{ "Path": { "Fn::Join": ["", ["s3://", { "Ref": "Lake42DFAD75" }, "/raw/telemetry/"]] } }] }
            }
            """, crawler);
        Assert.Null(crawler["Schedule"]);
    }

    [Fact]
    public void CrawlerRole_Policy_ReadsTheRawZoneMaintainsOnlyRawTablesAndUsesTheCatalogAndLogsKeys()
    {
        var json = fixture.Sandbox.Json(Stack);
        var roleId = json.LogicalId("AWS::IAM::Role", "RawCrawlerRole");
        var policy = json.SingleOf("AWS::IAM::ManagedPolicy", p => (string?)p["Properties"]!["Roles"]?[0]?["Ref"] == roleId).Value;

        TemplateJson.AssertEqual($$"""
            {
              "Statement": [
                { "Action": ["s3:GetBucketLocation", "s3:ListBucket"], "Effect": "Allow", "Resource": { "Fn::GetAtt": ["Lake42DFAD75", "Arn"] } },
                { "Action": "s3:GetObject", "Effect": "Allow", "Resource": { "Fn::Join": ["", [{ "Fn::GetAtt": ["Lake42DFAD75", "Arn"] }, "/raw/telemetry/*"]] } },
                {
                  "Action": "kms:Decrypt",
                  "Condition": {
                    "StringEquals": { "kms:ViaService": { "Fn::Join": ["", ["s3.", { "Ref": "AWS::Region" }, ".amazonaws.com"]] } },
                    "StringLike": { "kms:EncryptionContext:aws:s3:arn": { "Fn::Join": ["", [{ "Fn::GetAtt": ["Lake42DFAD75", "Arn"] }, "*"]] } }
                  },
                  "Effect": "Allow",
                  "Resource": {{Exports.DataKeyArn("sandbox")}}
                },
                {
                  "Action": ["glue:BatchCreatePartition", "glue:BatchGetPartition", "glue:BatchUpdatePartition", "glue:CreateTable", "glue:GetDatabase",
                             "glue:GetPartition", "glue:GetPartitions", "glue:GetTable", "glue:UpdatePartition", "glue:UpdateTable"],
                  "Effect": "Allow",
                  "Resource": [
                    { "Fn::Join": ["", ["arn:", { "Ref": "AWS::Partition" }, ":glue:", { "Ref": "AWS::Region" }, ":", { "Ref": "AWS::AccountId" }, ":catalog"]] },
                    { "Fn::Join": ["", ["arn:", { "Ref": "AWS::Partition" }, ":glue:", { "Ref": "AWS::Region" }, ":", { "Ref": "AWS::AccountId" }, ":database/mlpipe_sandbox_lake"]] },
                    { "Fn::Join": ["", ["arn:", { "Ref": "AWS::Partition" }, ":glue:", { "Ref": "AWS::Region" }, ":", { "Ref": "AWS::AccountId" }, ":table/mlpipe_sandbox_lake/raw_*"]] }
                  ]
                },
                {
                  "Action": "glue:GetTables",
                  "Effect": "Allow",
                  "Resource": [
                    { "Fn::Join": ["", ["arn:", { "Ref": "AWS::Partition" }, ":glue:", { "Ref": "AWS::Region" }, ":", { "Ref": "AWS::AccountId" }, ":catalog"]] },
                    { "Fn::Join": ["", ["arn:", { "Ref": "AWS::Partition" }, ":glue:", { "Ref": "AWS::Region" }, ":", { "Ref": "AWS::AccountId" }, ":database/mlpipe_sandbox_lake"]] },
                    { "Fn::Join": ["", ["arn:", { "Ref": "AWS::Partition" }, ":glue:", { "Ref": "AWS::Region" }, ":", { "Ref": "AWS::AccountId" }, ":table/mlpipe_sandbox_lake/*"]] }
                  ]
                },
                {
                  "Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
                  "Condition": { "StringEquals": { "kms:ViaService": { "Fn::Join": ["", ["glue.", { "Ref": "AWS::Region" }, ".amazonaws.com"]] } } },
                  "Effect": "Allow",
                  "Resource": {{Exports.DataKeyArn("sandbox")}}
                },
                {
                  "Action": ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"],
                  "Effect": "Allow",
                  "Resource": {{Exports.LogsKeyArn("sandbox")}}
                },
                {
                  "Action": ["logs:AssociateKmsKey", "logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
                  "Effect": "Allow",
                  "Resource": { "Fn::Join": ["", ["arn:", { "Ref": "AWS::Partition" }, ":logs:", { "Ref": "AWS::Region" }, ":", { "Ref": "AWS::AccountId" }, ":log-group:/aws-glue/crawlers*"]] }
                }
              ],
              "Version": "2012-10-17"
            }
            """, policy["Properties"]!["PolicyDocument"]);
        TemplateJson.AssertEqual("""{ "Statement": [{ "Action": "sts:AssumeRole", "Effect": "Allow", "Principal": { "Service": "glue.amazonaws.com" } }], "Version": "2012-10-17" }""",
            json.Resources[roleId]!["Properties"]!["AssumeRolePolicyDocument"]);
        Assert.Null(json.Resources[roleId]!["Properties"]!["ManagedPolicyArns"]);
    }
}
