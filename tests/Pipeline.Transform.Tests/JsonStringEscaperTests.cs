using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Pipeline.Ingestion;

namespace Pipeline.Transform.Tests;

public class JsonStringEscaperTests
{
    private static string Token(string value)
    {
        var utf8 = Encoding.UTF8.GetBytes(value);
        var buffer = new byte[JsonStringEscaper.TokenLength(utf8)];
        Assert.Equal(buffer.Length, JsonStringEscaper.WriteToken(utf8, buffer));
        return Encoding.UTF8.GetString(buffer);
    }

    [Theory]
    [InlineData("", "\"\"")]
    [InlineData("plain", "\"plain\"")]
    [InlineData("q\"b\\s/", "\"q\\\"b\\\\s/\"")]
    [InlineData("\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"")]
    [InlineData("\u0000\u0001\u001f", "\"\\u0000\\u0001\\u001F\"")]
    [InlineData("\u007f\u0085\u00a0\u2028\u2029\ufeff", "\"\u007f\u0085\u00a0\u2028\u2029\ufeff\"")]
    [InlineData("Z\u00fcrich \U0001F3ED \u6771\u4eac <&'+`>", "\"Z\u00fcrich \U0001F3ED \u6771\u4eac <&'+`>\"")]
    public void WriteToken_EscapesOnlyQuoteBackslashAndControls(string value, string token)
    {
        Assert.Equal(token, Token(value));
    }

    [Fact]
    public void WriteToken_EveryBmpCharacterAndAstralSample_RoundTripsThroughAParser()
    {
        var builder = new StringBuilder();
        for (var c = 0; c <= 0xFFFF; c++)
        {
            if (!char.IsSurrogate((char)c))
            {
                builder.Append((char)c);
            }
        }

        builder.Append("\U00010000\U0001F3ED\U0010FFFF");
        var value = builder.ToString();

        using var document = JsonDocument.Parse(Token(value));

        Assert.Equal(value, document.RootElement.GetString());
    }

    [Fact]
    public void WriteToken_RandomStrings_NeverLongerThanAnyValidEscapingOfTheInput()
    {
        // The input arrives escaped somehow; STJ's own escaping is one valid way, the shortest possible is the raw
        // text with only mandatory escapes: the token must equal that shortest, so it is never longer than the input.
        var random = new Random(7);
        var relaxed = new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        for (var i = 0; i < 2000; i++)
        {
            var value = new string([.. Enumerable.Range(0, random.Next(0, 40)).Select(_ => (char)random.Next(0, 0xD800))]);
            var token = Token(value);
            Assert.True(Encoding.UTF8.GetByteCount(token) <= Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(value, relaxed)));
            Assert.True(Encoding.UTF8.GetByteCount(token) <= Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(value)));
            Assert.Equal(value, JsonSerializer.Deserialize<string>(token));
        }
    }

    [Theory]
    [InlineData("", 2)]
    [InlineData("abc", 5)]
    [InlineData("a\nb", 6)]
    [InlineData("\u0001", 8)]
    [InlineData("\u00e9", 4)]
    public void TokenLength_IsTheWrittenLength(string value, int length)
    {
        Assert.Equal(length, JsonStringEscaper.TokenLength(Encoding.UTF8.GetBytes(value)));
    }
}
