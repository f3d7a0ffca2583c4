using Amazon.CDK;
using Pipeline.Infra.Constructs.SageMaker;
using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Constructs;

[Collection(CdkCollection.Name)]
public sealed class AlgorithmImageTests
{
    [Fact]
    public void Xgboost_AnyRegion_UriLooksUpTheRegistryAccountOfTheRegion()
    {
        var json = SynthesizeImageUri(stack => AlgorithmImage.Xgboost(stack, "Xgboost"));
        var mapping = json.Root["Mappings"]!.AsObject().Single();

        TemplateJson.AssertEqual($$"""
            { "Fn::Join": ["", [
                { "Fn::FindInMap": ["{{mapping.Key}}", { "Ref": "AWS::Region" }, "account"] },
                ".dkr.ecr.", { "Ref": "AWS::Region" }, ".", { "Ref": "AWS::URLSuffix" }, "/sagemaker-xgboost:1.7-1"]] }
            """, json.Root["Outputs"]!["Image"]!["Value"]);
        Assert.Equal("683313688378", (string?)mapping.Value!["us-east-1"]!["account"]);
        Assert.Equal("141502667606", (string?)mapping.Value!["eu-west-1"]!["account"]);
        Assert.Equal(37, mapping.Value!.AsObject().Count);
    }

    /// <summary>A stack whose only output is the image's URI.</summary>
    private static TemplateJson SynthesizeImageUri(Func<Amazon.CDK.Stack, AlgorithmImage> create)
    {
        var stack = new Amazon.CDK.Stack(new App(), "Test");
        _ = new CfnOutput(stack, "Image", new CfnOutputProps { Value = create(stack).ImageUri });
        return TemplateJson.FromStack(stack);
    }

    public static TheoryData<IReadOnlyDictionary<string, string>> RegistryTables =>
        [AlgorithmImage.XgboostRegistryAccounts];
}
