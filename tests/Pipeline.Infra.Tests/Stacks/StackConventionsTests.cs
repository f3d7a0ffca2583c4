using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Stacks;

/// <summary>What holds for every stack of every preset: snapshot, stack naming, no physical names or literals, determinism.</summary>
[Collection(CdkCollection.Name)]
public sealed partial class StackConventionsTests(AppFixture fixture)
{
    // Properties that give a resource a physical name; CloudFormation must generate names instead.
    private static readonly string[] PhysicalNameProperties =
        ["BucketName", "TopicName", "LogGroupName", "FunctionName", "RoleName", "StreamName", "DeliveryStreamName",
         "AliasName", "GroupName", "ManagedPolicyName", "KeyAlias", "StateMachineName", "QueueName", "Name"];

    private static readonly string[] StacksInDeployOrder = ["SecurityBaseline", "DataLake", "Ingestion", "Training", "Serving", "Operations"];

    public static TheoryData<string, string> ProfilesAndStacks => new()
    {
        { "sandbox", "SecurityBaseline" }, { "sandbox", "DataLake" }, { "sandbox", "Ingestion" }, { "sandbox", "Training" }, { "sandbox", "Serving" }, { "sandbox", "Operations" },
        { "production", "SecurityBaseline" }, { "production", "DataLake" }, { "production", "Ingestion" }, { "production", "Training" }, { "production", "Serving" }, { "production", "Operations" },
    };

    [Theory]
    [MemberData(nameof(ProfilesAndStacks))]
    public void Stack_Profile_MatchesSnapshot(string profile, string stack)
    {
        TemplateSnapshot.Match($"{profile}.{stack}", fixture.ByName(profile).TemplateJson(stack));
    }

    [Theory]
    [InlineData("sandbox", false)]
    [InlineData("production", true)]
    public void Manifest_Profile_StacksNamedByPrefixAndProfile(string profile, bool statefulProtected)
    {
        var artifacts = fixture.ByName(profile).Manifest()["artifacts"]!;

        Assert.Equal($"mlpipe-{profile}-security-baseline", (string?)artifacts["SecurityBaseline"]!["properties"]!["stackName"]);
        Assert.Equal($"mlpipe-{profile}-data-lake", (string?)artifacts["DataLake"]!["properties"]!["stackName"]);
        Assert.Equal($"mlpipe-{profile}-ingestion", (string?)artifacts["Ingestion"]!["properties"]!["stackName"]);
        Assert.Equal(statefulProtected, (bool)artifacts["SecurityBaseline"]!["properties"]!["terminationProtection"]!);
        Assert.Equal(statefulProtected, (bool)artifacts["DataLake"]!["properties"]!["terminationProtection"]!);
        Assert.Equal($"mlpipe-{profile}-training", (string?)artifacts["Training"]!["properties"]!["stackName"]);
        Assert.False((bool)artifacts["Ingestion"]!["properties"]!["terminationProtection"]!);
        Assert.False((bool)artifacts["Training"]!["properties"]!["terminationProtection"]!);
        Assert.Equal($"mlpipe-{profile}-serving", (string?)artifacts["Serving"]!["properties"]!["stackName"]);
        Assert.False((bool)artifacts["Serving"]!["properties"]!["terminationProtection"]!);
        Assert.Equal($"mlpipe-{profile}-operations", (string?)artifacts["Operations"]!["properties"]!["stackName"]);
        Assert.False((bool)artifacts["Operations"]!["properties"]!["terminationProtection"]!);
    }

    [Theory]
    [InlineData("sandbox")]
    [InlineData("production")]
    public void Manifest_Dependencies_StatefulFirstServingWithoutTheComputeStacksOperationsLast(string profile)
    {
        var artifacts = fixture.ByName(profile).Manifest()["artifacts"]!.AsObject();
        string Dependencies(string stack) => string.Join(",", (artifacts[stack]!["dependencies"]?.AsArray() ?? [])
            .Select(d => (string)d!).Where(d => !d.EndsWith(".assets", StringComparison.Ordinal)).Order(StringComparer.Ordinal));

        Assert.Equal(
            ["SecurityBaseline: ", "DataLake: SecurityBaseline", "Ingestion: DataLake,SecurityBaseline", "Training: DataLake,SecurityBaseline",
             "Serving: DataLake,SecurityBaseline", "Operations: DataLake,Ingestion,Serving,Training"],
            StacksInDeployOrder.Select(stack => $"{stack}: {Dependencies(stack)}"));
    }

