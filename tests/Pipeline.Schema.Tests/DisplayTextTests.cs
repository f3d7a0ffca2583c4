using System.Text;
using Pipeline.Schema;

namespace Pipeline.Schema.Tests;

public class DisplayTextTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a\\\"b\\\\c\\n", "a\\\"b\\\\c\\n")]
    [InlineData("caf\u00e9", "caf\\u00e9")]
    [InlineData("\U0001F3ED", "\\ud83c\\udfed")]
    [InlineData("\u202Eevil", "\\u202eevil")]
    [InlineData("\u007F", "\\u007f")]
    public void Escaped_RawJsonStringContent_IsPrintableAscii(string raw, string expected)
    {
        Assert.Equal(expected, DisplayText.Escaped(Encoding.UTF8.GetBytes(raw)));
    }

    [Fact]
    public void Escaped_InvalidUtf8_ShowsBytesAsHex()
    {
        Assert.Equal("a\\xFF\\xC3b", DisplayText.Escaped([(byte)'a', 0xFF, 0xC3, (byte)'b']));
    }

    [Fact]
    public void Escaped_LongValue_IsCutAt64CharactersWithoutSplittingEscapes()
    {
        Assert.Equal(new string('x', 64), DisplayText.Escaped(Encoding.ASCII.GetBytes(new string('x', 64))));
        Assert.Equal(new string('x', 64) + "...", DisplayText.Escaped(Encoding.ASCII.GetBytes(new string('x', 65))));
        Assert.Equal(
            new string('x', 60) + "...",
            DisplayText.Escaped(Encoding.UTF8.GetBytes(new string('x', 60) + "\u00e9")));
        Assert.Equal(
            new string('x', 60) + "...",
            DisplayText.Escaped(Encoding.UTF8.GetBytes(new string('x', 60) + "\\u0041")));
    }

    [Fact]
    public void QuotedString_Value_IsInDoubleQuotes()
    {
        Assert.Equal("\"M\"", DisplayText.QuotedString("M"u8));
    }

    [Fact]
    public void Sanitize_ControlCharactersAndLongText_AreEscapedAndCut()
    {
        Assert.Equal("'\\u000a' is invalid", DisplayText.Sanitize("'\n' is invalid"));
        Assert.Equal(new string('r', 200) + "...", DisplayText.Sanitize(new string('r', 300)));
    }

    [Theory]
    [InlineData("abc", 0, 1, 1)]
    [InlineData("abc", 2, 1, 3)]
    [InlineData("a\nbc", 2, 2, 1)]
    [InlineData("a\nb\ncd", 5, 3, 2)]
    [InlineData("ab", 99, 1, 3)]
    public void Position_ByteOffset_IsOneBasedLineAndByte(string input, long offset, long line, long column)
    {
        Assert.Equal((line, column), DisplayText.Position(Encoding.ASCII.GetBytes(input), offset));
    }
}
