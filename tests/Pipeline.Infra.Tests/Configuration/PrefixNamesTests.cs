using Pipeline.Infra.Configuration;
using Pipeline.Infra.Stacks;

namespace Pipeline.Infra.Tests.Configuration;

/// <summary>
/// The prefix check in Core (<see cref="PrefixNames"/>) measures the names the stacks give resources; this keeps its list
/// equal to <see cref="ResourceNames"/>, so a new or longer name is checked against its limit too.
/// </summary>
public sealed class PrefixNamesTests
{
    private const string Prefix = "abcdefghijklmnopqrst";

    [Fact]
    public void PrefixNames_LongestPrefixAndProfile_AreTheNamesResourceNamesBuilds()
    {
        var names = new ResourceNames(Prefix, PrefixNames.LongestProfile);
        const string suffix = PrefixNames.Hex8;

        Assert.Equal(
            [
                names.Stack("security-baseline"), names.GlueDatabase, $"{names.CrawlerSecurityConfigurationPrefix(suffix)}-{suffix}",
                names.AthenaWorkgroup(suffix), names.TrainingWorkgroup(suffix), names.DriftWorkgroup(suffix), names.ModelPackageGroup(suffix),
                names.Stack("endpoint"),
            ],
            PrefixNames.Names.Select(n => n.Name(Prefix, PrefixNames.LongestProfile)));
    }

    [Fact]
    public void Read_LongestPrefixInProduction_IsAccepted()
    {
        var settings = ContextSettings.Read(ContextSettings.ParseContext("test", $$"""{ "prefix": "{{Prefix}}", "profile": "production" }"""));

        Assert.Equal(Prefix, settings.Prefix);
    }
}
