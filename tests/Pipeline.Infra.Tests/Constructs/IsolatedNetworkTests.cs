using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.AWS.KMS;
using Pipeline.Infra.Constructs.Network;
using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Constructs;

[Collection(CdkCollection.Name)]
public sealed class IsolatedNetworkTests(AppFixture fixture)
{
    private const string Stack = "SecurityBaseline";

    [Theory]
    [InlineData("sandbox")]
    [InlineData("production")]
    public void Vpc_AnyProfile_HasNoInternetGatewayNatOrRouteOut(string profile)
    {
        var template = fixture.ByName(profile).Template(Stack);

        template.ResourceCountIs("AWS::EC2::VPC", 1);
        template.ResourceCountIs("AWS::EC2::InternetGateway", 0);
        template.ResourceCountIs("AWS::EC2::VPCGatewayAttachment", 0);
        template.ResourceCountIs("AWS::EC2::EgressOnlyInternetGateway", 0);
        template.ResourceCountIs("AWS::EC2::NatGateway", 0);
        template.ResourceCountIs("AWS::EC2::EIP", 0);
        template.ResourceCountIs("AWS::EC2::Route", 0);
        template.ResourceCountIs("AWS::EC2::TransitGatewayAttachment", 0);
    }

    [Theory]
    [InlineData("sandbox")]
    [InlineData("production")]
    public void Subnets_Profile_OneIsolatedSubnetPerAvailabilityZone(string profile)
    {
        var subnets = fixture.ByName(profile).Json(Stack).OfType("AWS::EC2::Subnet");
        var azCount = fixture.ByName(profile).Settings.Network.AzCount;

        Assert.Equal(azCount, subnets.Count);
        for (var i = 0; i < azCount; i++)
        {
            var properties = subnets[i].Value["Properties"]!;
            Assert.False((bool)properties["MapPublicIpOnLaunch"]!);
            TemplateJson.AssertEqual($$"""{ "Fn::Select": [{{i}}, { "Fn::GetAZs": "" }] }""", properties["AvailabilityZone"]);
            Assert.Equal("Isolated", (string?)properties["Tags"]!.AsArray().Single(t => (string?)t!["Key"] == "aws-cdk:subnet-type")!["Value"]);
        }
    }

    [Theory]
    [InlineData("sandbox")]
    [InlineData("production")]
    public void FlowLog_AnyProfile_RecordsAllVpcTrafficInTheEncryptedLogGroup(string profile)
    {
        var json = fixture.ByName(profile).Json(Stack);
        var logGroupId = json.LogicalId("AWS::Logs::LogGroup", "NetworkFlowLogGroup");
        var roleId = json.LogicalId("AWS::IAM::Role", "NetworkFlowLogRole");
        var vpcId = json.LogicalId("AWS::EC2::VPC", "NetworkVpc");

        var flowLog = Assert.Single(json.OfType("AWS::EC2::FlowLog")).Value["Properties"]!.AsObject();
        flowLog.Remove("Tags");

        TemplateJson.AssertEqual($$"""
            {
              "DeliverLogsPermissionArn": { "Fn::GetAtt": ["{{roleId}}", "Arn"] },
              "LogDestinationType": "cloud-watch-logs",
              "LogGroupName": { "Ref": "{{logGroupId}}" },
              "ResourceId": { "Ref": "{{vpcId}}" },
              "ResourceType": "VPC",
              "TrafficType": "ALL"
            }
            """, flowLog);
    }

    [Theory]
    [InlineData("sandbox")]
    [InlineData("production")]
    public void FlowLogGroup_Profile_EncryptedWithLogsKeyRetentionAndRemovalPolicy(string profile)
    {
        var json = fixture.ByName(profile).Json(Stack);
        var retentionDays = fixture.ByName(profile).Settings.Retention.LogDays;
        var deletionPolicy = fixture.ByName(profile).DeletionPolicy;
        var logsKeyId = json.LogicalId("AWS::KMS::Key", "KeysLogsKey");
        var logGroup = json.Resources[json.LogicalId("AWS::Logs::LogGroup", "NetworkFlowLogGroup")]!;

        TemplateJson.AssertEqual($$"""{ "Fn::GetAtt": ["{{logsKeyId}}", "Arn"] }""", logGroup["Properties"]!["KmsKeyId"]);
        Assert.Equal(retentionDays, (int)logGroup["Properties"]!["RetentionInDays"]!);
        Assert.Null(logGroup["Properties"]!["LogGroupName"]);
        Assert.Equal(deletionPolicy, (string?)logGroup["DeletionPolicy"]);
        Assert.Equal(deletionPolicy, (string?)logGroup["UpdateReplacePolicy"]);
    }

