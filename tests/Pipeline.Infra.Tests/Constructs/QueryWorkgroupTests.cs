using Pipeline.Infra.Constructs.DataLake;
using Pipeline.Infra.Constructs.Query;
using Pipeline.Infra.Constructs.Training;
using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Constructs;

[Collection(CdkCollection.Name)]
public sealed class QueryWorkgroupTests(AppFixture fixture)
{
    [Theory]
    [InlineData("sandbox", 1073741824L, true, "Delete")]
    [InlineData("production", 2146435072L, false, "Retain")]
    public void Workgroup_Profile_EnforcedKmsEncryptedResultsWithScanCutoff(string profile, long cutoffBytes, bool recursiveDelete, string deletionPolicy)
    {
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

        Assert.StartsWith("BytesScannedCutoff is 9999999 bytes; use at least 10000000 (10 MB, Athena's minimum data usage limit).", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TrainingQueries_WorkgroupLimitBelowThePlannedScan_FailSynthNamingBothAndTheFix()
    {
        var (stack, lake) = StandaloneLake.Create();
        var workgroup = Workgroup(stack, lake, 1_073_741_824);

        var error = Assert.Throws<ArgumentException>(() => TrainingStateMachine.RequireScanFits(workgroup, 77_414_400_000));

        Assert.StartsWith(
            "The training queries scan up to 77414400000 bytes each (every row of the window at the configured rate, record size and headroom), but workgroup Test/Queries cancels a query after 1073741824 bytes: give the training queries a workgroup whose BytesScannedCutoff is at least 77414400000, or shorten training.lookbackDays.",
            error.Message, StringComparison.Ordinal);
        TrainingStateMachine.RequireScanFits(workgroup, 1_073_741_824);
    }

    private static QueryWorkgroup Workgroup(Amazon.CDK.Stack stack, DataLake lake, long cutoff) => new(stack, "Queries", new QueryWorkgroupProps
    {
        Name = "queries",
        Lake = lake,
        BytesScannedCutoff = cutoff,
    });
}
