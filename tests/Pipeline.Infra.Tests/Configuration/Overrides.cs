using Pipeline.Infra.Configuration;

namespace Pipeline.Infra.Tests.Configuration;

/// <summary>Loads context overrides the way the app does, and checks what a refusal carries (not how it is worded).</summary>
internal static class Overrides
{
    /// <summary>The settings for these overrides, over the sandbox preset unless they name a profile.</summary>
    public static PipelineSettings Load(params (string Key, string Value)[] values) =>
        PipelineSettingsLoader.Load(values.ToDictionary(v => v.Key, v => (string?)v.Value));

    /// <summary>Every error of overrides that must be refused.</summary>
    public static IReadOnlyList<ConfigurationError> Refusals(params (string Key, string Value)[] values) =>
        Assert.Throws<ConfigurationException>(() => Load(values)).Errors;

    /// <summary>The one error of overrides that must be refused for one reason.</summary>
    public static ConfigurationError Refusal(params (string Key, string Value)[] values) => Assert.Single(Refusals(values));

    /// <summary>The one error of a load with these context keys present (no values), as for unknown or nested keys.</summary>
    public static ConfigurationError KeyRefusal(string[] keys, ContextDetails? details = null) =>
        Assert.Single(Assert.Throws<ConfigurationException>(() => PipelineSettingsLoader.Load(new Dictionary<string, string?>(), keys, details)).Errors);

    /// <summary>
    /// A value refused on its own: the kind, key and value; what is allowed is the key's definition; the fix says to pass
    /// the key.
    /// </summary>
    public static void AssertValueRefused(ConfigurationError error, ConfigurationErrorCode code, string key, string value)
    {
        Assert.Equal((code, key, value), (error.Code, error.Key, error.Value));
        Assert.Equal(SettingDefinitions.All.Single(d => d.Key == key).Allowed, error.Allowed);
        Assert.Contains($"-c {key}=", error.Fix, StringComparison.Ordinal);
    }

    /// <summary>A refusal of the given kind, key (or keys) and value, whose fix names every setting to change.</summary>
    public static void AssertRefused(ConfigurationError error, ConfigurationErrorCode code, string key, string? value, params string[] fixNames)
    {
        Assert.Equal((code, key, value), (error.Code, error.Key, error.Value));
        Assert.All(fixNames, name => Assert.Contains(name, error.Fix, StringComparison.Ordinal));
    }
}