    [Fact]
    public void FlowLogRole_Policy_OnlyWritesToItsLogGroupAndPassesItselfTrustingOnlyThisAccountsFlowLogs()
    {
        var json = fixture.Sandbox.Json(Stack);
        var logGroupId = json.LogicalId("AWS::Logs::LogGroup", "NetworkFlowLogGroup");
        var roleId = json.LogicalId("AWS::IAM::Role", "NetworkFlowLogRole");
        var policy = json.SingleOf("AWS::IAM::ManagedPolicy", p => (string?)p["Properties"]!["Roles"]?[0]?["Ref"] == roleId).Value;

        TemplateJson.AssertEqual($$"""
            {
              "Statement": [
                {
                  "Action": ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
                  "Effect": "Allow",
                  "Resource": { "Fn::GetAtt": ["{{logGroupId}}", "Arn"] }
                },
                { "Action": "iam:PassRole", "Effect": "Allow", "Resource": { "Fn::GetAtt": ["{{roleId}}", "Arn"] } }
              ],
              "Version": "2012-10-17"
            }
            """, policy["Properties"]!["PolicyDocument"]);
        TemplateJson.AssertEqual("""
            { "Statement": [{
                "Action": "sts:AssumeRole", "Effect": "Allow", "Principal": { "Service": "vpc-flow-logs.amazonaws.com" },
                "Condition": { "StringEquals": { "aws:SourceAccount": { "Ref": "AWS::AccountId" } }, "ArnLike": { "aws:SourceArn": { "Fn::Join": ["", ["arn:", { "Ref": "AWS::Partition" }, ":ec2:", { "Ref": "AWS::Region" }, ":", { "Ref": "AWS::AccountId" }, ":vpc-flow-log/*"]] } } } }],
              "Version": "2012-10-17" }
            """, json.Resources[roleId]!["Properties"]!["AssumeRolePolicyDocument"]);
    }

