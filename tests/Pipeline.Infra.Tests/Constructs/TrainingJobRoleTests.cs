using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Pipeline.Infra.Constructs.SageMaker;
using Pipeline.Infra.Constructs.Training;
using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Constructs;

[Collection(CdkCollection.Name)]
public sealed class TrainingJobRoleTests
{
    private static readonly Lazy<TemplateJson> Template = new(() =>
    {
        var (stack, lake) = StandaloneLake.Create();
        var image = AlgorithmImage.Xgboost(stack, "Xgboost");
        var vpc = new Vpc(stack, "Vpc", new VpcProps
        {
            MaxAzs = 1,
            RestrictDefaultSecurityGroup = false,
            SubnetConfiguration = [new SubnetConfiguration { Name = "isolated", SubnetType = SubnetType.PRIVATE_ISOLATED }],
        });
        var role = new TrainingJobRole(stack, "TrainingRole", new TrainingJobRoleProps
        {
            Lake = lake,
            ModelsKey = new Key(stack, "ModelsKey"),
            Image = image,
            Vpc = vpc,
            Subnets = new SubnetSelection { SubnetType = SubnetType.PRIVATE_ISOLATED },
            SecurityGroup = new SecurityGroup(stack, "Jobs", new SecurityGroupProps { Vpc = vpc, AllowAllOutbound = false }),
        });
        role.GrantPassRole(new Role(stack, "Orchestrator", new RoleProps { AssumedBy = new ServicePrincipal("states.amazonaws.com") }));
        return TemplateJson.FromStack(stack);
    });

    [Fact]
    public void Role_Trust_SageMakerTrainingAndTuningJobsOfThisAccountOnlyWithoutManagedPolicies()
    {
        var json = Template.Value;
        var role = json.Resources[json.LogicalId("AWS::IAM::Role", "TrainingRole")]!["Properties"]!;
        static string Arn(string resource) =>
            $$"""{ "Fn::Join": ["", ["arn:", { "Ref": "AWS::Partition" }, ":sagemaker:", { "Ref": "AWS::Region" }, ":", { "Ref": "AWS::AccountId" }, ":{{resource}}"]] }""";

        TemplateJson.AssertEqual($$"""
            { "Statement": [{
                "Action": "sts:AssumeRole", "Effect": "Allow", "Principal": { "Service": "sagemaker.amazonaws.com" },
                "Condition": {
                  "StringEquals": { "aws:SourceAccount": { "Ref": "AWS::AccountId" } },
                  "ArnLike": { "aws:SourceArn": [{{Arn("training-job/*")}}, {{Arn("hyper-parameter-tuning-job/*")}}] }
                } }],
              "Version": "2012-10-17" }
            """, role["AssumeRolePolicyDocument"]);
        Assert.Null(role["ManagedPolicyArns"]);
    }

