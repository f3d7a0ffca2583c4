namespace Pipeline.Infra.Configuration;

/// <summary>What kind of problem a <see cref="ConfigurationError"/> reports; the message says the details.</summary>
public enum ConfigurationErrorCode
{
    /// <summary>A context key that is neither a key of the app nor a key of the AWS CDK.</summary>
    UnknownKey,

    /// <summary>A nested JSON object where the app reads only flat keys.</summary>
    NestedObject,

    /// <summary>A key present with JSON null (also what the CDK CLI passes for a number JSON cannot hold).</summary>
    NullValue,

    /// <summary>Not a number, or not a whole number where one is needed.</summary>
    NotANumber,

    /// <summary>Not in the key's written form: a prefix, an e-mail address, an instance type, a min..max range, a schedule expression.</summary>
    Malformed,

    /// <summary>A number outside the key's bounds (or beyond what its type can hold).</summary>
    OutOfRange,

    /// <summary>Well formed, but not one of the values the key accepts (a profile, a boolean, an instance family, a prefix S3 reserves, a schedule that never fires).</summary>
    NotAllowed,

    /// <summary>Values acceptable alone that do not fit together; the error names every key involved.</summary>
    Conflict,

    /// <summary>Allowed in the sandbox, below what the production profile requires.</summary>
    ProductionRule,

    /// <summary>The context the CDK CLI passes cannot be read (not a JSON object, or an overflow file that cannot be read).</summary>
    UnreadableContext,
}
