using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Constructs;

[Collection(CdkCollection.Name)]
public sealed class TrainingStateMachineTests(AppFixture fixture)
{
    private const string Stack = "Training";

    [Fact]
    public void StateMachine_Sandbox_StandardEncryptedWithTheModelsKeyLoggedAndTraced()
    {
        var json = fixture.Sandbox.Json(Stack);
        var properties = Assert.Single(json.OfType("AWS::StepFunctions::StateMachine")).Value["Properties"]!.AsObject().DeepClone().AsObject();
        properties.Remove("DefinitionString");
        properties.Remove("RoleArn");
        properties.Remove("Tags");

        TemplateJson.AssertEqual("""
            {
              "EncryptionConfiguration": {
                "KmsDataKeyReusePeriodSeconds": 300, 
                "KmsKeyId": {
                  "Fn::ImportValue": "mlpipe-sandbox-security-baseline:ExportsOutputFnGetAttKeysModelsKeyBBEE4091ArnE89110B3"
                }, 
                "Type": "CUSTOMER_MANAGED_KMS_KEY"
              }, 
              "LoggingConfiguration": {
                "Destinations": [
                  {
                    "CloudWatchLogsLogGroup": {
                      "LogGroupArn": {
                        "Fn::GetAtt": [
                          "TrainLogGroup3137EB51", 
                          "Arn"
                        ]
                      }
                    }
                  }
                ], 
                "IncludeExecutionData": true, 
                "Level": "ALL"
              }, 
              "TracingConfiguration": {
                "Enabled": true
              }, 
              "StateMachineType": "STANDARD"
            }
            """, properties);
    }

    [Fact]
    public void Role_Trust_StepFunctionsStateMachinesOfThisAccountOnly()
    {
        var json = fixture.Sandbox.Json(Stack);

        TemplateJson.AssertEqual("""
            {
              "Statement": [
                {"Action": "sts:AssumeRole",
                 "Condition": {"StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}, "ArnLike": {"aws:SourceArn": { "Fn::Join": ["", ["arn:", { "Ref": "AWS::Partition" }, ":states:", { "Ref": "AWS::Region" }, ":", { "Ref": "AWS::AccountId" }, ":stateMachine:*"]] }}},
                 "Effect": "Allow", "Principal": {"Service": "states.amazonaws.com"}}
              ],
              "Version": "2012-10-17"
            }
            """, json.Resources[json.LogicalId("AWS::IAM::Role", "TrainRole")]!["Properties"]!["AssumeRolePolicyDocument"]);
    }

    [Fact]
    public void LogGroup_Name_UnderTheVendedLogsPrefixUniquePerStack()
    {
        var json = fixture.Sandbox.Json(Stack);
        var logGroup = json.Resources[json.LogicalId("AWS::Logs::LogGroup", "TrainLogGroup")]!;

        // Outside /aws/vendedlogs/ every delivered log group grows one account-wide resource policy of limited size.
        TemplateJson.AssertEqual("""
            { "Fn::Join": ["", ["/aws/vendedlogs/states/", { "Ref": "AWS::StackName" }, "-TrainingTrainLogGroup8B60E16C"]] }
            """, logGroup["Properties"]!["LogGroupName"]);
    }

