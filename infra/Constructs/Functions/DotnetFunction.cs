using System.Text.RegularExpressions;
using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Constructs;
using Pipeline.Infra.Compliance;
using Pipeline.Infra.Constructs.Observability;

namespace Pipeline.Infra.Constructs.Functions;

/// <summary>
/// A C# Lambda function of this project, set up the one way every function here runs: an executable assembly on the
/// managed <c>dotnet10</c> runtime, arm64, X-Ray active, JSON logs to a KMS-encrypted log group with retention, in the
/// isolated subnets with a security group that admits nothing and sends only HTTPS to the VPC (the interface
/// endpoints), and a role of its own with exactly what that needs; callers grant the rest.
/// </summary>
public partial class DotnetFunction : Construct
{
    /// <summary>The managed .NET 10 runtime (CDK 2.160.0 predates it, so it is named here).</summary>
    public static readonly Runtime DotnetRuntime = new("dotnet10", RuntimeFamily.DOTNET_CORE);

    /// <summary>EC2 actions Lambda needs to attach a function to the VPC (they support no resource scoping).</summary>
    internal static readonly string[] VpcAccessActions =
    [
        "ec2:AssignPrivateIpAddresses", "ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface",
        "ec2:DescribeNetworkInterfaces", "ec2:UnassignPrivateIpAddresses",
    ];

    /// <summary>Name of the role's inline policy that lets Lambda attach the function to the VPC.</summary>
    internal const string VpcAccessPolicyName = "VpcAccess";

    /// <summary>Creates the function, its role, log group and security group.</summary>
    /// <exception cref="ArgumentException">The purpose holds characters EC2 rejects in a description.</exception>
    public DotnetFunction(Construct scope, string id, DotnetFunctionProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        if (!Ec2Description().IsMatch(props.Purpose))
        {
            throw new ArgumentException(
                $"Purpose \"{props.Purpose}\" goes into a security group description, where EC2 accepts only letters, digits, spaces and ._-:/()#,@[]+=&;{{}}!$*. Rephrase it without other characters.",
                nameof(props));
        }

        LogGroup = new EncryptedLogGroup(this, "LogGroup", new EncryptedLogGroupProps
        {
            EncryptionKey = props.LogsKey,
            RetentionDays = props.LogRetentionDays,
            RemovalPolicy = props.LogRemovalPolicy,
        });

        var securityGroup = new SecurityGroup(this, "SecurityGroup", new SecurityGroupProps
        {
            Vpc = props.Vpc,
            Description = props.ReachesS3
                ? $"{props.Purpose}: no inbound; outbound HTTPS to the VPC interface endpoints and S3"
                : $"{props.Purpose}: no inbound; outbound HTTPS to the VPC interface endpoints only",
            AllowAllOutbound = false,
        });
        if (props.Tracing)
        {
            securityGroup.AddEgressRule(Peer.Ipv4(props.Vpc.VpcCidrBlock), Port.Tcp(443), "HTTPS to interface endpoints (X-Ray)");
        }

        if (props.ReachesS3)
        {
            securityGroup.AddEgressRule(Peer.AnyIpv4(), Port.Tcp(443), "HTTPS to S3 through the gateway endpoint (the only route out)");
        }
        SecurityGroup = securityGroup;

        // An explicit role instead of CDK's default, which would attach the AWS managed basic and VPC execution policies.
        // Lambda checks the VPC permissions when the function is created, so the role is created with them attached
        // (ManagedPolicyArns): a policy resource that attaches itself to the role may not have propagated through IAM by
        // then, even with DependsOn.
        var vpcAccess = new ManagedPolicy(this, VpcAccessPolicyName, new ManagedPolicyProps
        {
            Description = $"{props.Purpose}: attach to the VPC (Lambda manages the function's network interfaces).",
            Statements = [new PolicyStatement(new PolicyStatementProps { Actions = VpcAccessActions, Resources = ["*"] })],
        });
        var role = new Role(this, "Role", new RoleProps
        {
            AssumedBy = new ServicePrincipal("lambda.amazonaws.com"),
            Description = props.Tracing ? $"{props.Purpose}: write its own logs and traces, attach to the VPC." : $"{props.Purpose}: write its own logs, attach to the VPC.",
            ManagedPolicies = [vpcAccess],
        });
        Grant.AddToPrincipal(new GrantOnPrincipalOptions
        {
            Grantee = role,
            Actions = ["logs:CreateLogStream", "logs:PutLogEvents"],
            ResourceArns = [LogGroup.LogGroup.LogGroupArn],
        });
        Role = role;

        Function = new Function(this, "Resource", new FunctionProps
        {
            Description = props.Description,
            Runtime = DotnetRuntime,
            Architecture = Architecture.ARM_64,
            Handler = props.Handler,
            Code = props.Code,
            MemorySize = props.MemorySizeMiB,
            Timeout = props.Timeout ?? Duration.Seconds(60),
            Environment = props.Environment?.ToDictionary(e => e.Key, e => e.Value),
            Tracing = props.Tracing ? Tracing.ACTIVE : Tracing.DISABLED,
            LogGroup = LogGroup.LogGroup,
            LoggingFormat = LoggingFormat.JSON,
            ApplicationLogLevelV2 = ApplicationLogLevel.INFO,
            SystemLogLevelV2 = SystemLogLevel.WARN,
            Role = role,
            Vpc = props.Vpc,
            VpcSubnets = props.Subnets,
            SecurityGroups = [securityGroup],
            ReservedConcurrentExecutions = props.Concurrency.Reserved,
        });

        const string vpcAccessReason =
            "Lambda's VPC attachment (ec2:*NetworkInterface*, ec2:AssignPrivateIpAddresses, ec2:UnassignPrivateIpAddresses) supports no resource-level permissions; AWS documents Resource \"*\" for it.";
        Suppressions.Nag((CfnResource)vpcAccess.Node.DefaultChild!, new NagSuppression("AwsSolutions-IAM5", vpcAccessReason, "Resource::*"));
        var policy = (CfnResource)role.Node.FindChild("DefaultPolicy").Node.DefaultChild!;
        const string xrayReason =
            "X-Ray trace upload (xray:PutTraceSegments, xray:PutTelemetryRecords) supports no resource-level permissions; AWS documents Resource \"*\" for it.";
        var policyWildcards = (props.Tracing, props.PolicyWildcards) switch
        {
            (true, { } wildcards) => new NagSuppression("AwsSolutions-IAM5", $"{xrayReason} {wildcards.Reason}", ["Resource::*", .. wildcards.AppliesTo]),
            (true, null) => new NagSuppression("AwsSolutions-IAM5", xrayReason, "Resource::*"),
            (false, { } wildcards) => new NagSuppression("AwsSolutions-IAM5", wildcards.Reason, [.. wildcards.AppliesTo]),
            (false, null) => null,
        };
        if (policyWildcards is not null)
        {
            Suppressions.Nag(policy, policyWildcards);
        }

        // The dead-letter queue rule of every pack that has one: the function is only ever invoked synchronously.
        List<NagSuppression> functionFindings =
        [
            new("Serverless-LambdaDLQ", props.SynchronousInvocation),
            new("HIPAA.Security-LambdaDLQ", props.SynchronousInvocation),
            new("NIST.800.53.R5-LambdaDLQ", props.SynchronousInvocation),
        ];
        if (props.Concurrency.Reserved is null)
        {
            var reason = props.Concurrency.Unreserved
                ?? throw new ArgumentException($"Function {Node.Path} reserves no concurrency and gives no reason: use FunctionConcurrency.Reserve(n) or FunctionConcurrency.None(reason).", nameof(props));
            functionFindings.Add(new("HIPAA.Security-LambdaConcurrency", reason));
            functionFindings.Add(new("NIST.800.53.R5-LambdaConcurrency", reason));
        }

        if (!props.Tracing)
        {
            functionFindings.Add(new("Serverless-LambdaTracing",
                "Tracing is off by configuration (network.tracing=false, the sandbox default): the X-Ray interface endpoint the function would need in its isolated subnets costs more than the rest of an idle sandbox. CloudWatch Logs (JSON, with the request id) and metrics still record every invocation; -c network.tracing=true turns tracing and the endpoint on."));
        }

        Suppressions.Nag((CfnResource)Function.Node.DefaultChild!, [.. functionFindings]);
    }

