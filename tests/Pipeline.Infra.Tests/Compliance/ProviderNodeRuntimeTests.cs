using Amazon.CDK;
using Amazon.CDK.AWS.Lambda;
using Pipeline.Infra.Compliance;
using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Compliance;

[Collection(CdkCollection.Name)]
public sealed class ProviderNodeRuntimeTests(AppFixture fixture)
{
    [Theory]
    [InlineData("sandbox", "SecurityBaseline", "CustomVpcRestrictDefaultSGCustomResourceProviderHandler")]
    [InlineData("sandbox", "DataLake", "CustomS3AutoDeleteObjectsCustomResourceProviderHandler")]
    [InlineData("production", "SecurityBaseline", "CustomVpcRestrictDefaultSGCustomResourceProviderHandler")]
    public void CdkProviders_AppStacks_PinnedToTheSupportedNodeRuntimeWithoutCdksRuntimeMap(string profile, string stack, string handler)
    {
        var json = fixture.ByName(profile).Json(stack);

        Assert.Equal("nodejs24.x", (string?)json.Resources[json.LogicalId("AWS::Lambda::Function", handler)]!["Properties"]!["Runtime"]);
        Assert.Null(json.Root["Mappings"]?[ProviderNodeRuntime.RuntimeMapId]);
    }

    [Fact]
    public void Aspect_NodeLookupLiteralAndRawProviderFunctions_AllPinnedAndOtherRuntimesUntouched()
    {
        var stack = new Amazon.CDK.Stack(new App(), "Test");
        // The shape of CDK's own lookup: a region map and a FindInMap token as the runtime.
        _ = new CfnMapping(stack, ProviderNodeRuntime.RuntimeMapId, new CfnMappingProps
        {
            Mapping = new Dictionary<string, IDictionary<string, object>> { ["us-east-1"] = new Dictionary<string, object> { ["value"] = "nodejs20.x" } },
        });
        Function(stack, "Lookup", Fn.FindInMap(ProviderNodeRuntime.RuntimeMapId, Aws.REGION, "value"));
        Function(stack, "Literal", "nodejs18.x");
        Function(stack, "Python", "python3.12");
        _ = new CfnResource(stack, "Raw", new CfnResourceProps
        {
            Type = "AWS::Lambda::Function",
            Properties = new Dictionary<string, object> { ["Runtime"] = "nodejs20.x", ["Handler"] = "index.handler" },
        });
        Aspects.Of(stack).Add(new ProviderNodeRuntime());

        var json = TemplateJson.FromStack(stack);

        string RuntimeOf(string prefix) => (string)json.Resources[json.LogicalId("AWS::Lambda::Function", prefix)]!["Properties"]!["Runtime"]!;
        Assert.Equal(["nodejs24.x", "nodejs24.x", "python3.12", "nodejs24.x"], [RuntimeOf("Lookup"), RuntimeOf("Literal"), RuntimeOf("Python"), RuntimeOf("Raw")]);
        Assert.Null(json.Root["Mappings"]);
    }

    private static void Function(Amazon.CDK.Stack stack, string id, string runtime) => _ = new CfnFunction(stack, id, new CfnFunctionProps
    {
        Runtime = runtime,
        Handler = "index.handler",
        Role = "arn:aws:iam::123456789012:role/test",
        Code = new CfnFunction.CodeProperty { ZipFile = "exports.handler = async () => ({});" },
    });
}
