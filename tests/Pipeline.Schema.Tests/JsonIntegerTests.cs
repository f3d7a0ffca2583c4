using System.Text;
using Pipeline.Schema;

namespace Pipeline.Schema.Tests;

public class JsonIntegerTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("-0", 0L)]
    [InlineData("0.000", 0L)]
    [InlineData("0e-5", 0L)]
    [InlineData("1e3", 1000L)]
    [InlineData("1E+3", 1000L)]
    [InlineData("12.50e1", 125L)]
    [InlineData("12500e-2", 125L)]
    [InlineData("0.0125e4", 125L)]
    [InlineData("-1.5e1", -15L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("-9223372036854775808", long.MinValue)]
    [InlineData("9.223372036854775807e18", long.MaxValue)]
    [InlineData("-92233720368547758080e-1", long.MinValue)]
    [InlineData("100000000000000000000000000000e-29", 1L)]
    public void TryParse_WholeNumber_IsIntegralWithExactValue(string number, long expected)
    {
        Assert.Equal(JsonIntegerStatus.Integral, JsonInteger.TryParse(Encoding.ASCII.GetBytes(number), out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("12.5")]
    [InlineData("1e-1")]
    [InlineData("0.1")]
    [InlineData("1.0000000000000000000000000001")]
    [InlineData("9223372036854775807.5")]
    [InlineData("1e-99999999999")]
    public void TryParse_Fraction_IsNotIntegral(string number)
    {
        Assert.Equal(JsonIntegerStatus.NotIntegral, JsonInteger.TryParse(Encoding.ASCII.GetBytes(number), out _));
    }

    [Theory]
    [InlineData("9223372036854775808")]
    [InlineData("-9223372036854775809")]
    [InlineData("1e19")]
    [InlineData("1e30")]
    [InlineData("1e99999999999999999999")]
    [InlineData("99999999999999999999")]
    public void TryParse_BeyondInt64_IsOutOfRange(string number)
    {
        Assert.Equal(JsonIntegerStatus.OutOfRange, JsonInteger.TryParse(Encoding.ASCII.GetBytes(number), out _));
    }
}
