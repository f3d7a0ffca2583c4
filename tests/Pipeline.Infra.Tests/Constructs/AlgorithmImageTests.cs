using Amazon.CDK;
using Pipeline.Infra.Constructs.Training;
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

    [Fact]
    public void ModelMonitor_AnyRegion_UntaggedUriOfTheAnalyzerRepository()
    {
        var json = SynthesizeImageUri(stack => AlgorithmImage.ModelMonitor(stack, "Monitor"));
        var mapping = json.Root["Mappings"]!.AsObject().Single();

        TemplateJson.AssertEqual($$"""
            { "Fn::Join": ["", [
                { "Fn::FindInMap": ["{{mapping.Key}}", { "Ref": "AWS::Region" }, "account"] },
                ".dkr.ecr.", { "Ref": "AWS::Region" }, ".", { "Ref": "AWS::URLSuffix" }, "/sagemaker-model-monitor-analyzer"]] }
            """, json.Root["Outputs"]!["Image"]!["Value"]);
        Assert.Equal("156813124566", (string?)mapping.Value!["us-east-1"]!["account"]);
        Assert.Equal(30, mapping.Value!.AsObject().Count);
    }

    [Theory]
    [MemberData(nameof(RegistryTables))]
    public void RegistryAccounts_EveryEntry_IsARegionAndATwelveDigitAccount(IReadOnlyDictionary<string, string> table)
    {
        Assert.All(table, entry =>
        {
            Assert.Matches("^(af|ap|ca|cn|eu|il|me|sa|us|us-gov|us-iso|us-isob|us-isof)-[a-z]+-[0-9]$", entry.Key);
            Assert.Matches("^[0-9]{12}$", entry.Value);
        });
    }

    [Fact]
    public void SupportedRegions_RegionWithoutTheImage_RefusedBeforeAnyResourceNamingTheRegions()
    {
        var json = SynthesizeImageUri(stack => AlgorithmImage.Xgboost(stack, "Xgboost"));
        var rule = json.Root["Rules"]!.AsObject().Single(r => r.Key.StartsWith("XgboostSupportedRegions", StringComparison.Ordinal)).Value!;
        var assertion = rule["Assertions"]!.AsArray().Single()!;

        TemplateJson.AssertEqual($$"""
            { "Fn::Contains": [[{{string.Join(", ", AlgorithmImage.XgboostRegistryAccounts.Keys.Select(r => $"\"{r}\""))}}], { "Ref": "AWS::Region" }] }
            """, assertion["Assert"]);
        Assert.StartsWith("SageMaker publishes sagemaker-xgboost in these Regions only: af-south-1, ap-east-1, ", (string?)assertion["AssertDescription"], StringComparison.Ordinal);
        Assert.EndsWith(", us-west-2. Deploy the stack into one of them.", (string?)assertion["AssertDescription"], StringComparison.Ordinal);
    }

    /// <summary>A stack whose only output is the image's URI.</summary>
    private static TemplateJson SynthesizeImageUri(Func<Amazon.CDK.Stack, AlgorithmImage> create)
    {
        var stack = new Amazon.CDK.Stack(new App(), "Test");
        _ = new CfnOutput(stack, "Image", new CfnOutputProps { Value = create(stack).ImageUri });
        return TemplateJson.FromStack(stack);
    }

    public static TheoryData<IReadOnlyDictionary<string, string>> RegistryTables =>
        [AlgorithmImage.XgboostRegistryAccounts, AlgorithmImage.ModelMonitorRegistryAccounts];
}
