using System.Globalization;
using System.Text.Json.Nodes;
using Pipeline.Infra.Tests.Support;
using Pipeline.Infra.Constructs.Ingestion;

namespace Pipeline.Infra.Tests.Constructs;

[Collection(CdkCollection.Name)]
public sealed class DeliveryStreamTests(AppFixture fixture)
{
    private const string Stack = "Ingestion";

    [Fact]
    public void DeliveryStream_Source_ReadsTheKinesisStreamWithItsRole()
    {
        var json = fixture.Sandbox.Json(Stack);
        var properties = Delivery(json);

        Assert.Equal("KinesisStreamAsSource", (string?)properties["DeliveryStreamType"]);
        Assert.Null(properties["DeliveryStreamEncryptionConfigurationInput"]);
        TemplateJson.AssertEqual($$"""
            {
              "KinesisStreamARN": {{Exports.Import("sandbox", "data-lake", "ExportsOutputFnGetAttStream46233657Arn27D52BE7")}},
              "RoleARN": { "Fn::GetAtt": ["{{RoleId(json)}}", "Arn"] }
            }
            """, properties["KinesisStreamSourceConfiguration"]);
    }

    [Theory]
    [InlineData("sandbox")]
    [InlineData("production")]
    public void Destination_Delivery_CuratedPartitionedPrefixErrorsByTypeBufferingFromConfiguration(string profile)
    {
        var json = fixture.ByName(profile).Json(Stack);
        var buffering = fixture.ByName(profile).Settings.Delivery;
        var destination = Delivery(json)["ExtendedS3DestinationConfiguration"]!;

        Assert.Equal("curated/telemetry/event_date=!{partitionKeyFromLambda:event_date}/", (string?)destination["Prefix"]);
        Assert.Equal("errors/telemetry/!{firehose:error-output-type}/ingest_date=!{timestamp:yyyy-MM-dd}/", (string?)destination["ErrorOutputPrefix"]);
        TemplateJson.AssertEqual($$"""{ "IntervalInSeconds": {{buffering.BufferIntervalSeconds}}, "SizeInMBs": {{buffering.BufferSizeMiB}} }""", destination["BufferingHints"]);
        Assert.Equal("UNCOMPRESSED", (string?)destination["CompressionFormat"]);
        TemplateJson.AssertEqual($$"""{ "KMSEncryptionConfig": { "AWSKMSKeyARN": {{Exports.DataKeyArn(profile)}} } }""", destination["EncryptionConfiguration"]);
        TemplateJson.AssertEqual(Exports.Import(profile, "data-lake", "ExportsOutputFnGetAttLake42DFAD75ArnEB99F469"), destination["BucketARN"]);
        TemplateJson.AssertEqual($$"""
            {
              "Enabled": true,
              "Processors": [{
                "Parameters": [
                  { "ParameterName": "LambdaArn", "ParameterValue": { "Fn::GetAtt": ["{{json.LogicalId("AWS::Lambda::Function", "Transform")}}", "Arn"] } },
                  { "ParameterName": "BufferSizeInMBs", "ParameterValue": "{{buffering.TransformBufferSizeMiB.ToString(CultureInfo.InvariantCulture)}}" },
                  { "ParameterName": "BufferIntervalInSeconds", "ParameterValue": "{{buffering.TransformBufferIntervalSeconds}}" },
                  { "ParameterName": "NumberOfRetries", "ParameterValue": "3" }
                ],
                "Type": "Lambda"
              }]
            }
            """, destination["ProcessingConfiguration"]);
        TemplateJson.AssertEqual("""{ "Enabled": true, "RetryOptions": { "DurationInSeconds": 300 } }""", destination["DynamicPartitioningConfiguration"]);
    }

    [Fact]
    public void Destination_Conversion_JsonToSnappyParquetWithTheCuratedTableSchema()
    {
        var json = fixture.Sandbox.Json(Stack);

        TemplateJson.AssertEqual($$"""
            {
              "Enabled": true,
              "InputFormatConfiguration": { "Deserializer": { "HiveJsonSerDe": {} } },
              "OutputFormatConfiguration": { "Serializer": { "ParquetSerDe": { "Compression": "SNAPPY" } } },
              "SchemaConfiguration": {
                "CatalogId": { "Ref": "AWS::AccountId" }, "DatabaseName": "mlpipe_sandbox_lake", "Region": { "Ref": "AWS::Region" },
                "RoleARN": { "Fn::GetAtt": ["{{RoleId(json)}}", "Arn"] }, "TableName": "telemetry", "VersionId": "LATEST"
              }
            }
            """, Delivery(json)["ExtendedS3DestinationConfiguration"]!["DataFormatConversionConfiguration"]);
    }

