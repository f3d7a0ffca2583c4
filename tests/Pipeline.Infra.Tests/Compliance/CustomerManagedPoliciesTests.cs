using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Pipeline.Infra.Compliance;
using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Compliance;

[Collection(CdkCollection.Name)]
public sealed class CustomerManagedPoliciesTests(AppFixture fixture)
{
    private static readonly string[] Stacks = ["SecurityBaseline", "DataLake", "Ingestion", "Training", "Serving", "Operations"];

    [Fact]
    public void Aspect_GrantOnARole_ManagedPolicyOfThatRoleWithANewLogicalIdAndNoName()
    {
        var stack = new Amazon.CDK.Stack(new App(), "Test");
        var role = new Role(stack, "Role", new RoleProps { AssumedBy = new ServicePrincipal("lambda.amazonaws.com") });
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps { Actions = ["sqs:SendMessage"], Resources = ["arn:aws:sqs:eu-west-1:111111111111:queue"] }));
        Aspects.Of(stack).Add(new CustomerManagedPolicies());

        var json = TemplateJson.FromStack(stack);

        Assert.Empty(json.OfType("AWS::IAM::Policy"));
        var (id, policy) = Assert.Single(json.OfType("AWS::IAM::ManagedPolicy"));
        Assert.StartsWith("RoleDefaultPolicyManaged", id, StringComparison.Ordinal);
        Assert.Equal(id.Length, "RoleDefaultPolicyManaged".Length + 8);
        Assert.Null(policy["Properties"]!["PolicyName"]);
        Assert.Null(policy["Properties"]!["ManagedPolicyName"]);
        TemplateJson.AssertEqual($$"""[{ "Ref": "{{json.LogicalId("AWS::IAM::Role", "Role")}}" }]""", policy["Properties"]!["Roles"]);
        TemplateJson.AssertEqual("""
            { "Statement": [{ "Action": "sqs:SendMessage", "Effect": "Allow", "Resource": "arn:aws:sqs:eu-west-1:111111111111:queue" }], "Version": "2012-10-17" }
            """, policy["Properties"]!["PolicyDocument"]);
    }

    [Theory]
    [InlineData("sandbox")]
    [InlineData("production")]
    public void App_EveryStack_NoInlinePolicyOutsideCdksOwnProviderRoles(string profile)
    {
        var inline = Stacks.SelectMany(stack => fixture.ByName(profile).Json(stack).Resources
            .Where(r => (string?)r.Value!["Type"] == "AWS::IAM::Policy"
                || ((string?)r.Value!["Type"] == "AWS::IAM::Role" && r.Value!["Properties"]?["Policies"] is not null))
            .Select(r => $"{stack}/{r.Key}"));

        Assert.Equal(["SecurityBaseline/CustomVpcRestrictDefaultSGCustomResourceProviderRole26592FE0"], inline);
    }

    [Fact]
    public void App_DependsOnAPolicy_NamesItsManagedLogicalId()
    {
        var json = fixture.Sandbox.Json("Training");
        var function = json.Resources[json.LogicalId("AWS::Lambda::Function", "PrepareRun")]!;

        Assert.Contains(json.LogicalId("AWS::IAM::ManagedPolicy", "PrepareRunRoleDefaultPolicyManaged"),
            function["DependsOn"]!.AsArray().Select(d => (string?)d));
    }
}
