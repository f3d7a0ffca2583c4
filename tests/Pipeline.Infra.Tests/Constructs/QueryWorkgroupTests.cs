using Pipeline.Infra.Constructs.DataLake;
using Pipeline.Infra.Constructs.Query;
using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Constructs;

[Collection(CdkCollection.Name)]
public sealed class QueryWorkgroupTests(AppFixture fixture)
{
    [Theory]
    [InlineData("sandbox")]
    [InlineData("production")]
    public void Workgroup_Profile_EnforcedKmsEncryptedResultsWithTheConfiguredScanCutoff(string profile)
    {
        var app = fixture.ByName(profile);
        var cutoffBytes = app.Settings.Catalog.BytesScannedCutoffMiB * 1024L * 1024L;
        var recursiveDelete = !app.Settings.RetainData;
        var deletionPolicy = app.DeletionPolicy;
        var workgroup = Assert.Single(fixture.ByName(profile).Json("DataLake").OfType("AWS::Athena::WorkGroup")).Value;
        var properties = workgroup["Properties"]!;

        TemplateJson.AssertEqual($$"""{ "Fn::Join": ["", ["mlpipe-{{profile}}-lake-", {{NameTokens.StackUniqueSuffix}}]] }""", properties["Name"]);
        Assert.Equal("ENABLED", (string?)properties["State"]);
        Assert.Equal(recursiveDelete, (bool)properties["RecursiveDeleteOption"]!);
        Assert.Equal(deletionPolicy, (string?)workgroup["DeletionPolicy"]);
        TemplateJson.AssertEqual($$"""
            {
              "BytesScannedCutoffPerQuery": {{cutoffBytes}},
              "EnforceWorkGroupConfiguration": true,
              "EngineVersion": { "SelectedEngineVersion": "Athena engine version 3" },
              "PublishCloudWatchMetricsEnabled": true,
              "ResultConfiguration": {
                "EncryptionConfiguration": { "EncryptionOption": "SSE_KMS", "KmsKey": {{Exports.DataKeyArn(profile)}} },
                "ExpectedBucketOwner": { "Ref": "AWS::AccountId" },
                "OutputLocation": { "Fn::Join": ["", ["s3://", { "Ref": "Lake42DFAD75" }, "/athena-results/"]] }
              }
            }
            """, properties["WorkGroupConfiguration"]);
    }

    [Fact]
    public void Workgroup_CutoffBelowAthenasMinimum_FailsNamingTheMinimum()
    {
        var (stack, lake) = StandaloneLake.Create();

        var error = Assert.Throws<ArgumentException>(() => Workgroup(stack, lake, 9_999_999));

        Assert.Equal("props", error.ParamName);
        Assert.StartsWith("BytesScannedCutoff is 9999999 bytes;", error.Message, StringComparison.Ordinal);
        Assert.Contains(QueryWorkgroup.MinimumCutoffBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RequireScanFits_LimitBelowThePlannedScan_FailsNamingTheWorkgroupBothSizesAndTheSetting()
    {
        var (stack, lake) = StandaloneLake.Create();
        var workgroup = Workgroup(stack, lake, 1_073_741_824);

        var error = Assert.Throws<ArgumentException>(() => workgroup.RequireScanFits(77_414_400_000, "training queries"));

        Assert.Equal("scanBytesPerQuery", error.ParamName);
        Assert.Contains("Test/Queries", error.Message, StringComparison.Ordinal);
        Assert.Contains("1073741824", error.Message, StringComparison.Ordinal);
        Assert.Contains("77414400000", error.Message, StringComparison.Ordinal);
        Assert.Contains("training queries", error.Message, StringComparison.Ordinal);
        Assert.Contains("BytesScannedCutoff", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RequireScanFits_LimitEqualToThePlannedScan_Passes()
    {
        var (stack, lake) = StandaloneLake.Create();

        Workgroup(stack, lake, 1_073_741_824).RequireScanFits(1_073_741_824, "training queries");
    }

    private static QueryWorkgroup Workgroup(Amazon.CDK.Stack stack, DataLake lake, long cutoff) => new(stack, "Queries", new QueryWorkgroupProps
    {
        Name = "queries",
        Lake = lake,
        BytesScannedCutoff = cutoff,
    });
}
