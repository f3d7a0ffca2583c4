using Amazon.CDK;
using Pipeline.Infra.Constructs.Security;
using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Constructs;

[Collection(CdkCollection.Name)]
public sealed class EncryptionKeysTests(AppFixture fixture)
{
    private const string KeyType = "AWS::KMS::Key";
    private const string Stack = "SecurityBaseline";

    // The two statements every key policy starts with.
    private const string BaseStatements = """
        {
          "Action": "kms:*",
          "Effect": "Allow",
          "Principal": { "AWS": { "Fn::Join": ["", ["arn:", { "Ref": "AWS::Partition" }, ":iam::", { "Ref": "AWS::AccountId" }, ":root"]] } },
          "Resource": "*",
          "Sid": "EnableIamPoliciesOfThisAccount"
        },
        {
          "Action": "kms:CreateGrant",
          "Condition": { "BoolIfExists": { "kms:GrantIsForAWSResource": "false", "aws:PrincipalIsAWSService": "false" } },
          "Effect": "Deny",
          "Principal": { "AWS": "*" },
          "Resource": "*",
          "Sid": "DenyGrantsToNonAwsServices"
        }
        """;

    [Theory]
    [InlineData("sandbox")]
    [InlineData("production")]
    public void Keys_AnyProfile_FourSymmetricCustomerManagedKeysWithRotation(string profile)
    {
        var keys = fixture.ByName(profile).Json(Stack).OfType(KeyType);

        Assert.Equal(4, keys.Count);
        Assert.All(keys, k =>
        {
            Assert.True((bool)k.Value["Properties"]!["EnableKeyRotation"]!);
            Assert.Equal("SYMMETRIC_DEFAULT", (string?)k.Value["Properties"]!["KeySpec"]);
            Assert.Equal("ENCRYPT_DECRYPT", (string?)k.Value["Properties"]!["KeyUsage"]);
        });
    }

    [Fact]
    public void Keys_AnyProfile_HaveNoAliases()
    {
        fixture.Sandbox.Template(Stack).ResourceCountIs("AWS::KMS::Alias", 0);
    }

    [Theory]
    [InlineData("Data lake")]
    public void KeyPolicy_DataKey_AdministeredThroughIamWithGrantsForAwsResourcesOnly(string purpose)
    {
        var key = KeyFor(fixture.Sandbox, purpose);

        TemplateJson.AssertEqual($$"""{ "Statement": [{{BaseStatements}}], "Version": "2012-10-17" }""",
            key["Properties"]!["KeyPolicy"]);
    }

    [Fact]
    public void KeyPolicy_ModelsKey_AdmitsLogDeliveryOfThisAccountsStateMachinesOnly()
    {
        var key = KeyFor(fixture.Sandbox, "SageMaker");

        TemplateJson.AssertEqual($$"""
            {
              "Statement": [
                {{BaseStatements}},
                {
                  "Action": "kms:Decrypt",
                  "Condition": {
                    "StringLike": {
                      "kms:EncryptionContext:SourceArn": { "Fn::Join": ["", ["arn:", { "Ref": "AWS::Partition" }, ":logs:", { "Ref": "AWS::Region" }, ":", { "Ref": "AWS::AccountId" }, ":*"]] }
                    }
                  },
                  "Effect": "Allow",
                  "Principal": { "Service": "delivery.logs.amazonaws.com" },
                  "Resource": "*",
                  "Sid": "AllowLogDeliveryForThisAccountsStateMachines"
                }
              ],
              "Version": "2012-10-17"
            }
            """, key["Properties"]!["KeyPolicy"]);
    }