    [Theory]
    [InlineData("sandbox")]
    [InlineData("production")]
    public void ModelMonitor_EveryStack_NoneOfItsResourcesJobsOrImage(string profile)
    {
        // AWS documents that SageMaker Model Monitor is no longer open to new customers: nothing may depend on it.
        string[] types =
        [
            "AWS::SageMaker::MonitoringSchedule", "AWS::SageMaker::DataQualityJobDefinition", "AWS::SageMaker::ModelQualityJobDefinition",
            "AWS::SageMaker::ModelBiasJobDefinition", "AWS::SageMaker::ModelExplainabilityJobDefinition",
        ];
        var app = fixture.ByName(profile);

        Assert.All(app.StackIds, stack =>
        {
            var json = app.Json(stack);
            Assert.Empty(types.SelectMany(json.OfType));
            Assert.DoesNotContain("model-monitor", json.Root.ToJsonString(), StringComparison.Ordinal);
            Assert.DoesNotContain("createProcessingJob", json.Root.ToJsonString(), StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData("sandbox")]
    [InlineData("production")]
    public void Outputs_EveryStack_NameWhatUsersType(string profile)
    {
        var app = fixture.ByName(profile);
        string Outputs(string stack) => string.Join(",", (app.Json(stack).Root["Outputs"]?.AsObject() ?? [])
            .Where(o => o.Value!["Export"] is null).Select(o => o.Key));

        Assert.Equal(
            [
                "SecurityBaseline: AlarmTopicArn",
                "DataLake: StreamName,LakeBucketName,GlueDatabaseName,GlueTableName,CaptureTableName,ModelPackageGroupName,AthenaWorkgroupName",
                "Ingestion: DeliveryStreamName",
                "Training: TrainStateMachineArn",
                "Serving: DriftStateMachineArn,PromoteStateMachineArn,EndpointName,Serving",
                "Operations: DashboardName",
            ],
            StacksInDeployOrder.Select(stack => $"{stack}: {Outputs(stack)}"));
        Assert.All(StacksInDeployOrder.SelectMany(stack => app.Json(stack).Root["Outputs"]?.AsObject() ?? []).Where(o => o.Value!["Export"] is null),
            o => Assert.True(((string?)o.Value!["Description"])?.Length >= 20, $"Output {o.Key} says nothing about itself."));
    }

    [Theory]
    [MemberData(nameof(ProfilesAndStacks))]
    public void Manifest_AnyStack_IsEnvironmentAgnostic(string profile, string stack)
    {
        var artifact = fixture.ByName(profile).Manifest()["artifacts"]![stack]!;

        Assert.Equal("aws://unknown-account/unknown-region", (string?)artifact["environment"]);
    }

    [Theory]
    [InlineData("sandbox")]
    [InlineData("production")]
    public void Roles_EveryServiceRole_ConfusedDeputyConditionWhereTheServiceDocumentsOne(string profile)
    {
        // Lambda execution roles and Glue crawler roles: neither service's documentation names a condition it passes.
        string[] undocumented = ["lambda.amazonaws.com", "glue.amazonaws.com"];
        var roles = StacksInDeployOrder.SelectMany(stack => fixture.ByName(profile).Json(stack).OfType("AWS::IAM::Role")
            .SelectMany(r => r.Value["Properties"]!["AssumeRolePolicyDocument"]!["Statement"]!.AsArray()
                .Select(s => (Stack: stack, Role: r.Key, Service: (string?)s!["Principal"]!["Service"], Condition: s["Condition"]))));

        var unguarded = roles
            .Where(r => !undocumented.Contains(r.Service))
            .Where(r => r.Condition?["StringEquals"]?["aws:SourceAccount"] is null && r.Condition?["StringEquals"]?["sts:ExternalId"] is null)
            .Select(r => $"{r.Stack}/{r.Role} ({r.Service})");
        var withoutSourceArn = roles
            .Where(r => !undocumented.Contains(r.Service) && r.Service != "firehose.amazonaws.com")
            .Where(r => r.Condition?["ArnLike"]?["aws:SourceArn"] is null)
            .Select(r => $"{r.Stack}/{r.Role} ({r.Service})");

        Assert.Empty(unguarded);
        Assert.Empty(withoutSourceArn);
    }

    [Theory]
    [MemberData(nameof(ProfilesAndStacks))]
    public void Resources_AnyStack_HaveNoPhysicalNamesExceptTheDerivedOnesAwsRequires(string profile, string stack)
    {
        var named = fixture.ByName(profile).Json(stack).Resources
            // A literal string is a physical name; a Ref/GetAtt to a generated name is fine; names AWS requires are
            // derived from prefix and profile (Glue security configuration, Athena workgroup).
            .SelectMany(r => PhysicalNameProperties
                .Where(p => r.Value!["Properties"]?[p] is JsonValue value && !((string?)value)!.StartsWith($"mlpipe-{profile}-", StringComparison.Ordinal))
                .Select(p => $"{r.Key}.{p}"))
            .ToList();

        Assert.Empty(named);
    }

    [Theory]
    [MemberData(nameof(ProfilesAndStacks))]
    public void Template_AnyStack_HasNoAccountIdOrRegionLiterals(string profile, string stack)
    {
        var template = fixture.ByName(profile).Json(stack).Root.DeepClone().AsObject();
        // The only mappings are AWS's tables of the images' registry accounts per Region (AlgorithmImage): AWS's
        // accounts keyed by Region names, not this deployment's.
        if (template["Mappings"] is JsonObject mappings)
        {
            Assert.All(mappings, m => Assert.Matches("^XgboostRegistry", m.Key));
            template.Remove("Mappings");
        }

        // Besides CDK's bootstrap check, the only rules are the same tables' Regions, refused before any resource is created.
        if (template["Rules"] is JsonObject rules)
        {
            Assert.All(rules, r => Assert.Matches("^(XgboostSupportedRegions|CheckBootstrapVersion$)", r.Key));
            template.Remove("Rules");
        }

        var json = template.ToJsonString();

        Assert.Empty(AccountId().Matches(json).Select(m => m.Value));
        Assert.Empty(RegionName().Matches(json).Select(m => m.Value));
    }

    [Theory]
    [InlineData("sandbox", "Ingestion")]
    [InlineData("production", "SecurityBaseline")]
    [InlineData("production", "Ingestion")]
    [InlineData("sandbox", "Training")]
    [InlineData("production", "Training")]
    [InlineData("sandbox", "Serving")]
    [InlineData("production", "Serving")]
    public void SecurityGroups_StacksWithGroups_DescriptionsUseOnlyCharactersEc2Accepts(string profile, string stack)
    {
        var json = fixture.ByName(profile).Json(stack);
        var descriptions = json.OfType("AWS::EC2::SecurityGroup").Select(g => (string)g.Value["Properties"]!["GroupDescription"]!)
            .Concat(json.OfType("AWS::EC2::SecurityGroup").SelectMany(g => Rules(g.Value)))
            .ToList();

        Assert.NotEmpty(descriptions);
        Assert.All(descriptions, d => Assert.Matches(Ec2Description(), d));
    }

    private static readonly string[] RuleProperties = ["SecurityGroupIngress", "SecurityGroupEgress"];

    private static IEnumerable<string> Rules(JsonObject group) =>
        RuleProperties
            .SelectMany(p => group["Properties"]![p]?.AsArray() ?? [])
            .Select(r => (string?)r!["Description"])
            .OfType<string>();

    // EC2's documented character set for group and rule descriptions (CloudFormation rejects anything else).
    [GeneratedRegex(@"^[a-zA-Z0-9. _\-:/()#,@\[\]+=&;{}!$*]*$")]
    private static partial Regex Ec2Description();

    [GeneratedRegex(@"(?<![0-9a-f])[0-9]{12}(?![0-9a-f])")]
    private static partial Regex AccountId();

    [GeneratedRegex(@"\b(us|eu|ap|sa|ca|me|af|il|mx)-(north|south|east|west|central|northeast|southeast|northwest|southwest)-[0-9]\b")]
    private static partial Regex RegionName();
}