    /// <summary>The function.</summary>
    public IFunction Function { get; }

    /// <summary>The function's role; grant it what the function's own work needs.</summary>
    public IRole Role { get; }

    /// <summary>The function's log group.</summary>
    public EncryptedLogGroup LogGroup { get; }

    /// <summary>The function's security group.</summary>
    public ISecurityGroup SecurityGroup { get; }

    /// <summary>The number of invocations (sum over the period).</summary>
    public Amazon.CDK.AWS.CloudWatch.Metric MetricInvocations(Amazon.CDK.AWS.CloudWatch.IMetricOptions? options = null) => Function.MetricInvocations(options);

    /// <summary>How long invocations ran (average over the period unless a statistic is given).</summary>
    public Amazon.CDK.AWS.CloudWatch.Metric MetricDuration(Amazon.CDK.AWS.CloudWatch.IMetricOptions? options = null) => Function.MetricDuration(options);

    /// <summary>The number of invocations that failed (errors the function threw, or the runtime reported).</summary>
    public Amazon.CDK.AWS.CloudWatch.Metric MetricErrors(Amazon.CDK.AWS.CloudWatch.IMetricOptions? options = null) => Function.MetricErrors(options);

    /// <summary>The number of invocations Lambda throttled.</summary>
    public Amazon.CDK.AWS.CloudWatch.Metric MetricThrottles(Amazon.CDK.AWS.CloudWatch.IMetricOptions? options = null) => Function.MetricThrottles(options);

    // EC2's documented character set for security group descriptions.
    [GeneratedRegex(@"^[a-zA-Z0-9. _\-:/()#,@\[\]+=&;{}!$*]*$")]
    private static partial Regex Ec2Description();
}