    [Fact]
    public void Destination_Backup_EverySourceRecordGzippedInTheRawZoneByIngestDate()
    {
        var json = fixture.Sandbox.Json(Stack);
        var destination = Delivery(json)["ExtendedS3DestinationConfiguration"]!;
        var logGroupId = json.LogicalId("AWS::Logs::LogGroup", "DeliveryLogGroup");

        Assert.Equal("Enabled", (string?)destination["S3BackupMode"]);
        TemplateJson.AssertEqual($$"""
            {
              "BucketARN": {{Exports.Import("sandbox", "data-lake", "ExportsOutputFnGetAttLake42DFAD75ArnEB99F469")}},
              "BufferingHints": { "IntervalInSeconds": 60, "SizeInMBs": 16 },
              "CloudWatchLoggingOptions": { "Enabled": true, "LogGroupName": { "Ref": "{{logGroupId}}" }, "LogStreamName": "BackupDelivery" },
              "CompressionFormat": "GZIP",
              "EncryptionConfiguration": { "KMSEncryptionConfig": { "AWSKMSKeyARN": {{Exports.DataKeyArn("sandbox")}} } },
              "ErrorOutputPrefix": "errors/telemetry/raw-backup/!{firehose:error-output-type}/ingest_date=!{timestamp:yyyy-MM-dd}/",
              "Prefix": "raw/telemetry/ingest_date=!{timestamp:yyyy-MM-dd}/",
              "RoleARN": { "Fn::GetAtt": ["{{RoleId(json)}}", "Arn"] }
            }
            """, destination["S3BackupConfiguration"]);
        TemplateJson.AssertEqual($$"""{ "Enabled": true, "LogGroupName": { "Ref": "{{logGroupId}}" }, "LogStreamName": "DestinationDelivery" }""",
            destination["CloudWatchLoggingOptions"]);
    }

