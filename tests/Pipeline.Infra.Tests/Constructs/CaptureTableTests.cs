using System.Text.Json.Nodes;
using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Constructs;

[Collection(CdkCollection.Name)]
public sealed class CaptureTableTests(AppFixture fixture)
{
    private const string Stack = "DataLake";

    [Theory]
    [InlineData("sandbox")]
    [InlineData("production")]
    public void CaptureTable_Profile_InTheLakeDatabaseOfThisAccount(string profile)
    {
        var json = fixture.ByName(profile).Json(Stack);
        var table = Table(profile)["Properties"]!;

        TemplateJson.AssertEqual("""{ "Ref": "AWS::AccountId" }""", table["CatalogId"]);
        Assert.Equal($"mlpipe_{profile}_lake", (string?)table["DatabaseName"]);
        Assert.Contains(json.LogicalId("AWS::Glue::Database", "CatalogDatabase"), Table(profile)["DependsOn"]!.AsArray().Select(d => (string)d!));
    }

    [Fact]
    public void CaptureTable_Columns_SageMakersCaptureRecord()
    {
        var storage = Input()["StorageDescriptor"]!;

        TemplateJson.AssertEqual("""
            [
              {
                "Name": "capturedata",
                "Type": "struct<endpointinput:struct<observedcontenttype:string,mode:string,data:string,encoding:string>,endpointoutput:struct<observedcontenttype:string,mode:string,data:string,encoding:string>>"
              },
              { "Name": "eventmetadata", "Type": "struct<eventid:string,inferencetime:string>" },
              { "Name": "eventversion", "Type": "string" }
            ]
            """, storage["Columns"]);
        TemplateJson.AssertEqual("""
            { "Parameters": { "case.insensitive": "true" }, "SerializationLibrary": "org.openx.data.jsonserde.JsonSerDe" }
            """, storage["SerdeInfo"]);
        Assert.Equal(
            ("org.apache.hadoop.mapred.TextInputFormat", "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"),
            ((string?)storage["InputFormat"], (string?)storage["OutputFormat"]));
    }

    [Fact]
    public void CaptureTable_Partitioning_InjectsTheEndpointAndProjectsHoursOfTheCapturePath()
    {
        var input = Input();

        TemplateJson.AssertEqual("""
            [
              { "Comment": "The endpoint's name (the Serving stack's output EndpointName).", "Name": "endpoint", "Type": "string" },
              { "Comment": "UTC hour of the capture, yyyy/MM/dd/HH.", "Name": "capture_hour", "Type": "string" }
            ]
            """, input["PartitionKeys"]);
        TemplateJson.AssertEqual("""
            {
              "EXTERNAL": "TRUE",
              "classification": "json",
              "projection.capture_hour.format": "yyyy/MM/dd/HH",
              "projection.capture_hour.interval": "1",
              "projection.capture_hour.interval.unit": "HOURS",
              "projection.capture_hour.range": "2020/01/01/00,NOW",
              "projection.capture_hour.type": "date",
              "projection.enabled": "true",
              "projection.endpoint.type": "injected",
              "storage.location.template": { "Fn::Join": ["", ["s3://", { "Ref": "Lake42DFAD75" }, "/data-capture/${endpoint}/AllTraffic/${capture_hour}/"]] }
            }
            """, input["Parameters"]);
        TemplateJson.AssertEqual("""{ "Fn::Join": ["", ["s3://", { "Ref": "Lake42DFAD75" }, "/data-capture/"]] }""", input["StorageDescriptor"]!["Location"]);
    }

    private JsonObject Table(string profile = "sandbox") =>
        fixture.ByName(profile).Json(Stack).SingleOf("AWS::Glue::Table", t => (string?)t["Properties"]!["TableInput"]!["Name"] == "endpoint_capture").Value;

    private JsonObject Input() => Table()["Properties"]!["TableInput"]!.AsObject();
}
