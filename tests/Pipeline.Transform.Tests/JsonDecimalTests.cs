using System.Globalization;
using System.Text;
using System.Text.Json;
using Pipeline.Schema;

namespace Pipeline.Transform.Tests;

public class JsonDecimalTests
{
    private static double Reference(string token)
    {
        var reader = new Utf8JsonReader(Encoding.ASCII.GetBytes(token));
        reader.Read();
        Assert.True(reader.TryGetDouble(out var value));
        return value;
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("-0.0")]
    [InlineData("298.1")]
    [InlineData("0.1")]
    [InlineData("0.3")]
    [InlineData("123456789012345")]
    [InlineData("0.000000000000000001")]
    [InlineData("900719925474.993")]
    [InlineData("9007199254740992")]
    [InlineData("-9.007199254740992")]
    [InlineData("0.000000000000000000")]
    public void TryParseExact_PlainDecimals_AreBitForBitTheReadersValue(string token)
    {
        Assert.True(JsonDecimal.TryParseExact(Encoding.ASCII.GetBytes(token), out var value));
        Assert.Equal(BitConverter.DoubleToInt64Bits(Reference(token)), BitConverter.DoubleToInt64Bits(value));
    }

    [Theory]
    [InlineData("1e3")]
    [InlineData("1E-2")]
    [InlineData("9007199254740993")]
    [InlineData("12345678901234567890")]
    [InlineData("0.00000000000000000000001")]
    [InlineData("0.0000000000000000000000")]
    [InlineData("1.0000000000000001")]
    public void TryParseExact_OutsideTheFastPath_DeclinesForTheFullParser(string token)
    {
        Assert.False(JsonDecimal.TryParseExact(Encoding.ASCII.GetBytes(token), out _));
    }

    [Fact]
    public void TryParseExact_RandomDecimals_AreBitForBitTheReadersValue()
    {
        var random = new Random(13);
        var parsed = 0;
        for (var i = 0; i < 300_000; i++)
        {
            var digits = Digits(random, random.Next(1, 19));
            var point = random.Next(0, digits.Length + 8);
            var token = point >= digits.Length
                ? digits
                : digits[..Math.Max(1, point)] + "." + new string('0', random.Next(0, 3)) + digits[Math.Max(1, point)..] + "7";
            if (token.Length > 1 && token[0] == '0' && token[1] != '.')
            {
                continue; // not a JSON number
            }

            token = (random.Next(3) == 0 ? "-" : string.Empty) + token;
            if (JsonDecimal.TryParseExact(Encoding.ASCII.GetBytes(token), out var value))
            {
                parsed++;
                Assert.Equal(BitConverter.DoubleToInt64Bits(Reference(token)), BitConverter.DoubleToInt64Bits(value));
            }
        }

        Assert.InRange(parsed, 100_000, 300_000);
    }

    /// <summary>A string of digits, the first not zero.</summary>
    internal static string Digits(Random random, int count) =>
        new([.. Enumerable.Range(0, count).Select(i => (char)('0' + random.Next(i == 0 ? 1 : 0, 10)))]);
}
