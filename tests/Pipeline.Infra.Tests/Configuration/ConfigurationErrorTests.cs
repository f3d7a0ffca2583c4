using Pipeline.Infra.Configuration;
using Pipeline.Schema;

namespace Pipeline.Infra.Tests.Configuration;

/// <summary>The rendering of configuration errors, pinned once per shape with made-up errors.</summary>
public sealed class ConfigurationErrorTests
{
    private static readonly ConfigurationError WithValue =
        new(ConfigurationErrorCode.OutOfRange, "a.b", "7", "is too big.", "1 to 3", "pass -c a.b=2.");

    private static readonly ConfigurationError WithoutValue =
        new(ConfigurationErrorCode.Conflict, "a.b and c.d", null, "a exceeds c.", "a.b <= c.d", "lower -c a.b.");

    [Fact]
    public void Message_WithValue_IsKeyValueProblemAllowedAndFix()
    {
        Assert.Equal("a.b = \"7\": is too big. Allowed: 1 to 3. Fix: pass -c a.b=2.", WithValue.Message);
    }

    [Fact]
    public void Message_WithoutValue_IsKeyProblemAllowedAndFix()
    {
        Assert.Equal("a.b and c.d: a exceeds c. Allowed: a.b <= c.d. Fix: lower -c a.b.", WithoutValue.Message);
    }

    [Fact]
    public void ToString_IsTheMessage()
    {
        Assert.Equal(WithValue.Message, WithValue.ToString());
    }

    [Theory]
    [InlineData("ml\npipe\u001b[2J\"")]
    [InlineData("a\tb\rc")]
    public void Message_ValueWithControlCharacters_IsEchoedEscaped(string value)
    {
        var message = (WithValue with { Value = value }).Message;

        Assert.Contains($"\"{SafeText.Echo(value)}\"", message, StringComparison.Ordinal);
        Assert.DoesNotContain(message, char.IsControl);
    }

    [Fact]
    public void Message_LongValue_IsEchoedCut()
    {
        var value = new string('x', 500);

        var message = (WithValue with { Value = value }).Message;

        Assert.Contains(SafeText.Echo(value), message, StringComparison.Ordinal);
        Assert.DoesNotContain(value, message, StringComparison.Ordinal);
    }

    [Fact]
    public void Exception_OneProblem_IsAHeaderAndTheIndentedMessage()
    {
        var exception = new ConfigurationException([WithValue]);

        Assert.Equal("Invalid pipeline configuration (1 problem):" + Environment.NewLine + "  - " + WithValue.Message, exception.Message);
    }

    [Fact]
    public void Exception_SeveralProblems_CountsThemAndListsOnePerLine()
    {
        var exception = new ConfigurationException([WithValue, WithoutValue]);

        Assert.Equal(
            ["Invalid pipeline configuration (2 problems):", "  - " + WithValue.Message, "  - " + WithoutValue.Message],
            exception.Message.Split(Environment.NewLine));
        Assert.Equal([WithValue, WithoutValue], exception.Errors);
    }
}
