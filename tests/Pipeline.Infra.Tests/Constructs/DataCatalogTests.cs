using System.Text.Json.Nodes;
using Pipeline.Schema;
using Pipeline.Infra.Constructs.Catalog;
using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Constructs;

[Collection(CdkCollection.Name)]
public sealed class DataCatalogTests(AppFixture fixture)
{
    private const string Stack = "DataLake";

    [Theory]
    [InlineData("sandbox")]
    [InlineData("production")]
    public void Database_Profile_NamedByPrefixAndProfileInThisAccount(string profile)
    {
        var database = Assert.Single(fixture.ByName(profile).Json(Stack).OfType("AWS::Glue::Database")).Value["Properties"]!;

        TemplateJson.AssertEqual("""{ "Ref": "AWS::AccountId" }""", database["CatalogId"]);
        Assert.Equal($"mlpipe_{profile}_lake", (string?)database["DatabaseInput"]!["Name"]);
    }

    [Fact]
    public void CuratedTable_Columns_AreTheRecordSchemaFieldsWithGlueTypes()
    {
        var columns = Table()["StorageDescriptor"]!["Columns"]!.AsArray();

        Assert.Equal(
            TelemetrySchema.Definition.Fields.Select(f => (f.Name, f.GlueType)),
            columns.Select(c => ((string)c!["Name"]!, (string)c!["Type"]!)));
        Assert.Equal(
            ["string", "timestamp", "string", "string", "double", "double", "double", "double", "bigint", "double", "boolean"],
            columns.Select(c => (string)c!["Type"]!));
        var air = TelemetrySchema.Definition.FindField("air_temperature_k")!;
        Assert.Equal($"{air.Description} Unit: K.", (string?)columns.Single(c => (string?)c!["Name"] == "air_temperature_k")!["Comment"]);
    }

    [Fact]
    public void CuratedTable_Storage_ParquetAtTheCuratedPath()
    {
        var storage = Table()["StorageDescriptor"]!.AsObject().DeepClone().AsObject();
        storage.Remove("Columns");

        TemplateJson.AssertEqual("""
            {
              "InputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
              "Location": { "Fn::Join": ["", ["s3://", { "Ref": "Lake42DFAD75" }, "/curated/telemetry/"]] },
              "OutputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
              "SerdeInfo": { "Parameters": { "serialization.format": "1" }, "SerializationLibrary": "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe" }
            }
            """, storage);
    }

    [Fact]
    public void CuratedTable_Partitioning_ProjectsEventDatesFrom2020ToNow()
    {
        var table = Table();

        TemplateJson.AssertEqual("""[{ "Comment": "UTC date of the event time, yyyy-MM-dd.", "Name": "event_date", "Type": "string" }]""", table["PartitionKeys"]);
        TemplateJson.AssertEqual("""
            {
              "EXTERNAL": "TRUE",
              "classification": "parquet",
              "parquet.compression": "SNAPPY",
              "projection.enabled": "true",
              "projection.event_date.format": "yyyy-MM-dd",
              "projection.event_date.interval": "1",
              "projection.event_date.interval.unit": "DAYS",
              "projection.event_date.range": "2020-01-01,NOW",
              "projection.event_date.type": "date",
              "storage.location.template": { "Fn::Join": ["", ["s3://", { "Ref": "Lake42DFAD75" }, "/curated/telemetry/event_date=${event_date}/"]] }
            }
            """, table["Parameters"]);
        Assert.Equal("telemetry", (string?)table["Name"]);
        Assert.Equal("EXTERNAL_TABLE", (string?)table["TableType"]);
    }

    [Fact]
    public void DataCatalog_DatabaseNameAthenaCannotUse_ThrowsSayingWhatIsAllowed()
    {
        var (stack, lake) = StandaloneLake.Create();

        var error = Assert.Throws<ArgumentException>(() => new DataCatalog(stack, "Catalog", new DataCatalogProps { DatabaseName = "My-Lake", EncryptionKey = lake.EncryptionKey, Lake = lake }));

        Assert.Equal("props", error.ParamName);
        Assert.Contains("DatabaseName 'My-Lake'", error.Message, StringComparison.Ordinal);
        Assert.Contains("lowercase", error.Message, StringComparison.Ordinal);
    }

    private JsonObject Table() =>
        fixture.Sandbox.Json(Stack).SingleOf("AWS::Glue::Table", t => (string?)t["Properties"]!["TableInput"]!["Name"] == "telemetry")
            .Value["Properties"]!["TableInput"]!.AsObject();
}
