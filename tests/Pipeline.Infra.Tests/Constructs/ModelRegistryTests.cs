using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Pipeline.Infra.Constructs.Models;
using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Constructs;

[Collection(CdkCollection.Name)]
public sealed class ModelRegistryTests(AppFixture fixture)
{
    private const string Stack = "DataLake";

    [Theory]
    [InlineData("sandbox")]
    [InlineData("production")]
    public void Group_Profile_NamedPerStackInstanceAndRetainedWithTheData(string profile)
    {
        var deletionPolicy = fixture.ByName(profile).DeletionPolicy;
        var group = Assert.Single(fixture.ByName(profile).Json(Stack).OfType("AWS::SageMaker::ModelPackageGroup")).Value;

        TemplateJson.AssertEqual($$"""{ "Fn::Join": ["", ["mlpipe-{{profile}}-models-", {{NameTokens.StackUniqueSuffix}}]] }""",
            group["Properties"]!["ModelPackageGroupName"]);
        Assert.Equal(deletionPolicy, (string?)group["DeletionPolicy"]);
    }

    [Fact]
    public void ModelRegistry_InvalidName_ThrowsWithTheRule()
    {
        var stack = new Amazon.CDK.Stack(new App(), "Test");

        var error = Assert.Throws<ArgumentException>(() => new ModelRegistry(stack, "Models", new ModelRegistryProps { GroupName = "models_v1" }));

        Assert.Equal("props", error.ParamName);
        Assert.StartsWith("GroupName \"models_v1\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("1 to 63", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Grants_RegisterAndRead_ExactActionsOnTheGroupAndItsVersions()
    {
        var stack = new Amazon.CDK.Stack(new App(), "Test");
        var registry = new ModelRegistry(stack, "Models", new ModelRegistryProps { GroupName = "models" });
        var role = new Role(stack, "Role", new RoleProps { AssumedBy = new ServicePrincipal("states.amazonaws.com") });
        registry.GrantRegister(role);
        registry.GrantRead(role);

        var json = TemplateJson.FromStack(stack);
        var packages = """{ "Fn::Join": ["", ["arn:", { "Ref": "AWS::Partition" }, ":sagemaker:", { "Ref": "AWS::Region" }, ":", { "Ref": "AWS::AccountId" }, ":model-package/models/*"]] }""";

        TemplateJson.AssertEqual($$"""
            {
              "Statement": [
                {
                  "Action": "sagemaker:CreateModelPackage",
                  "Effect": "Allow",
                  "Resource": [{ "Fn::GetAtt": ["{{json.LogicalId("AWS::SageMaker::ModelPackageGroup", "Models")}}", "ModelPackageGroupArn"] }, {{packages}}]
                },
                { "Action": "sagemaker:DescribeModelPackage", "Effect": "Allow", "Resource": {{packages}} },
                { "Action": "sagemaker:ListModelPackages", "Effect": "Allow", "Resource": "*" }
              ],
              "Version": "2012-10-17"
            }
            """, Assert.Single(json.OfType("AWS::IAM::Policy")).Value["Properties"]!["PolicyDocument"]);
    }
}
