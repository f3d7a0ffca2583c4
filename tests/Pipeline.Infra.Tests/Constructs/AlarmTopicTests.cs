using Pipeline.Infra.Configuration;
using Pipeline.Infra.Constructs.Observability;
using Pipeline.Infra.Stacks;
using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Constructs;

[Collection(CdkCollection.Name)]
public sealed class AlarmTopicTests(AppFixture fixture)
{
    private const string Stack = "SecurityBaseline";

    [Theory]
    [InlineData("sandbox")]
    [InlineData("production")]
    public void Topic_AnyProfile_EncryptedWithTheNotificationsKey(string profile)
    {
        var json = fixture.ByName(profile).Json(Stack);
        var keyId = json.LogicalId("AWS::KMS::Key", "KeysNotificationsKey");
        var topic = Assert.Single(json.OfType("AWS::SNS::Topic")).Value["Properties"]!;

        TemplateJson.AssertEqual($$"""{ "Fn::GetAtt": ["{{keyId}}", "Arn"] }""", topic["KmsMasterKeyId"]);
        Assert.Null(topic["TopicName"]);
    }

    [Fact]
    public void TopicPolicy_Statements_AdmitCloudWatchOfThisAccountAndDenyPublishingWithoutTls()
    {
        var json = fixture.Sandbox.Json(Stack);
        var topicId = json.LogicalId("AWS::SNS::Topic", "AlarmTopic");
        var policy = Assert.Single(json.OfType("AWS::SNS::TopicPolicy")).Value["Properties"]!;

        TemplateJson.AssertEqual($$"""
            {
              "Statement": [
                {
                  "Action": "sns:Publish",
                  "Condition": { "StringEquals": { "aws:SourceAccount": { "Ref": "AWS::AccountId" } } },
                  "Effect": "Allow",
                  "Principal": { "Service": "cloudwatch.amazonaws.com" },
                  "Resource": { "Ref": "{{topicId}}" },
                  "Sid": "AllowCloudWatchAlarmsOfThisAccount"
                },
                {
                  "Action": "sns:Publish",
                  "Condition": { "Bool": { "aws:SecureTransport": "false" } },
                  "Effect": "Deny",
                  "Principal": "*",
                  "Resource": { "Ref": "{{topicId}}" },
                  "Sid": "AllowPublishThroughSSLOnly"
                }
              ],
              "Version": "2012-10-17"
            }
            """, policy["PolicyDocument"]);
        TemplateJson.AssertEqual($$"""[{ "Ref": "{{topicId}}" }]""", policy["Topics"]);
    }

    [Fact]
    public void EventBridgeRules_Admitted_OfThisAccountMayPublishWithTheTopicsKey()
    {
        var stack = new Amazon.CDK.Stack(new Amazon.CDK.App(), "Test");
        _ = new AlarmTopic(stack, "AlarmTopic", new AlarmTopicProps { EncryptionKey = new Amazon.CDK.AWS.KMS.Key(stack, "NotificationsKey"), EventBridgeRules = true });
        var json = TemplateJson.FromStack(stack);
        var expected = """
            {
              "Action": ACTIONS,
              "Condition": {
                "StringEquals": { "aws:SourceAccount": { "Ref": "AWS::AccountId" } },
                "ArnLike": { "aws:SourceArn": { "Fn::Join": ["", ["arn:", { "Ref": "AWS::Partition" }, ":events:", { "Ref": "AWS::Region" }, ":", { "Ref": "AWS::AccountId" }, ":rule/*"]] } }
              },
              "Effect": "Allow",
              "Principal": { "Service": "events.amazonaws.com" },
              "Resource": RESOURCE,
              "Sid": "AllowEventBridgeRulesOfThisAccount"
            }
            """;
        var topicStatement = Assert.Single(Assert.Single(json.OfType("AWS::SNS::TopicPolicy")).Value["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray(),
            s => (string?)s!["Sid"] == "AllowEventBridgeRulesOfThisAccount");
        var keyStatement = Assert.Single(json.Resources[json.LogicalId("AWS::KMS::Key", "NotificationsKey")]!["Properties"]!["KeyPolicy"]!["Statement"]!.AsArray(),
            s => (string?)s!["Sid"] == "AllowEventBridgeRulesOfThisAccount");

        TemplateJson.AssertEqual(expected.Replace("ACTIONS", "\"sns:Publish\"", StringComparison.Ordinal)
            .Replace("RESOURCE", $$"""{ "Ref": "{{json.LogicalId("AWS::SNS::Topic", "AlarmTopic")}}" }""", StringComparison.Ordinal), topicStatement);
        TemplateJson.AssertEqual(expected.Replace("ACTIONS", "[\"kms:Decrypt\", \"kms:GenerateDataKey*\"]", StringComparison.Ordinal)
            .Replace("RESOURCE", "\"*\"", StringComparison.Ordinal), keyStatement);
    }

    [Theory]
    [InlineData("sandbox")]
    [InlineData("production")]
    public void EventBridgeRules_AnyProfile_NotAdmitted(string profile)
    {
        var json = fixture.ByName(profile).Json(Stack);

        Assert.DoesNotContain("events.amazonaws.com", json.Root.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Topic_NoEmailConfigured_HasNoSubscription()
    {
        fixture.Sandbox.Template(Stack).ResourceCountIs("AWS::SNS::Subscription", 0);
    }

    [Fact]
    public void Topic_EmailConfigured_SubscribesTheAddress()
    {
        // The baseline stack alone, not the whole app: the address reaches the topic from the settings.
        var stack = new SecurityBaselineStack(new Amazon.CDK.App(), Stack, new SecurityBaselineStackProps
        {
            Settings = SettingsPresets.Sandbox with { Alarms = SettingsPresets.Sandbox.Alarms with { Email = "ops@example.com" } },
        });
        var json = TemplateJson.FromStack(stack);
        var topicId = json.LogicalId("AWS::SNS::Topic", "AlarmTopic");
        var subscription = Assert.Single(json.OfType("AWS::SNS::Subscription")).Value["Properties"]!;

        TemplateJson.AssertEqual($$"""
            { "Endpoint": "ops@example.com", "Protocol": "email", "TopicArn": { "Ref": "{{topicId}}" } }
            """, subscription);
    }
}