    [Fact]
    public void Role_Policy_ExactlyWhatATrainingJobNeeds()
    {
        var json = Template.Value;
        var roleId = json.LogicalId("AWS::IAM::Role", "TrainingRole");
        var policy = json.SingleOf("AWS::IAM::Policy", p => (string?)p["Properties"]!["Roles"]?[0]?["Ref"] == roleId).Value;
        var modelsKey = $$"""{ "Fn::GetAtt": ["{{json.LogicalId("AWS::KMS::Key", "ModelsKey")}}", "Arn"] }""";
        var lakeKey = $$"""{ "Fn::GetAtt": ["{{json.LogicalId("AWS::KMS::Key", "Key")}}", "Arn"] }""";
        string Logs(string name) =>
            $$"""{ "Fn::Join": ["", ["arn:", { "Ref": "AWS::Partition" }, ":logs:", { "Ref": "AWS::Region" }, ":", { "Ref": "AWS::AccountId" }, ":log-group:{{name}}"]] }""";
        var mapping = json.Root["Mappings"]!.AsObject().Single().Key;
        static string Ec2(string resource, string? token) => token is null
            ? $$"""{ "Fn::Join": ["", ["arn:", { "Ref": "AWS::Partition" }, ":ec2:", { "Ref": "AWS::Region" }, ":", { "Ref": "AWS::AccountId" }, ":{{resource}}"]] }"""
            : $$"""{ "Fn::Join": ["", ["arn:", { "Ref": "AWS::Partition" }, ":ec2:", { "Ref": "AWS::Region" }, ":", { "Ref": "AWS::AccountId" }, ":{{resource}}", {{token}}]] }""";

        TemplateJson.AssertEqual($$"""
            {
              "Statement": [
                { "Action": ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"], "Effect": "Allow", "Resource": { "Fn::GetAtt": ["Lake42DFAD75", "Arn"] } },
                {
                  "Action": "s3:GetObject",
                  "Effect": "Allow",
                  "Resource": [
                    { "Fn::Join": ["", [{ "Fn::GetAtt": ["Lake42DFAD75", "Arn"] }, "/models/*"]] },
                    { "Fn::Join": ["", [{ "Fn::GetAtt": ["Lake42DFAD75", "Arn"] }, "/training/*"]] }
                  ]
                },
                {
                  "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
                  "Condition": {
                    "StringEquals": { "kms:ViaService": { "Fn::Join": ["", ["s3.", { "Ref": "AWS::Region" }, ".amazonaws.com"]] } },
                    "StringLike": { "kms:EncryptionContext:aws:s3:arn": { "Fn::Join": ["", [{ "Fn::GetAtt": ["Lake42DFAD75", "Arn"] }, "*"]] } }
                  },
                  "Effect": "Allow",
                  "Resource": {{lakeKey}}
                },
                { "Action": ["s3:AbortMultipartUpload", "s3:PutObject"], "Effect": "Allow", "Resource": { "Fn::Join": ["", [{ "Fn::GetAtt": ["Lake42DFAD75", "Arn"] }, "/models/*"]] } },
                {
                  "Action": ["kms:CreateGrant", "kms:DescribeKey"],
                  "Condition": { "Bool": { "kms:GrantIsForAWSResource": "true" } },
                  "Effect": "Allow",
                  "Resource": {{modelsKey}}
                },
                {
                  "Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
                  "Condition": { "StringEquals": { "kms:ViaService": { "Fn::Join": ["", ["s3.", { "Ref": "AWS::Region" }, ".amazonaws.com"]] } } },
                  "Effect": "Allow",
                  "Resource": {{modelsKey}}
                },
                {
                  "Action": "ec2:CreateNetworkInterface",
                  "Effect": "Allow",
                  "Resource": [{{Ec2("network-interface/*", null)}}, {{Ec2("security-group/", $$"""{ "Fn::GetAtt": ["{{json.LogicalId("AWS::EC2::SecurityGroup", "Jobs")}}", "GroupId"] }""")}}, {{Ec2("subnet/", """{ "Ref": "VpcisolatedSubnet1SubnetE62B1B9B" }""")}}]
                },
                {
                  "Action": ["ec2:CreateNetworkInterfacePermission", "ec2:DeleteNetworkInterface", "ec2:DeleteNetworkInterfacePermission"],
                  "Condition": { "ArnEquals": { "ec2:Vpc": {{Ec2("vpc/", """{ "Ref": "Vpc8378EB38" }""")}} } },
                  "Effect": "Allow",
                  "Resource": {{Ec2("network-interface/*", null)}}
                },
                {
                  "Action": ["ec2:DescribeDhcpOptions", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets",
                             "ec2:DescribeVpcs", "ecr:GetAuthorizationToken"],
                  "Effect": "Allow",
                  "Resource": "*"
                },
                {
                  "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
                  "Effect": "Allow",
                  "Resource": [{{Logs("/aws/sagemaker/TrainingJobs")}}, {{Logs("/aws/sagemaker/TrainingJobs:log-stream:*")}}]
                },
                {
                  "Action": "cloudwatch:PutMetricData",
                  "Condition": { "StringEquals": { "cloudwatch:namespace": "/aws/sagemaker/TrainingJobs" } },
                  "Effect": "Allow",
                  "Resource": "*"
                },
                {
                  "Action": ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                  "Effect": "Allow",
                  "Resource": { "Fn::Join": ["", ["arn:", { "Ref": "AWS::Partition" }, ":ecr:", { "Ref": "AWS::Region" }, ":",
                    { "Fn::FindInMap": ["{{mapping}}", { "Ref": "AWS::Region" }, "account"] }, ":repository/sagemaker-xgboost"]] }
                }
              ],
              "Version": "2012-10-17"
            }
            """, policy["Properties"]!["PolicyDocument"]);
    }

    [Fact]
    public void GrantPassRole_Orchestrator_PassesOnlyThisRoleOnlyToSageMaker()
    {
        var json = Template.Value;
        var orchestratorId = json.LogicalId("AWS::IAM::Role", "Orchestrator");
        var policy = json.SingleOf("AWS::IAM::Policy", p => (string?)p["Properties"]!["Roles"]?[0]?["Ref"] == orchestratorId).Value;

        TemplateJson.AssertEqual($$"""
            {
              "Statement": [{
                "Action": "iam:PassRole",
                "Condition": { "StringEquals": { "iam:PassedToService": "sagemaker.amazonaws.com" } },
                "Effect": "Allow",
                "Resource": { "Fn::GetAtt": ["{{json.LogicalId("AWS::IAM::Role", "TrainingRole")}}", "Arn"] }
              }],
              "Version": "2012-10-17"
            }
            """, policy["Properties"]!["PolicyDocument"]);
    }
}
