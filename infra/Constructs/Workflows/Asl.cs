using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipeline.Infra.Constructs.Workflows;

/// <summary>Amazon States Language building blocks the app's workflows share: input defaults, retries, catchers, notifications.</summary>
public static class Asl
{
    /// <summary>How definitions are written (deploy-time tokens and intrinsics stay readable).</summary>
    public static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The state every failure goes to: publish it to the alarm topic, then fail.</summary>
    public const string NotifyFailure = "NotifyFailure";

    /// <summary>Errors of an SNS publish worth retrying.</summary>
    internal static readonly string[] SnsTransientErrors = ["SNS.SdkClientException", "SNS.AmazonSNSException"];

    /// <summary>Errors of the Lambda service worth retrying (Step Functions developer guide, "Handling errors").</summary>
    internal static readonly string[] LambdaTransientErrors =
        ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException"];

    /// <summary>Errors of Athena worth retrying.</summary>
    internal static readonly string[] AthenaTransientErrors = ["Athena.TooManyRequestsException", "Athena.InternalServerException"];

    /// <summary>
    /// Errors of the SageMaker SDK integration's read calls worth retrying: throttling and other unmodelled service errors
    /// come as the service's base exception.
    /// </summary>
    internal static readonly string[] SageMakerReadErrors = ["SageMaker.SageMakerException", "SageMaker.ThrottlingException"];

    /// <summary>
    /// Two states, <c>ReadInput</c> and <c>MergeInput</c>, that leave <c>$.request</c> = the execution input merged over
    /// <paramref name="defaults"/>. Defaults are static values merged by path: an intrinsic's string literal would have to
    /// escape every brace and quote of a JSON default.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, JsonNode?>> InputWithDefaults(string comment, JsonObject defaults, string next) =>
    [
        new("ReadInput", new JsonObject
        {
            ["Type"] = "Pass",
            ["Comment"] = comment,
            ["Parameters"] = new JsonObject { ["defaults"] = defaults, ["input.$"] = "$$.Execution.Input" },
            ["Next"] = "MergeInput",
        }),
        new("MergeInput", new JsonObject
        {
            ["Type"] = "Pass",
            ["Parameters"] = new JsonObject { ["request.$"] = "States.JsonMerge($.defaults, $.input, false)" },
            ["Next"] = next,
        }),
    ];

    /// <summary>Adds a retrier for <paramref name="errors"/>: six attempts (or <paramref name="maxAttempts"/>), two seconds doubling, full jitter.</summary>
    public static JsonObject Retrying(JsonObject task, IEnumerable<string> errors, int maxAttempts = 6)
    {
        ArgumentNullException.ThrowIfNull(task);
        task["Retry"] = new JsonArray(new JsonObject
        {
            ["ErrorEquals"] = new JsonArray([.. errors.Select(e => (JsonNode)e)]),
            ["IntervalSeconds"] = 2,
            ["MaxAttempts"] = maxAttempts,
            ["BackoffRate"] = 2,
            ["JitterStrategy"] = "FULL",
        });
        return task;
    }

    /// <summary>Adds a catcher for every error: the error goes to <c>$.error</c> and the execution to <paramref name="next"/>.</summary>
    public static JsonObject Catching(JsonObject task, string next = NotifyFailure)
    {
        ArgumentNullException.ThrowIfNull(task);
        task["Catch"] = new JsonArray(new JsonObject
        {
            ["ErrorEquals"] = new JsonArray("States.ALL"),
            ["ResultPath"] = "$.error",
            ["Next"] = next,
        });
        return task;
    }

    /// <summary>A refusal or failure with its reason, in the shape a catcher leaves (<c>$.error</c>), then notified.</summary>
    public static JsonObject Refusal(string error, string causeIntrinsic) => new()
    {
        ["Type"] = "Pass",
        ["Parameters"] = new JsonObject { ["Error"] = error, ["Cause.$"] = causeIntrinsic },
        ["ResultPath"] = "$.error",
        ["Next"] = NotifyFailure,
    };

    /// <summary>A task that publishes <paramref name="messageIntrinsic"/> to the topic, retrying SNS's transient errors.</summary>
    public static JsonObject Publish(string topicArn, string subject, string messageIntrinsic, string next) => Retrying(new JsonObject
    {
        ["Type"] = "Task",
        ["Resource"] = "arn:aws:states:::sns:publish",
        ["Parameters"] = new JsonObject { ["TopicArn"] = topicArn, ["Subject"] = subject, ["Message.$"] = messageIntrinsic },
        ["ResultPath"] = JsonValue.Create<string?>(null),
        ["Next"] = next,
    }, SnsTransientErrors);

    /// <summary>A synchronous invocation whose response lands at <c>{resultPath}.output</c>; the last state of a branch without <paramref name="next"/>.</summary>
    public static JsonObject LambdaInvoke(string functionArn, JsonObject payload, string resultPath, string? next)
    {
        var task = new JsonObject
        {
            ["Type"] = "Task",
            ["Resource"] = "arn:aws:states:::lambda:invoke",
            ["Parameters"] = new JsonObject { ["FunctionName"] = functionArn, ["Payload"] = payload },
            ["ResultSelector"] = new JsonObject { ["output.$"] = "$.Payload" },
            ["ResultPath"] = resultPath,
        };
        if (next is null)
        {
            task["End"] = true;
        }
        else
        {
            task["Next"] = next;
        }

        return task;
    }

    /// <summary>A <see cref="LambdaInvoke"/> that retries the Lambda service's transient errors and sends any failure to <see cref="NotifyFailure"/>.</summary>
    public static JsonObject LambdaTask(string functionArn, JsonObject payload, string resultPath, string next) =>
        Catching(Retrying(LambdaInvoke(functionArn, payload, resultPath, next), LambdaTransientErrors));
}
