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
}
