using System.Text.RegularExpressions;
using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Stacks;

[Collection(CdkCollection.Name)]
public sealed partial class SecurityBaselineStackTests(AppFixture fixture)
{
    private const string Stack = "SecurityBaseline";

    // Properties that give a resource a physical name; CloudFormation must generate names instead.
    private static readonly string[] PhysicalNameProperties =
        ["BucketName", "TopicName", "LogGroupName", "FunctionName", "RoleName", "StreamName", "DeliveryStreamName",
         "AliasName", "GroupName", "ManagedPolicyName", "KeyAlias", "StateMachineName", "QueueName", "Name"];

    [Theory]
    [InlineData("sandbox")]
    [InlineData("production")]
    public void SecurityBaseline_Profile_MatchesSnapshot(string profile)
    {
        TemplateSnapshot.Match($"{profile}.{Stack}", fixture.ByName(profile).TemplateJson(Stack));
    }

    [Theory]
    [InlineData("sandbox", "mlpipe-sandbox-security-baseline", false)]
    [InlineData("production", "mlpipe-production-security-baseline", true)]
    public void Manifest_Profile_StackNameAndTerminationProtection(string profile, string stackName, bool protectedStack)
    {
        var artifact = fixture.ByName(profile).Manifest()["artifacts"]![Stack]!;

        Assert.Equal(stackName, (string?)artifact["properties"]!["stackName"]);
        Assert.Equal(protectedStack, (bool)artifact["properties"]!["terminationProtection"]!);
    }

    [Theory]
    [InlineData("sandbox")]
    [InlineData("production")]
    public void Manifest_AnyProfile_StackIsEnvironmentAgnostic(string profile)
    {
        var artifact = fixture.ByName(profile).Manifest()["artifacts"]![Stack]!;

        Assert.Equal("aws://unknown-account/unknown-region", (string?)artifact["environment"]);
    }

    [Theory]
    [InlineData("sandbox")]
    [InlineData("production")]
    public void Resources_AnyProfile_HaveNoPhysicalNames(string profile)
    {
        var named = fixture.ByName(profile).Json(Stack).Resources
            .Where(r => (string?)r.Value!["Type"] != "AWS::IAM::Policy") // CloudFormation requires PolicyName; CDK derives it from the logical id.
            // A literal string is a physical name; a Ref/GetAtt to a generated name is fine.
            .SelectMany(r => PhysicalNameProperties
                .Where(p => r.Value!["Properties"]?[p] is System.Text.Json.Nodes.JsonValue)
                .Select(p => $"{r.Key}.{p}"))
            .ToList();

        Assert.Empty(named);
    }

    [Theory]
    [InlineData("sandbox")]
    [InlineData("production")]
    public void Template_AnyProfile_HasNoAccountIdOrRegionLiterals(string profile)
    {
        var template = fixture.ByName(profile).Json(Stack).Root.DeepClone().AsObject();
        // CDK's own lookup table of Lambda runtimes per Region is keyed by Region names; it targets none of them.
        template.Remove("Mappings");
        var json = template.ToJsonString();

        Assert.Empty(AccountId().Matches(json).Select(m => m.Value));
        Assert.Empty(RegionName().Matches(json).Select(m => m.Value));
    }

    [Fact]
    public void Synth_SameConfigurationTwice_ProducesIdenticalTemplates()
    {
        using var again = SynthesizedApp.Synthesize("sandbox-again", fixture.Sandbox.Settings);

        Assert.Equal(fixture.Sandbox.TemplateJson(Stack), again.TemplateJson(Stack));
    }

    [GeneratedRegex(@"(?<![0-9a-f])[0-9]{12}(?![0-9a-f])")]
    private static partial Regex AccountId();

    [GeneratedRegex(@"\b(us|eu|ap|sa|ca|me|af|il|mx)-(north|south|east|west|central|northeast|southeast|northwest|southwest)-[0-9]\b")]
    private static partial Regex RegionName();
}