    [Fact]
    public void KeyPolicy_LogsKey_AdmitsCloudWatchLogsForThisAccountsLogGroupsOnly()
    {
        var key = KeyFor(fixture.Sandbox, "CloudWatch Logs");

        TemplateJson.AssertEqual($$"""
            {
              "Statement": [
                {{BaseStatements}},
                {
                  "Action": ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey",
                             "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptFrom", "kms:ReEncryptTo"],
                  "Condition": {
                    "ArnLike": {
                      "kms:EncryptionContext:aws:logs:arn": { "Fn::Join": ["", ["arn:", { "Ref": "AWS::Partition" }, ":logs:", { "Ref": "AWS::Region" }, ":", { "Ref": "AWS::AccountId" }, ":log-group:*"]] }
                    }
                  },
                  "Effect": "Allow",
                  "Principal": { "Service": { "Fn::Join": ["", ["logs.", { "Ref": "AWS::Region" }, ".amazonaws.com"]] } },
                  "Resource": "*",
                  "Sid": "AllowCloudWatchLogsForThisAccountsLogGroups"
                }
              ],
              "Version": "2012-10-17"
            }
            """, key["Properties"]!["KeyPolicy"]);
    }

    [Fact]
    public void KeyPolicy_NotificationsKey_AdmitsThisAccountsCloudWatchAlarmsWithoutViaService()
    {
        var key = KeyFor(fixture.Sandbox, "SNS alarm topic");

        TemplateJson.AssertEqual($$"""
            {
              "Statement": [
                {{BaseStatements}},
                {
                  "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
                  "Condition": {
                    "ArnLike": { "aws:SourceArn": { "Fn::Join": ["", ["arn:", { "Ref": "AWS::Partition" }, ":cloudwatch:", { "Ref": "AWS::Region" }, ":", { "Ref": "AWS::AccountId" }, ":alarm:*"]] } },
                    "StringEquals": { "aws:SourceAccount": { "Ref": "AWS::AccountId" } }
                  },
                  "Effect": "Allow",
                  "Principal": { "Service": "cloudwatch.amazonaws.com" },
                  "Resource": "*",
                  "Sid": "AllowCloudWatchAlarmsOfThisAccount"
                }
              ],
              "Version": "2012-10-17"
            }
            """, key["Properties"]!["KeyPolicy"]);
    }

    [Fact]
    public void Keys_Sandbox_DeletedWithTheStackAfterSevenDays()
    {
        Assert.All(fixture.Sandbox.Json(Stack).OfType(KeyType), k =>
        {
            Assert.Equal("Delete", (string?)k.Value["DeletionPolicy"]);
            Assert.Equal("Delete", (string?)k.Value["UpdateReplacePolicy"]);
            Assert.Equal(7, (int)k.Value["Properties"]!["PendingWindowInDays"]!);
        });
    }

    [Fact]
    public void Keys_Production_RetainedWithThirtyDayWindow()
    {
        Assert.All(fixture.Production.Json(Stack).OfType(KeyType), k =>
        {
            Assert.Equal("Retain", (string?)k.Value["DeletionPolicy"]);
            Assert.Equal("Retain", (string?)k.Value["UpdateReplacePolicy"]);
            Assert.Equal(30, (int)k.Value["Properties"]!["PendingWindowInDays"]!);
        });
    }

    [Fact]
    public void EncryptionKeys_PendingWindowOutOfRange_ThrowsWithAllowedRange()
    {
        var stack = new Amazon.CDK.Stack(new App(), "Test");

        var error = Assert.Throws<ArgumentException>(() =>
            new EncryptionKeys(stack, "Keys", new EncryptionKeysProps { PendingWindowDays = 3 }));

        Assert.Equal("props", error.ParamName);
        Assert.StartsWith("PendingWindowDays is 3;", error.Message, StringComparison.Ordinal);
        Assert.Contains("7 to 30", error.Message, StringComparison.Ordinal);
    }

    private static System.Text.Json.Nodes.JsonObject KeyFor(SynthesizedApp app, string purpose) =>
        app.Json(Stack).SingleOf(KeyType, k => ((string?)k["Properties"]!["Description"])!.StartsWith(purpose, StringComparison.Ordinal)).Value;
}