    [Fact]
    public void Role_Policy_OnlyThisRunsQueriesJobsFunctionsRegistryAndTopic()
    {
        var json = fixture.Sandbox.Json(Stack);
        var roleId = json.LogicalId("AWS::IAM::Role", "TrainRole");
        var policy = json.SingleOf("AWS::IAM::ManagedPolicy", p => (string?)p["Properties"]!["Roles"]?[0]?["Ref"] == roleId).Value;

        TemplateJson.AssertEqual("""
            {
              "Statement": [
                {"Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Condition": {"StringLike": {"kms:EncryptionContext:aws:states:stateMachineArn": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":states:", {"Ref": "AWS::Region"}, ":", {"Ref": "AWS::AccountId"}, ":stateMachine:*"]]}}}, "Effect": "Allow", "Resource": {"Fn::ImportValue": "mlpipe-sandbox-security-baseline:ExportsOutputFnGetAttKeysModelsKeyBBEE4091ArnE89110B3"}},
                {"Action": "kms:GenerateDataKey", "Condition": {"StringLike": {"kms:EncryptionContext:SourceArn": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":logs:", {"Ref": "AWS::Region"}, ":", {"Ref": "AWS::AccountId"}, ":*"]]}}}, "Effect": "Allow", "Resource": {"Fn::ImportValue": "mlpipe-sandbox-security-baseline:ExportsOutputFnGetAttKeysModelsKeyBBEE4091ArnE89110B3"}},
                {"Action": ["logs:CreateLogDelivery", "logs:DeleteLogDelivery", "logs:DescribeLogGroups", "logs:DescribeResourcePolicies", "logs:GetLogDelivery", "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:UpdateLogDelivery", "sagemaker:ListModelPackages", "sagemaker:ListTags", "xray:GetSamplingRules", "xray:GetSamplingTargets", "xray:PutTelemetryRecords", "xray:PutTraceSegments"], "Effect": "Allow", "Resource": "*"},
                {"Action": "lambda:InvokeFunction", "Effect": "Allow", "Resource": [{"Fn::GetAtt": ["EvaluateDD917D0B", "Arn"]}, {"Fn::GetAtt": ["PrepareRun384289E7", "Arn"]}]},
                {"Action": ["athena:GetQueryExecution", "athena:GetQueryResults", "athena:StartQueryExecution", "athena:StopQueryExecution"], "Effect": "Allow", "Resource": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":athena:", {"Ref": "AWS::Region"}, ":", {"Ref": "AWS::AccountId"}, ":workgroup/", {"Ref": "QueriesDB6EF58A"}]]}},
                {"Action": "athena:GetDataCatalog", "Effect": "Allow", "Resource": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":athena:", {"Ref": "AWS::Region"}, ":", {"Ref": "AWS::AccountId"}, ":datacatalog/AwsDataCatalog"]]}},
                {"Action": "kms:Decrypt", "Condition": {"StringEquals": {"kms:ViaService": {"Fn::Join": ["", ["glue.", {"Ref": "AWS::Region"}, ".amazonaws.com"]]}}}, "Effect": "Allow", "Resource": {"Fn::ImportValue": "mlpipe-sandbox-security-baseline:ExportsOutputFnGetAttKeysDataKey8F3FE3A4Arn636228AA"}},
                {"Action": ["glue:GetDatabase", "glue:GetPartitions", "glue:GetTable", "glue:GetTableVersion", "glue:GetTableVersions"], "Effect": "Allow", "Resource": [{"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":glue:", {"Ref": "AWS::Region"}, ":", {"Ref": "AWS::AccountId"}, ":catalog"]]}, {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":glue:", {"Ref": "AWS::Region"}, ":", {"Ref": "AWS::AccountId"}, ":database/mlpipe_sandbox_lake"]]}, {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":glue:", {"Ref": "AWS::Region"}, ":", {"Ref": "AWS::AccountId"}, ":table/mlpipe_sandbox_lake/telemetry"]]}]},
                {"Action": ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"], "Effect": "Allow", "Resource": {"Fn::ImportValue": "mlpipe-sandbox-data-lake:ExportsOutputFnGetAttLake42DFAD75ArnEB99F469"}},
                {"Action": "s3:GetObject", "Effect": "Allow", "Resource": [{"Fn::Join": ["", [{"Fn::ImportValue": "mlpipe-sandbox-data-lake:ExportsOutputFnGetAttLake42DFAD75ArnEB99F469"}, "/athena-results/*"]]}, {"Fn::Join": ["", [{"Fn::ImportValue": "mlpipe-sandbox-data-lake:ExportsOutputFnGetAttLake42DFAD75ArnEB99F469"}, "/curated/telemetry/*"]]}]},
                {"Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Condition": {"StringEquals": {"kms:ViaService": {"Fn::Join": ["", ["s3.", {"Ref": "AWS::Region"}, ".amazonaws.com"]]}}, "StringLike": {"kms:EncryptionContext:aws:s3:arn": {"Fn::Join": ["", [{"Fn::ImportValue": "mlpipe-sandbox-data-lake:ExportsOutputFnGetAttLake42DFAD75ArnEB99F469"}, "*"]]}}}, "Effect": "Allow", "Resource": {"Fn::ImportValue": "mlpipe-sandbox-security-baseline:ExportsOutputFnGetAttKeysDataKey8F3FE3A4Arn636228AA"}},
                {"Action": ["s3:AbortMultipartUpload", "s3:PutObject"], "Effect": "Allow", "Resource": [{"Fn::Join": ["", [{"Fn::ImportValue": "mlpipe-sandbox-data-lake:ExportsOutputFnGetAttLake42DFAD75ArnEB99F469"}, "/athena-results/*"]]}, {"Fn::Join": ["", [{"Fn::ImportValue": "mlpipe-sandbox-data-lake:ExportsOutputFnGetAttLake42DFAD75ArnEB99F469"}, "/training/*"]]}]},
                {"Action": ["sagemaker:AddTags", "sagemaker:CreateTrainingJob", "sagemaker:DescribeTrainingJob", "sagemaker:StopTrainingJob"], "Effect": "Allow", "Resource": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":sagemaker:", {"Ref": "AWS::Region"}, ":", {"Ref": "AWS::AccountId"}, ":training-job/xgb-*"]]}},
                {"Action": ["sagemaker:AddTags", "sagemaker:CreateHyperParameterTuningJob", "sagemaker:DescribeHyperParameterTuningJob", "sagemaker:StopHyperParameterTuningJob"], "Effect": "Allow", "Resource": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":sagemaker:", {"Ref": "AWS::Region"}, ":", {"Ref": "AWS::AccountId"}, ":hyper-parameter-tuning-job/xgb-*"]]}},
                {"Action": ["events:DescribeRule", "events:PutRule", "events:PutTargets"], "Effect": "Allow", "Resource": [{"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":events:", {"Ref": "AWS::Region"}, ":", {"Ref": "AWS::AccountId"}, ":rule/StepFunctionsGetEventsForSageMakerTrainingJobsRule"]]}, {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":events:", {"Ref": "AWS::Region"}, ":", {"Ref": "AWS::AccountId"}, ":rule/StepFunctionsGetEventsForSageMakerTuningJobsRule"]]}]},
                {"Action": "iam:PassRole", "Condition": {"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}}, "Effect": "Allow", "Resource": {"Fn::GetAtt": ["TrainingRoleC2E62347", "Arn"]}},
                {"Action": "sagemaker:CreateModelPackage", "Effect": "Allow", "Resource": [{"Fn::ImportValue": "mlpipe-sandbox-data-lake:ExportsOutputFnGetAttModelsC55D3500ModelPackageGroupArn805BCF11"}, {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":sagemaker:", {"Ref": "AWS::Region"}, ":", {"Ref": "AWS::AccountId"}, ":model-package/mlpipe-sandbox-models-", {"Fn::Select": [0, {"Fn::Split": ["-", {"Fn::Select": [2, {"Fn::Split": ["/", {"Fn::ImportValue": "mlpipe-sandbox-data-lake:ExportsOutputRefAWSStackIdB2DD5BAA"}]}]}]}]}, "/*"]]}]},
                {"Action": "sagemaker:DescribeModelPackage", "Effect": "Allow", "Resource": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":sagemaker:", {"Ref": "AWS::Region"}, ":", {"Ref": "AWS::AccountId"}, ":model-package/mlpipe-sandbox-models-", {"Fn::Select": [0, {"Fn::Split": ["-", {"Fn::Select": [2, {"Fn::Split": ["/", {"Fn::ImportValue": "mlpipe-sandbox-data-lake:ExportsOutputRefAWSStackIdB2DD5BAA"}]}]}]}]}, "/*"]]}},
                {"Action": "sns:Publish", "Effect": "Allow", "Resource": {"Fn::ImportValue": "mlpipe-sandbox-security-baseline:ExportsOutputRefAlarmTopicB56431CAD8F6611B"}},
                {"Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Condition": {"StringEquals": {"kms:ViaService": {"Fn::Join": ["", ["sns.", {"Ref": "AWS::Region"}, ".amazonaws.com"]]}}}, "Effect": "Allow", "Resource": {"Fn::ImportValue": "mlpipe-sandbox-security-baseline:ExportsOutputFnGetAttKeysNotificationsKeyF628B47EArn897F16EC"}}
              ],
              "Version": "2012-10-17"
            }
            """, policy["Properties"]!["PolicyDocument"]);
    }
}
