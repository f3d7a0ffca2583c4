using Amazon.CDK;
using Amazon.CDK.AWS.Lambda;
using Amazon.JSII.Runtime.Deputy;
using Constructs;

namespace Pipeline.Infra.Compliance;

/// <summary>
/// Pins every CDK-provided Node.js Lambda function (custom-resource providers such as the default-security-group
/// restriction and the bucket auto-delete) to a Node.js runtime AWS Lambda still lets you create. Amazon.CDK.Lib
/// 2.160.0 writes these runtimes as a <c>LatestNodeRuntimeMap</c> lookup that resolves to <c>nodejs20.x</c> (and
/// <c>nodejs18.x</c> in China), which Lambda no longer creates, so the stacks would fail to deploy. Applied to every
/// construct of the composed app (<see cref="PipelineApp"/>), or as an aspect; the deployability gate checks the result
/// against AWS's runtime table.
/// </summary>
/// <remarks>
/// jsii calls back only into objects it knows, hence <see cref="DeputyBase"/>. Functions the app defines itself (the
/// .NET ones) are left alone: only Node.js runtimes and CDK's raw provider resources are rewritten.
/// </remarks>
public sealed class ProviderNodeRuntime : DeputyBase, IAspect
{
    /// <summary>
    /// The Node.js runtime CDK-provided functions run on: the newest one (deprecation 2028-04-30, see
    /// tests/deploy-gate/lambda-runtimes.json). CDK 2.160's provider handlers are async functions that use only Node
    /// built-ins and the AWS SDK for JavaScript v3 the runtime ships, so they need none of what Node.js 24 dropped
    /// (callback-style handlers).
    /// </summary>
    public const string Runtime = "nodejs24.x";

    /// <inheritdoc />
    public void Visit(IConstruct node)
    {
        // The exact type first: reading CfnResourceType of every other L1 would be a call into the jsii kernel each.
        var resource = node as CfnFunction ?? (node.GetType() == typeof(CfnResource) ? (CfnResource)node : null);
        if (resource is not { CfnResourceType: "AWS::Lambda::Function" })
        {
            return;
        }

        if (resource is CfnFunction function)
        {
            // A token is CDK's runtime lookup; a literal nodejs runtime is an older provider's fixed choice.
            if (function.Runtime is not { } runtime || !(Token.IsUnresolved(runtime) || runtime.StartsWith("nodejs", StringComparison.Ordinal)))
            {
                return;
            }

            function.Runtime = Runtime;
        }
        else
        {
            // A raw CfnResource function is CDK's CustomResourceProvider, whose handler is always Node.js.
            resource.AddPropertyOverride("Runtime", Runtime);
        }

        // Nothing refers to CDK's runtime map any more; an unreferenced mapping is a template defect (cfn-lint W7001).
        Stack.Of(resource).Node.TryRemoveChild(RuntimeMapId);
    }

    /// <summary>The construct id of the mapping CDK 2.160 writes for its Node.js runtime lookup.</summary>
    internal const string RuntimeMapId = "LatestNodeRuntimeMap";
}
