using System.Net;

namespace Pipeline.Producer.Kinesis;

/// <summary>
/// A Kinesis call that failed as a whole: the service's error code and HTTP status, or, for an answer that is not a
/// Kinesis answer (<see cref="IsUnexpectedResponse"/>), what came back instead.
/// </summary>
public sealed class KinesisException : Exception
{
    /// <summary>The code of an answer that is not a Kinesis answer: a body that is not the API's JSON, or lacks its fields.</summary>
    public const string UnexpectedResponse = "UnexpectedResponse";

    /// <summary>Creates the exception.</summary>
    public KinesisException()
        : this("The Kinesis call failed.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public KinesisException(string message)
        : this(message, "Unknown", HttpStatusCode.InternalServerError)
    {
    }

    /// <summary>Creates the exception.</summary>
    public KinesisException(string message, Exception innerException)
        : base(message, innerException)
    {
        ErrorCode = "Unknown";
    }

    /// <summary>Creates the exception with the service's error code and status.</summary>
    public KinesisException(string message, string errorCode, HttpStatusCode statusCode, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorCode = errorCode;
        StatusCode = statusCode;
    }

    /// <summary>The error's type, e.g. <c>ResourceNotFoundException</c>, or <see cref="UnexpectedResponse"/>.</summary>
    public string ErrorCode { get; }

    /// <summary>The HTTP status of the response.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>Whether the stream (or another named resource) does not exist.</summary>
    public bool IsNotFound => ErrorCode == "ResourceNotFoundException";

    /// <summary>
    /// Whether the call was throttled, by the stream or by its KMS key (PutRecords' documented errors): retrying later
    /// may succeed.
    /// </summary>
    public bool IsThrottling => ErrorCode is "ProvisionedThroughputExceededException" or "LimitExceededException" or "ThrottlingException"
        or "KMSThrottlingException" || StatusCode == HttpStatusCode.TooManyRequests;

    /// <summary>
    /// Whether the service failed on its side, or the stream's KMS key is briefly unusable (KMSInvalidStateException: a key
    /// being updated or a custom key store reconnecting): retrying may succeed.
    /// </summary>
    public bool IsTransient => (int)StatusCode >= 500 || ErrorCode is "InternalFailure" or "InternalFailureException"
        or "ServiceUnavailable" or "ServiceUnavailableException" or "KMSInvalidStateException" or "RequestTimeout" or "RequestTimeoutException";

    /// <summary>Whether the credentials expired: asking the credential chain again may give fresh ones.</summary>
    public bool IsExpiredCredentials => ErrorCode is "ExpiredTokenException" or "ExpiredToken" or "RequestExpired";

    /// <summary>Whether AWS refused the credentials, or the permissions on the stream or its KMS key.</summary>
    public bool IsAccessDenied => IsExpiredCredentials || ErrorCode is "AccessDeniedException" or "UnrecognizedClientException"
        or "InvalidSignatureException" or "IncompleteSignatureException" or "MissingAuthenticationTokenException"
        or "KMSAccessDeniedException" or "KMSDisabledException" or "KMSNotFoundException" or "KMSOptInRequired";

    /// <summary>Whether the answer was not a Kinesis answer at all (another kind of server, or a garbled body).</summary>
    public bool IsUnexpectedResponse => ErrorCode == UnexpectedResponse;
}
