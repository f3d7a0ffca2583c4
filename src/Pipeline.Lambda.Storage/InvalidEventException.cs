namespace Pipeline.Lambda.Storage;

/// <summary>
/// The invocation's input is not what the function accepts (malformed JSON, a missing or mistyped field, an unknown
/// action, an invalid value, a malformed AWS API document). The message says what was expected. The runtime posts it as
/// the invocation error with the type <c>InvalidEventException</c>; retrying the same input cannot succeed.
/// </summary>
public sealed class InvalidEventException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InvalidEventException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What was wrong and what was expected.</param>
    public InvalidEventException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the cause.</summary>
    /// <param name="message">What was wrong and what was expected.</param>
    /// <param name="innerException">The cause.</param>
    public InvalidEventException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