    [Theory]
    [InlineData("errors/telemetry/ingest_date=!{timestamp:yyyy-MM-dd}/")]
    [InlineData("errors/!{timestamp:yyyy}/")]
    public void ErrorOutputPrefix_ExpressionWithoutErrorOutputType_ThrowsWithTheFirehoseRule(string prefix)
    {
        var error = Assert.Throws<ArgumentException>(() => DeliveryStream.RequireErrorOutputType(prefix));

        Assert.Equal("errorOutputPrefix", error.ParamName);
        Assert.Contains(prefix, error.Message, StringComparison.Ordinal);
        Assert.Contains("!{firehose:error-output-type}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("errors/telemetry/")]
    [InlineData("errors/telemetry/!{firehose:error-output-type}/ingest_date=!{timestamp:yyyy-MM-dd}/")]
    public void ErrorOutputPrefix_LiteralOrWithErrorOutputType_Accepted(string prefix)
    {
        DeliveryStream.RequireErrorOutputType(prefix);
    }

    [Fact]
    public void Role_Trust_OnlyFirehoseOfThisAccount()
    {
        var json = fixture.Sandbox.Json(Stack);

        TemplateJson.AssertEqual("""
            { "Statement": [{ "Action": "sts:AssumeRole", "Condition": { "StringEquals": { "sts:ExternalId": { "Ref": "AWS::AccountId" } } },
                              "Effect": "Allow", "Principal": { "Service": "firehose.amazonaws.com" } }], "Version": "2012-10-17" }
            """, json.Resources[RoleId(json)]!["Properties"]!["AssumeRolePolicyDocument"]);
        TemplateJson.AssertEqual($$"""[{ "Ref": "{{json.LogicalId("AWS::IAM::ManagedPolicy", "DeliveryReadSourceStream")}}" }]""", json.Resources[RoleId(json)]!["Properties"]!["ManagedPolicyArns"]);
    }

    [Fact]
    public void Role_SourceRead_AttachedWhenTheRoleIsCreatedSoFirehoseSeesItAtCreation()
    {
        var json = fixture.Sandbox.Json(Stack);

        TemplateJson.AssertEqual($$"""
            {
                "Statement": [
                  {
                    "Action": ["kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListShards"],
                    "Effect": "Allow",
                    "Resource": {{Exports.Import("sandbox", "data-lake", "ExportsOutputFnGetAttStream46233657Arn27D52BE7")}}
                  },
                  {
                    "Action": "kms:Decrypt",
                    "Condition": { "StringEquals": { "kms:ViaService": { "Fn::Join": ["", ["kinesis.", { "Ref": "AWS::Region" }, ".amazonaws.com"]] } } },
                    "Effect": "Allow",
                    "Resource": {{Exports.DataKeyArn("sandbox")}}
                  }
                ],
                "Version": "2012-10-17"
            }
            """, json.Resources[json.LogicalId("AWS::IAM::ManagedPolicy", "DeliveryReadSourceStream")]!["Properties"]!["PolicyDocument"]);
        Assert.Null(json.Resources[RoleId(json)]!["Properties"]!["Policies"]);
    }

    [Fact]
    public void Role_Policy_ExactlyWhatTheDeliveryNeeds()
    {
        var json = fixture.Sandbox.Json(Stack);
        var policy = json.SingleOf("AWS::IAM::ManagedPolicy", p => (string?)p["Properties"]!["Roles"]?[0]?["Ref"] == RoleId(json)).Value;
        var lake = Exports.Import("sandbox", "data-lake", "ExportsOutputFnGetAttLake42DFAD75ArnEB99F469");
        var logGroupId = json.LogicalId("AWS::Logs::LogGroup", "DeliveryLogGroup");
        string Stream(string name) =>
            $$"""{ "Fn::Join": ["", ["arn:", { "Ref": "AWS::Partition" }, ":logs:", { "Ref": "AWS::Region" }, ":", { "Ref": "AWS::AccountId" }, ":log-group:", { "Ref": "{{logGroupId}}" }, ":log-stream:{{name}}"]] }""";
        string Glue(string resource) =>
            $$"""{ "Fn::Join": ["", ["arn:", { "Ref": "AWS::Partition" }, ":glue:", { "Ref": "AWS::Region" }, ":", { "Ref": "AWS::AccountId" }, ":{{resource}}"]] }""";

        TemplateJson.AssertEqual($$"""
            {
              "Statement": [
                { "Action": ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"], "Effect": "Allow", "Resource": {{lake}} },
                {
                  "Action": ["s3:AbortMultipartUpload", "s3:PutObject"],
                  "Effect": "Allow",
                  "Resource": [
                    { "Fn::Join": ["", [{{lake}}, "/curated/telemetry/*"]] },
                    { "Fn::Join": ["", [{{lake}}, "/errors/telemetry/*"]] },
                    { "Fn::Join": ["", [{{lake}}, "/raw/telemetry/*"]] }
                  ]
                },
                {
                  "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
                  "Condition": {
                    "StringEquals": { "kms:ViaService": { "Fn::Join": ["", ["s3.", { "Ref": "AWS::Region" }, ".amazonaws.com"]] } },
                    "StringLike": { "kms:EncryptionContext:aws:s3:arn": { "Fn::Join": ["", [{{lake}}, "*"]] } }
                  },
                  "Effect": "Allow",
                  "Resource": {{Exports.DataKeyArn("sandbox")}}
                },
                {
                  "Action": "kms:Decrypt",
                  "Condition": { "StringEquals": { "kms:ViaService": { "Fn::Join": ["", ["glue.", { "Ref": "AWS::Region" }, ".amazonaws.com"]] } } },
                  "Effect": "Allow",
                  "Resource": {{Exports.DataKeyArn("sandbox")}}
                },
                {
                  "Action": ["glue:GetTable", "glue:GetTableVersion", "glue:GetTableVersions"],
                  "Effect": "Allow",
                  "Resource": [{{Glue("catalog")}}, {{Glue("database/mlpipe_sandbox_lake")}}, {{Glue("table/mlpipe_sandbox_lake/telemetry")}}]
                },
                {
                  "Action": ["lambda:GetFunctionConfiguration", "lambda:InvokeFunction"],
                  "Effect": "Allow",
                  "Resource": { "Fn::GetAtt": ["{{json.LogicalId("AWS::Lambda::Function", "Transform")}}", "Arn"] }
                },
                { "Action": "logs:PutLogEvents", "Effect": "Allow", "Resource": [{{Stream("BackupDelivery")}}, {{Stream("DestinationDelivery")}}] }
              ],
              "Version": "2012-10-17"
            }
            """, policy["Properties"]!["PolicyDocument"]);
    }

    [Theory]
    [InlineData("sandbox")]
    [InlineData("production")]
    public void LogGroup_Profile_EncryptedWithItsTwoStreams(string profile)
    {
        var json = fixture.ByName(profile).Json(Stack);
        var deletionPolicy = fixture.ByName(profile).DeletionPolicy;
        var logGroup = json.Resources[json.LogicalId("AWS::Logs::LogGroup", "DeliveryLogGroup")]!;

        TemplateJson.AssertEqual(Exports.LogsKeyArn(profile), logGroup["Properties"]!["KmsKeyId"]);
        Assert.Equal(deletionPolicy, (string?)logGroup["DeletionPolicy"]);
        Assert.Equal(["BackupDelivery", "DestinationDelivery"],
            json.OfType("AWS::Logs::LogStream").Select(s => (string)s.Value["Properties"]!["LogStreamName"]!).Order(StringComparer.Ordinal));
        Assert.All(json.OfType("AWS::Logs::LogStream"), s => Assert.Equal(deletionPolicy, (string?)s.Value["DeletionPolicy"]));
    }

    private static JsonObject Delivery(TemplateJson json) =>
        Assert.Single(json.OfType("AWS::KinesisFirehose::DeliveryStream")).Value["Properties"]!.AsObject();

    private static string RoleId(TemplateJson json) => json.LogicalId("AWS::IAM::Role", "DeliveryRole");
}
