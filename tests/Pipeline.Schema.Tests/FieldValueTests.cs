using Pipeline.Schema;

namespace Pipeline.Schema.Tests;

public class FieldValueTests
{
    [Fact]
    public void None_Default_HasNoValueAndThrowsOnRead()
    {
        var none = FieldValue.None;

        Assert.False(none.HasValue);
        Assert.Null(none.Type);
        Assert.Equal(default, none);
        Assert.Equal(string.Empty, none.ToString());
        var ex = Assert.Throws<InvalidOperationException>(() => none.AsDouble());
        Assert.Equal("The field has no value; cannot read it as Double.", ex.Message);
    }

    [Fact]
    public void Factories_EachType_RoundTripTheValue()
    {
        Assert.Equal("a", FieldValue.FromString("a").AsString());
        Assert.Equal(long.MinValue, FieldValue.FromInt64(long.MinValue).AsInt64());
        Assert.Equal(-0.5, FieldValue.FromDouble(-0.5).AsDouble());
        Assert.True(FieldValue.FromBoolean(true).AsBoolean());
        Assert.False(FieldValue.FromBoolean(false).AsBoolean());
        Assert.Equal(FieldType.Timestamp, FieldValue.FromTimestamp(DateTimeOffset.UnixEpoch).Type);
    }

    [Fact]
    public void FromTimestamp_WithOffset_KeepsInstantInUtc()
    {
        var local = new DateTimeOffset(2026, 11, 21, 23, 30, 0, TimeSpan.FromHours(-2));

        var value = FieldValue.FromTimestamp(local).AsTimestamp();

        Assert.Equal(local, value);
        Assert.Equal(TimeSpan.Zero, value.Offset);
        Assert.Equal(new DateTime(2026, 11, 22, 1, 30, 0), value.DateTime);
    }

    [Fact]
    public void Accessor_OfAnotherType_ThrowsInvalidOperation()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => FieldValue.FromInt64(3).AsDouble());

        Assert.Equal("The field holds a Long value; cannot read it as Double.", ex.Message);
        Assert.Throws<InvalidOperationException>(() => FieldValue.FromString("true").AsBoolean());
        Assert.Throws<InvalidOperationException>(() => FieldValue.FromBoolean(true).AsString());
        Assert.Throws<InvalidOperationException>(() => FieldValue.FromDouble(1).AsInt64());
        Assert.Throws<InvalidOperationException>(() => FieldValue.FromDouble(1).AsTimestamp());
    }

    [Fact]
    public void FromString_Null_ThrowsArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => FieldValue.FromString(null!));
    }

    [Fact]
    public void Equality_SameTypeAndValue_IsEqual()
    {
        Assert.Equal(FieldValue.FromString("a"), FieldValue.FromString(new string('a', 1)));
        Assert.True(FieldValue.FromInt64(1) == FieldValue.FromInt64(1));
        Assert.True(FieldValue.FromInt64(1) != FieldValue.FromDouble(1));
        Assert.NotEqual(FieldValue.FromInt64(0), FieldValue.None);
        Assert.NotEqual(FieldValue.FromDouble(0.0), FieldValue.FromDouble(-0.0));
        Assert.Equal(FieldValue.FromDouble(double.NaN), FieldValue.FromDouble(double.NaN));
        Assert.Equal(FieldValue.FromString("x").GetHashCode(), FieldValue.FromString("x").GetHashCode());
        Assert.False(FieldValue.FromString("x").Equals("x"));
    }

    [Fact]
    public void ToString_EachType_IsInvariantText()
    {
        Assert.Equal("press-07", FieldValue.FromString("press-07").ToString());
        Assert.Equal("-12", FieldValue.FromInt64(-12).ToString());
        Assert.Equal("298.1", FieldValue.FromDouble(298.1).ToString());
        Assert.Equal("true", FieldValue.FromBoolean(true).ToString());
        Assert.Equal(
            "2026-11-21T10:15:30.1230000+00:00",
            FieldValue.FromTimestamp(new DateTimeOffset(2026, 11, 21, 11, 15, 30, 123, TimeSpan.FromHours(1))).ToString());
    }
}
