using System.Text.Json.Nodes;
using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Constructs;

[Collection(CdkCollection.Name)]
public sealed class TransformFunctionTests(AppFixture fixture)
{
    private const string Stack = "Ingestion";

    [Theory]
    [InlineData("sandbox")]
    [InlineData("production")]
    public void Function_Runtime_ManagedDotnet10OnArm64WithJsonLogsAndTracingWhereConfigured(string profile)
    {
        var json = fixture.ByName(profile).Json(Stack);
        var tracing = fixture.ByName(profile).Settings.Network.Tracing ? """{ "Mode": "Active" }""" : null;
        var properties = Function(json).DeepClone().AsObject();
        Assert.False(string.IsNullOrWhiteSpace((string?)properties["Description"]));
        properties.Remove("Description");
        properties.Remove("Tags");
        properties.Remove("Code");
        properties.Remove("VpcConfig");

        TemplateJson.AssertEqual($$"""
            {
              "Architectures": ["arm64"],
              "Handler": "Pipeline.Transform",
              "LoggingConfig": { "ApplicationLogLevel": "INFO", "LogFormat": "JSON", "LogGroup": { "Ref": "{{json.LogicalId("AWS::Logs::LogGroup", "TransformLogGroup")}}" }, "SystemLogLevel": "WARN" },
              "MemorySize": 1024,
              "Role": { "Fn::GetAtt": ["{{json.LogicalId("AWS::IAM::Role", "TransformRole")}}", "Arn"] },
              "Runtime": "dotnet10",
              "Timeout": 60
            }
            """.Replace("\"Timeout\": 60", tracing is null ? "\"Timeout\": 60" : $"\"Timeout\": 60, \"TracingConfig\": {tracing}", StringComparison.Ordinal), properties);
    }

    [Theory]
    [InlineData("sandbox")]
    [InlineData("production")]
    public void Function_Network_InEveryIsolatedSubnetWithItsOwnSecurityGroup(string profile)
    {
        var json = fixture.ByName(profile).Json(Stack);
        var subnets = fixture.ByName(profile).Settings.Network.AzCount;
        var vpcConfig = Function(json)["VpcConfig"]!;

        TemplateJson.AssertEqual($$"""[{ "Fn::GetAtt": ["{{json.LogicalId("AWS::EC2::SecurityGroup", "TransformSecurityGroup")}}", "GroupId"] }]""",
            vpcConfig["SecurityGroupIds"]);
        var imports = vpcConfig["SubnetIds"]!.AsArray().Select(s => (string)s!["Fn::ImportValue"]!).ToList();
        Assert.Equal(subnets, imports.Count);
        Assert.All(imports.Select((name, i) => (name, i)), x =>
            Assert.StartsWith($"mlpipe-{profile}-security-baseline:ExportsOutputRefNetworkVpcIsolatedSubnet{x.i + 1}Subnet", x.name, StringComparison.Ordinal));
    }

    [Fact]
    public void SecurityGroup_Tracing_NoInboundAndHttpsToTheVpcOnly()
    {
        var json = fixture.Production.Json(Stack);
        var group = json.Resources[json.LogicalId("AWS::EC2::SecurityGroup", "TransformSecurityGroup")]!["Properties"]!;

        Assert.Null(group["SecurityGroupIngress"]);
        TemplateJson.AssertEqual($$"""
            [{ "CidrIp": {{Exports.Import("production", "security-baseline", "ExportsOutputFnGetAttNetworkVpc7FB7348FCidrBlock4A3584D8")}},
               "Description": "HTTPS to interface endpoints (X-Ray)", "FromPort": 443, "IpProtocol": "tcp", "ToPort": 443 }]
            """, group["SecurityGroupEgress"]);
    }

    [Fact]
    public void SecurityGroup_NoTracing_NoInboundAndNoWayOut()
    {
        var json = fixture.Sandbox.Json(Stack);
        var group = json.Resources[json.LogicalId("AWS::EC2::SecurityGroup", "TransformSecurityGroup")]!["Properties"]!;

        Assert.Null(group["SecurityGroupIngress"]);
        // The CDK's placeholder for "no egress": a rule that matches nothing.
        TemplateJson.AssertEqual("""
            [{ "CidrIp": "255.255.255.255/32", "Description": "Disallow all traffic", "FromPort": 252, "IpProtocol": "icmp", "ToPort": 86 }]
            """, group["SecurityGroupEgress"]);
    }

