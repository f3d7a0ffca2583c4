using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.Lambda;
using Pipeline.Infra.Constructs.Functions;
using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Constructs;

[Collection(CdkCollection.Name)]
public sealed class DotnetFunctionTests
{
    [Fact]
    public void DotnetFunction_PurposeEc2WouldReject_ThrowsNamingTheAllowedCharacters()
    {
        var stack = new Amazon.CDK.Stack(new App(), "Test");

        var error = Assert.Throws<ArgumentException>(() => new DotnetFunction(stack, "Fn", Props(stack, "The VPC's function")));

        Assert.Equal("props", error.ParamName);
        Assert.Contains("Purpose \"The VPC's function\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("._-:/()#,@[]+=&;{}!$*", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DotnetFunction_Environment_PassedToTheFunctionWithTheManagedDotnetRuntime()
    {
        var stack = new Amazon.CDK.Stack(new App(), "Test");
        _ = new DotnetFunction(stack, "Fn", Props(stack, "Test function") with
        {
            Environment = new Dictionary<string, string> { ["LAKE_BUCKET"] = "lake" },
        });

        var function = Assert.Single(TemplateJson.FromStack(stack).OfType("AWS::Lambda::Function")).Value["Properties"]!;

        TemplateJson.AssertEqual("""{ "Variables": { "LAKE_BUCKET": "lake" } }""", function["Environment"]);
        Assert.Equal("dotnet10", (string?)function["Runtime"]);
        Assert.Equal("Test.Handler", (string?)function["Handler"]);
        Assert.Equal(512, (int)function["MemorySize"]!);
    }

    [Fact]
    public void Concurrency_Reserved_SetOnTheFunctionWithoutAConcurrencySuppression()
    {
        var stack = new Amazon.CDK.Stack(new App(), "Test");
        _ = new DotnetFunction(stack, "Fn", Props(stack, "Test function"));

        var function = Assert.Single(TemplateJson.FromStack(stack).OfType("AWS::Lambda::Function")).Value;

        Assert.Equal(2, (int)function["Properties"]!["ReservedConcurrentExecutions"]!);
        Assert.DoesNotContain("LambdaConcurrency", function["Metadata"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Concurrency_None_UnreservedWithTheReasonForBothPacksThatAskForIt()
    {
        var stack = new Amazon.CDK.Stack(new App(), "Test");
        _ = new DotnetFunction(stack, "Fn", Props(stack, "Test function") with { Concurrency = FunctionConcurrency.None("The test function needs no reserved concurrency at all.") });

        var function = Assert.Single(TemplateJson.FromStack(stack).OfType("AWS::Lambda::Function")).Value;
        var rules = function["Metadata"]!["cdk_nag"]!["rules_to_suppress"]!.AsArray()
            .Where(r => ((string)r!["id"]!).EndsWith("-LambdaConcurrency", StringComparison.Ordinal))
            .Select(r => ((string?)r!["id"], (string?)r["reason"]));

        Assert.Null(function["Properties"]!["ReservedConcurrentExecutions"]);
        Assert.Equal(
            [("HIPAA.Security-LambdaConcurrency", "The test function needs no reserved concurrency at all."), ("NIST.800.53.R5-LambdaConcurrency", "The test function needs no reserved concurrency at all.")],
            rules);
    }

    [Fact]
    public void Concurrency_ReserveNone_RefusedSayingWhatToUseInstead()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => FunctionConcurrency.Reserve(0));

        Assert.Equal("executions", error.ParamName);
        Assert.Contains("FunctionConcurrency.None", error.Message, StringComparison.Ordinal);
    }

    private static DotnetFunctionProps Props(Amazon.CDK.Stack stack, string purpose)
    {
        var vpc = new Vpc(stack, "Vpc", new VpcProps
        {
            MaxAzs = 1,
            SubnetConfiguration = [new SubnetConfiguration { Name = "isolated", SubnetType = SubnetType.PRIVATE_ISOLATED }],
        });
        return new DotnetFunctionProps
        {
            Code = Code.FromBucket(Amazon.CDK.AWS.S3.Bucket.FromBucketName(stack, "Artifacts", "artifacts"), "fn.zip"),
            Handler = "Test.Handler",
            Description = "A test function.",
            Purpose = purpose,
            SynchronousInvocation = "Invoked synchronously by the test; nothing to dead-letter.",
            Concurrency = FunctionConcurrency.Reserve(2),
            Vpc = vpc,
            Subnets = new SubnetSelection { SubnetType = SubnetType.PRIVATE_ISOLATED },
            LogsKey = new Key(stack, "Key"),
            LogRetentionDays = 365,
        };
    }
}
