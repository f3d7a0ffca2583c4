using Pipeline.Schema;
using static Pipeline.Schema.Tests.TelemetryRecords;

namespace Pipeline.Schema.Tests;

public class RecordValidationResultTests
{
    [Fact]
    public void GetValue_ByOrdinalAndName_ReturnTheSameValue()
    {
        var result = Validate(Valid);
        var ordinal = TelemetrySchema.Definition.IndexOf("torque_nm");

        Assert.Equal(result.GetValue("torque_nm"), result.GetValue(ordinal));
        Assert.Equal(result.Values[ordinal], result.GetValue(ordinal));
    }

    [Fact]
    public void GetValue_UnknownName_ThrowsArgumentException()
    {
        var ex = Assert.Throws<ArgumentException>(() => Validate(Valid).GetValue("torque"));

        Assert.Equal("Schema 'telemetry' has no field 'torque'. (Parameter 'fieldName')", ex.Message);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(11)]
    public void GetValue_OrdinalOutOfRange_ThrowsArgumentOutOfRange(int ordinal)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Validate(Valid).GetValue(ordinal));
    }

    [Fact]
    public void PartitionValue_ReadTwice_IsFormattedOnce()
    {
        var result = Validate(Valid);

        Assert.Same(result.PartitionValue, result.PartitionValue);
    }

    [Fact]
    public void Errors_InvalidRecord_CannotBeChangedByCaller()
    {
        var result = Validate("{}");

        Assert.IsNotType<List<RecordError>>(result.Errors);
        Assert.Throws<NotSupportedException>(() => ((IList<RecordError>)result.Errors).Clear());
    }

    [Fact]
    public void IsValid_ValidRecord_HasEmptyErrors()
    {
        var result = Validate(Valid);

        Assert.True(result.IsValid);
        Assert.Empty(result.Errors);
        Assert.NotNull(result.PartitionValue);
    }
}