    [Theory]
    [InlineData("sandbox")]
    [InlineData("production")]
    public void Role_Policies_OwnLogsVpcAttachmentAndTracesWhereConfiguredOnlyInItsOwnCustomerManagedPolicies(string profile)
    {
        var json = fixture.ByName(profile).Json(Stack);
        var traces = fixture.ByName(profile).Settings.Network.Tracing;
        var roleId = json.LogicalId("AWS::IAM::Role", "TransformRole");
        var xray = traces ? """, { "Action": ["xray:PutTelemetryRecords", "xray:PutTraceSegments"], "Effect": "Allow", "Resource": "*" }""" : string.Empty;
        var policy = json.SingleOf("AWS::IAM::ManagedPolicy", p => (string?)p["Properties"]!["Roles"]?[0]?["Ref"] == roleId).Value;

        TemplateJson.AssertEqual($$"""
            {
              "Statement": [
                { "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Effect": "Allow", "Resource": { "Fn::GetAtt": ["{{json.LogicalId("AWS::Logs::LogGroup", "TransformLogGroup")}}", "Arn"] } }{{xray}}
              ],
              "Version": "2012-10-17"
            }
            """, policy["Properties"]!["PolicyDocument"]);
        TemplateJson.AssertEqual($$"""[{ "Ref": "{{json.LogicalId("AWS::IAM::ManagedPolicy", "TransformVpcAccess")}}" }]""", json.Resources[roleId]!["Properties"]!["ManagedPolicyArns"]);
        Assert.Null(json.Resources[roleId]!["Properties"]!["Policies"]);
    }

    [Fact]
    public void Role_VpcAttachment_AttachedWhenTheRoleIsCreatedSoLambdaSeesItAtCreation()
    {
        var json = fixture.Sandbox.Json(Stack);
        var vpcAccess = json.Resources[json.LogicalId("AWS::IAM::ManagedPolicy", "TransformVpcAccess")]!["Properties"]!;

        TemplateJson.AssertEqual("""
            {
              "Statement": [{
                "Action": ["ec2:AssignPrivateIpAddresses", "ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:DescribeNetworkInterfaces",
                           "ec2:UnassignPrivateIpAddresses"],
                "Effect": "Allow",
                "Resource": "*"
              }],
              "Version": "2012-10-17"
            }
            """, vpcAccess["PolicyDocument"]);
        // Attached through the role's own ManagedPolicyArns (in place when the role is), not by the policy naming the role.
        Assert.Null(vpcAccess["Roles"]);
        Assert.Equal(
            json.LogicalId("AWS::IAM::ManagedPolicy", "TransformVpcAccess"),
            (string?)json.Resources[json.LogicalId("AWS::IAM::Role", "TransformRole")]!["Properties"]!["ManagedPolicyArns"]![0]!["Ref"]);
    }

    [Theory]
    [InlineData("sandbox")]
    [InlineData("production")]
    public void LogGroup_Profile_EncryptedWithLogsKeyAndRetention(string profile)
    {
        var json = fixture.ByName(profile).Json(Stack);
        var days = fixture.ByName(profile).Settings.Retention.LogDays;
        var deletionPolicy = fixture.ByName(profile).DeletionPolicy;
        var logGroup = json.Resources[json.LogicalId("AWS::Logs::LogGroup", "TransformLogGroup")]!;

        TemplateJson.AssertEqual(Exports.LogsKeyArn(profile), logGroup["Properties"]!["KmsKeyId"]);
        Assert.Equal(days, (int)logGroup["Properties"]!["RetentionInDays"]!);
        Assert.Equal(deletionPolicy, (string?)logGroup["DeletionPolicy"]);
    }

    private static JsonObject Function(TemplateJson json) =>
        Assert.Single(json.OfType("AWS::Lambda::Function")).Value["Properties"]!.AsObject();
}
