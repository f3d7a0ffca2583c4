namespace Pipeline.Infra.Configuration;

/// <summary>
/// What the reader of the context knows beyond the values: keys present with a JSON null, keys whose value is a nested
/// JSON object, and which file a key comes from. <see cref="PipelineSettingsLoader"/> uses it to word its errors.
/// </summary>
public sealed record ContextDetails
{
    /// <summary>Nothing known beyond the values.</summary>
    public static ContextDetails None { get; } = new();

    /// <summary>
    /// Keys present in the context with a JSON null: an explicit null, or a number JSON cannot carry (cdk.json's 1e400
    /// parses to Infinity in the CDK CLI, which writes it to the app as null).
    /// </summary>
    public IReadOnlyCollection<string> NullKeys { get; init; } = [];

    /// <summary>
    /// Keys whose value is a JSON object, with the flat keys its leaves would be (<c>training</c> holding
    /// <c>{"instanceType": …}</c> gives <c>training.instanceType</c>).
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> NestedKeys { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>The file a key is set in (such as <c>cdk.context.json</c>), or null when it is not known.</summary>
    public Func<string, string?> SourceOf { get; init; } = _ => null;
}
