using System.Net;

namespace Pipeline.Lambda.Runtime;

/// <summary>
/// The Runtime API answered a call in a way the runtime cannot continue from (an unexpected status, a missing
/// header). The runtime lets it end the process: the API documents 500 as "non-recoverable, exit promptly", and
/// Lambda starts a new execution environment.
/// </summary>
public sealed class LambdaRuntimeApiException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LambdaRuntimeApiException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public LambdaRuntimeApiException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public LambdaRuntimeApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for an unexpected HTTP status.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="statusCode">The status the Runtime API answered with.</param>
    public LambdaRuntimeApiException(string message, HttpStatusCode statusCode)
        : base(message)
    {
        StatusCode = statusCode;
    }

    /// <summary>The HTTP status the Runtime API answered with, when that was the problem.</summary>
    public HttpStatusCode? StatusCode { get; }
}
