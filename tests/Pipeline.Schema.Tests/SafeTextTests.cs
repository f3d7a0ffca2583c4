
namespace Pipeline.Schema.Tests;

public sealed class SafeTextTests
{
    [Theory]
    [InlineData("mlpipe", "mlpipe")]
    [InlineData("a\"b\\c", "a\\\"b\\\\c")]
    [InlineData("line1\r\nline2\tend", "line1\\r\\nline2\\tend")]
    [InlineData("\u001b[31mred", "\\u001b[31mred")]
    [InlineData("bell\u0007", "bell\\u0007")]
    [InlineData("rtl\u202eevil", "rtl\\u202eevil")]
    [InlineData("zero\u200bwidth", "zero\\u200bwidth")]
    [InlineData("caf\u00e9", "caf\u00e9")]
    public void Echo_SpecialCharacters_AreEscaped(string text, string echoed)
    {
        Assert.Equal(echoed, SafeText.Echo(text));
    }

    [Fact]
    public void Echo_EightyCharacters_AreShownWhole()
    {
        var text = new string('a', SafeText.MaxEchoLength);

        Assert.Equal(text, SafeText.Echo(text));
    }

    [Fact]
    public void Echo_LongerText_IsCutAndSaysHowMuchIsLeft()
    {
        Assert.Equal(new string('a', 80) + "… (1 more characters)", SafeText.Echo(new string('a', 81)));
    }
}
