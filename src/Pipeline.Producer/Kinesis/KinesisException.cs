using System.Net;

namespace Pipeline.Producer.Kinesis;

/// <summary>A Kinesis call that failed as a whole, with the service's error code.</summary>
public sealed class KinesisException : Exception
{
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
    public KinesisException(string message, string errorCode, HttpStatusCode statusCode)
        : base(message)
    {
        ErrorCode = errorCode;
        StatusCode = statusCode;
    }

    /// <summary>The error's type, e.g. <c>ResourceNotFoundException</c>.</summary>
    public string ErrorCode { get; }

    /// <summary>The HTTP status of the response.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>Whether the stream (or another named resource) does not exist.</summary>
    public bool IsNotFound => ErrorCode == "ResourceNotFoundException";

    /// <summary>Whether the call was throttled: retrying later may succeed.</summary>
    public bool IsThrottling => ErrorCode is "ProvisionedThroughputExceededException" or "LimitExceededException" or "ThrottlingException"
        || StatusCode == HttpStatusCode.TooManyRequests;

    /// <summary>Whether the service failed on its side: retrying may succeed.</summary>
    public bool IsServerError => (int)StatusCode >= 500;

    /// <summary>Whether the credentials were refused.</summary>
    public bool IsAccessDenied => ErrorCode is "AccessDeniedException" or "UnrecognizedClientException" or "ExpiredTokenException"
        or "InvalidSignatureException" or "IncompleteSignatureException" or "MissingAuthenticationTokenException";
}
