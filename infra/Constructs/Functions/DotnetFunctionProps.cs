using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.Lambda;

namespace Pipeline.Infra.Constructs.Functions;

/// <summary>Properties of <see cref="DotnetFunction"/>.</summary>
public record DotnetFunctionProps
{
    /// <summary>The function's code (see <see cref="DotnetFunctionCode"/>).</summary>
    public required Code Code { get; init; }

    /// <summary>
    /// The handler: the name of the executable assembly whose <c>Main</c> serves the Lambda Runtime API
    /// (<c>lambdas/README.md</c>), e.g. <c>Pipeline.Transform</c>.
    /// </summary>
    public required string Handler { get; init; }

    /// <summary>What the function does, for the console and the template.</summary>
    public required string Description { get; init; }

    /// <summary>
    /// Who the function is, in the descriptions of its role and security group, e.g. <c>Firehose transform Lambda</c>.
    /// EC2 accepts only letters, digits, spaces and <c>._-:/()#,@[]+=&amp;;{}!$*</c>.
    /// </summary>
    public required string Purpose { get; init; }

    /// <summary>
    /// Who invokes the function synchronously and what happens to a failed invocation (the reason why no dead-letter
    /// queue is attached), as a full sentence.
    /// </summary>
    public required string SynchronousInvocation { get; init; }

    /// <summary>The concurrent executions reserved for the function, or why none are.</summary>
    public required FunctionConcurrency Concurrency { get; init; }

    /// <summary>The VPC whose isolated subnets the function runs in.</summary>
    public required IVpc Vpc { get; init; }

    /// <summary>The subnets to place the function in.</summary>
    public required SubnetSelection Subnets { get; init; }

    /// <summary>Key for the function's log group.</summary>
    public required IKey LogsKey { get; init; }

    /// <summary>Log retention in days (a CloudWatch Logs value of at least a year).</summary>
    public required int LogRetentionDays { get; init; }

    /// <summary>What happens to the log group when the stack is deleted.</summary>
    /// <value>Default: <see cref="RemovalPolicy.RETAIN"/>.</value>
    public RemovalPolicy LogRemovalPolicy { get; init; } = RemovalPolicy.RETAIN;

    /// <summary>Memory in MiB; CPU scales with it.</summary>
    /// <value>Default: 512 MiB, the size AWS's .NET templates use for small functions.</value>
    public int MemorySizeMiB { get; init; } = 512;

    /// <summary>Invocation timeout.</summary>
    /// <value>Default: 60 seconds.</value>
    public Duration? Timeout { get; init; }

    /// <summary>
    /// Whether the function calls Amazon S3 (through the VPC's S3 gateway endpoint). The endpoint's route is an
    /// AWS-managed prefix list whose ID CloudFormation cannot resolve, so the security group then also allows HTTPS to
    /// any address: in the isolated subnets the only routes are the VPC itself and that endpoint.
    /// </summary>
    /// <value>Default: false (HTTPS to the VPC's interface endpoints only).</value>
    public bool ReachesS3 { get; init; }

    /// <summary>
    /// Wildcard resources the caller's grants will add to the role's policy (e.g. object keys under a lake zone), with
    /// the reason a reviewer accepts them; they are suppressed together with the role's own (X-Ray).
    /// </summary>
    /// <value>Default: none.</value>
    public PolicyWildcards? PolicyWildcards { get; init; }

    /// <summary>Environment variables of the function.</summary>
    /// <value>Default: none.</value>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>
    /// Traces the function to X-Ray (active tracing); the VPC needs an X-Ray interface endpoint for the segments. When
    /// false, the function does not trace and has no route to the VPC's interface endpoints.
    /// </summary>
    /// <value>Default: true.</value>
    public bool Tracing { get; init; } = true;
}

/// <summary>Wildcard resources a function's grants add to its role's policy, and why they are acceptable.</summary>
/// <param name="Reason">Why the wildcards cannot be narrower (a full sentence).</param>
/// <param name="AppliesTo">The cdk-nag finding ids, e.g. <c>regex:/^Resource::.*\/training\/\*$/</c>.</param>
public sealed record PolicyWildcards(string Reason, params string[] AppliesTo);

/// <summary>The concurrency a function has reserved (<c>ReservedConcurrentExecutions</c>), or why it draws on the account's pool.</summary>
/// <param name="Reserved">Concurrent executions reserved for the function; null for none.</param>
/// <param name="Unreserved">Why none are reserved (a full sentence), when <paramref name="Reserved"/> is null.</param>
public sealed record FunctionConcurrency(int? Reserved, string? Unreserved)
{
    /// <summary><paramref name="executions"/> concurrent executions reserved (at least 1).</summary>
    public static FunctionConcurrency Reserve(int executions) =>
        executions >= 1 ? new(executions, null) : throw new ArgumentOutOfRangeException(nameof(executions), executions, "Reserve at least one execution, or use FunctionConcurrency.None with the reason.");

    /// <summary>None reserved, for <paramref name="reason"/>.</summary>
    public static FunctionConcurrency None(string reason) => new(null, reason);

    /// <summary>
    /// What a workflow function gets from <c>functions.reservedConcurrency</c>: that many executions, or, for 0, none,
    /// because a new account's quota may leave nothing to reserve.
    /// </summary>
    public static FunctionConcurrency ForWorkflow(int configured) => configured > 0
        ? Reserve(configured)
        : None("No concurrency is reserved (functions.reservedConcurrency=0, the sandbox default): Lambda keeps at least 100 of an account's concurrency unreserved and new accounts start with a reduced quota, so a reservation can fail the deployment in a new account. Step Functions retries a throttled invocation (Lambda.TooManyRequestsException); -c functions.reservedConcurrency=N reserves N in an account whose quota allows it.");
}
