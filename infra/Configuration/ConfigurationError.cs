using Pipeline.Schema;

namespace Pipeline.Infra.Configuration;

/// <summary>One problem with the configuration: what kind, which key, what value, what is allowed and how to fix it.</summary>
/// <param name="Code">The kind of problem, for code that acts on it; the message words it.</param>
/// <param name="Key">The context key (or keys, joined with " and ") at fault.</param>
/// <param name="Value">The offending value as given, or null when the problem is the combination of values.</param>
/// <param name="Problem">What is wrong, in one sentence.</param>
/// <param name="Allowed">What would be accepted.</param>
/// <param name="Fix">What the user should do.</param>
public sealed record ConfigurationError(ConfigurationErrorCode Code, string Key, string? Value, string Problem, string Allowed, string Fix)
{
    /// <summary>
    /// The full message: <c>key = "value": problem Allowed: ... Fix: ...</c>. Key and value come from the user, so they
    /// are echoed through <see cref="SafeText.Echo"/> (control characters escaped, long values cut).
    /// </summary>
    public string Message => Value is null
        ? $"{SafeText.Echo(Key)}: {Problem} Allowed: {Allowed}. Fix: {Fix}"
        : $"{SafeText.Echo(Key)} = \"{SafeText.Echo(Value)}\": {Problem} Allowed: {Allowed}. Fix: {Fix}";

    /// <inheritdoc />
    public override string ToString() => Message;
}

/// <summary>Thrown when the configuration is invalid; carries every problem found, not only the first.</summary>
public sealed class ConfigurationException : Exception
{
    /// <summary>Creates the exception from the problems found.</summary>
    public ConfigurationException(IReadOnlyList<ConfigurationError> errors)
        : base(Format(errors))
    {
        Errors = errors;
    }

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<ConfigurationError> Errors { get; }

    private static string Format(IReadOnlyList<ConfigurationError> errors)
    {
        var noun = errors.Count == 1 ? "problem" : "problems";
        var lines = errors.Select(e => "  - " + e.Message);
        return $"Invalid pipeline configuration ({errors.Count} {noun}):{Environment.NewLine}{string.Join(Environment.NewLine, lines)}";
    }
}