    [Theory]
    [InlineData("sandbox")]
    [InlineData("production")]
    public void S3GatewayEndpoint_Policy_AdmitsObjectAccessToThisAccountsBucketsOnly(string profile)
    {
        var json = fixture.ByName(profile).Json(Stack);
        var endpoint = json.SingleOf("AWS::EC2::VPCEndpoint", e => (string?)e["Properties"]!["VpcEndpointType"] == "Gateway").Value;

        TemplateJson.AssertEqual("""
            {
              "Statement": [
                {
                  "Action": ["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:GetBucketLocation", "s3:GetObject", "s3:GetObjectVersion",
                             "s3:ListBucket", "s3:ListBucketMultipartUploads", "s3:ListMultipartUploadParts", "s3:PutObject"],
                  "Condition": { "StringEquals": { "aws:ResourceAccount": { "Ref": "AWS::AccountId" } } },
                  "Effect": "Allow",
                  "Principal": { "AWS": "*" },
                  "Resource": "*",
                  "Sid": "AllowObjectAccessToBucketsOfThisAccountOnly"
                }
              ],
              "Version": "2012-10-17"
            }
            """, endpoint["Properties"]!["PolicyDocument"]);
        TemplateJson.AssertEqual("""{ "Fn::Join": ["", ["com.amazonaws.", { "Ref": "AWS::Region" }, ".s3"]] }""", endpoint["Properties"]!["ServiceName"]);
        Assert.Equal(json.OfType("AWS::EC2::RouteTable").Count, endpoint["Properties"]!["RouteTableIds"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("sandbox")]
    [InlineData("production")]
    public void InterfaceEndpoints_Profile_XRayWithTracingAndTheClientApisWithClientEndpoints(string profile)
    {
        var json = fixture.ByName(profile).Json(Stack);
        var network = fixture.ByName(profile).Settings.Network;
        string[] services =
        [
            .. network.Tracing ? ["xray"] : Array.Empty<string>(),
            .. network.ClientEndpoints ? ["sagemaker.api", "sagemaker.runtime", "sts", "kms", "logs", "monitoring", "kinesis-streams"] : Array.Empty<string>(),
        ];
        var endpoints = json.OfType("AWS::EC2::VPCEndpoint").Where(e => (string?)e.Value["Properties"]!["VpcEndpointType"] == "Interface").ToList();

        Assert.Equal(services, endpoints.Select(e => ServiceSuffix(e.Value["Properties"]!["ServiceName"]!)));
        if (services.Length == 0)
        {
            // Without endpoints there is no endpoint security group either.
            Assert.DoesNotContain(json.Resources, r => r.Key.StartsWith("NetworkEndpointSecurityGroup", StringComparison.Ordinal));
            return;
        }

        var securityGroupId = json.LogicalId("AWS::EC2::SecurityGroup", "NetworkEndpointSecurityGroup");
        Assert.All(endpoints, e =>
        {
            var properties = e.Value["Properties"]!;
            Assert.True((bool)properties["PrivateDnsEnabled"]!);
            TemplateJson.AssertEqual($$"""[{ "Fn::GetAtt": ["{{securityGroupId}}", "GroupId"] }]""", properties["SecurityGroupIds"]);
            Assert.Equal(json.OfType("AWS::EC2::Subnet").Count, properties["SubnetIds"]!.AsArray().Count);
        });
    }

    [Fact]
    public void EndpointSecurityGroup_Rules_AllowHttpsFromTheVpcAndNoEgress()
    {
        var json = fixture.Production.Json(Stack);
        var group = json.Resources[json.LogicalId("AWS::EC2::SecurityGroup", "NetworkEndpointSecurityGroup")]!["Properties"]!;

        TemplateJson.AssertEqual($$"""
            [{ "CidrIp": "10.40.0.0/16", "Description": "HTTPS from the VPC", "FromPort": 443, "IpProtocol": "tcp", "ToPort": 443 }]
            """, group["SecurityGroupIngress"]);
        // CDK's placeholder rule for "no egress": an ICMP rule to a host address that cannot exist.
        TemplateJson.AssertEqual("""
            [{ "CidrIp": "255.255.255.255/32", "Description": "Disallow all traffic", "FromPort": 252, "IpProtocol": "icmp", "ToPort": 86 }]
            """, group["SecurityGroupEgress"]);
    }

    [Fact]
    public void DefaultSecurityGroup_AnyProfile_IsStrippedOfAllRules()
    {
        var json = fixture.Sandbox.Json(Stack);
        var vpcId = json.LogicalId("AWS::EC2::VPC", "NetworkVpc");
        var restrict = Assert.Single(json.OfType("Custom::VpcRestrictDefaultSG")).Value;

        TemplateJson.AssertEqual($$"""{ "Fn::GetAtt": ["{{vpcId}}", "DefaultSecurityGroup"] }""", restrict["Properties"]!["DefaultSecurityGroupId"]);
    }

    [Fact]
    public void IsolatedNetwork_AzCountOutOfRange_ThrowsWithAllowedRange()
    {
        var stack = new Amazon.CDK.Stack(new App(), "Test");
        var key = new Key(stack, "Key");

        var error = Assert.Throws<ArgumentException>(() => new IsolatedNetwork(stack, "Network", new IsolatedNetworkProps
        {
            AzCount = 4,
            LogsKey = key,
            FlowLogRetentionDays = 365,
        }));

        Assert.Equal("props", error.ParamName);
        Assert.StartsWith("AzCount is 4;", error.Message, StringComparison.Ordinal);
        Assert.Contains("1 to 3", error.Message, StringComparison.Ordinal);
    }

    private static string ServiceSuffix(JsonNode serviceName)
    {
        // {"Fn::Join": ["", ["com.amazonaws.", {"Ref": "AWS::Region"}, ".xray"]]}
        var parts = serviceName["Fn::Join"]![1]!.AsArray();
        return ((string?)parts[^1])!.TrimStart('.');
    }
}
