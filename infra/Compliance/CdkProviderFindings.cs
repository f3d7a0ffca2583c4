using Amazon.CDK;
using Constructs;

namespace Pipeline.Infra.Compliance;

/// <summary>
/// Accepts, with reasons, the findings on CDK-managed custom-resource providers (one singleton per stack): Lambda
/// functions that CloudFormation invokes only while it deploys the stack, which handle no pipeline data. CDK owns their
/// role (with AWSLambdaBasicExecutionRole), runtime and placement, so the findings cannot be fixed in this app.
/// </summary>
internal static class CdkProviderFindings
{
    /// <summary>Suppresses the provider's findings once per stack; a no-op when the provider is absent or already handled.</summary>
    /// <param name="scope">Any construct in the stack.</param>
    /// <param name="providerId">The provider's construct id at stack level, e.g. <c>Custom::S3AutoDeleteObjectsCustomResourceProvider</c>.</param>
    /// <param name="purpose">What the provider does and may touch, for the reviewer (a full sentence).</param>
    /// <param name="inlinePolicies">Whether CDK writes the provider's permissions inline in its role (beyond the managed basic execution policy).</param>
    public static void Accept(Construct scope, string providerId, string purpose, bool inlinePolicies)
    {
        if (Stack.Of(scope).Node.TryFindChild(providerId) is not Construct provider ||
            provider.Node.TryFindChild("Role") is not CfnResource role ||
            provider.Node.TryFindChild("Handler") is not CfnResource handler ||
            role.GetMetadata("cdk_nag") is not null)
        {
            return;
        }

        var inlinePolicy = $"CDK writes this helper's role with its permissions inline and offers no way to change that; the role belongs to the helper alone. {purpose}";
        NagSuppression[] roleFindings =
        [
            new("AwsSolutions-IAM4",
                $"CDK-managed deployment helper: AWSLambdaBasicExecutionRole only lets it write its own CloudWatch logs. {purpose}",
                "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"),
        ];
        Suppressions.Nag(role, inlinePolicies
            ? [.. roleFindings, new("HIPAA.Security-IAMNoInlinePolicy", inlinePolicy), new("NIST.800.53.R5-IAMNoInlinePolicy", inlinePolicy), new("PCI.DSS.321-IAMNoInlinePolicy", inlinePolicy)]
            : roleFindings);
        const string synchronous = "Invoked synchronously by CloudFormation while deploying; a failure fails the stack operation, so there is no asynchronous event to dead-letter.";
        const string concurrency = "Deployment-time helper CloudFormation invokes once per stack change; a reservation would only take concurrency from the account's pool for a function that is idle between deployments.";
        var outsideVpc = $"Deployment-time CDK helper that calls AWS APIs the isolated VPC has no route to; it handles no pipeline data. {purpose}";
        Suppressions.Nag(handler,
            new NagSuppression("Serverless-LambdaDLQ", synchronous),
            new NagSuppression("HIPAA.Security-LambdaDLQ", synchronous),
            new NagSuppression("NIST.800.53.R5-LambdaDLQ", synchronous),
            new NagSuppression("HIPAA.Security-LambdaConcurrency", concurrency),
            new NagSuppression("NIST.800.53.R5-LambdaConcurrency", concurrency),
            new NagSuppression("HIPAA.Security-LambdaInsideVPC", outsideVpc),
            new NagSuppression("NIST.800.53.R5-LambdaInsideVPC", outsideVpc),
            new NagSuppression("PCI.DSS.321-LambdaInsideVPC", outsideVpc),
            new NagSuppression("Serverless-LambdaTracing",
                "Deployment-time helper that runs once per stack change and serves no requests; there is no request path to trace."));
        Suppressions.Controls(handler, new ControlSuppression("CT.LAMBDA.PR.3", outsideVpc));
    }
}
