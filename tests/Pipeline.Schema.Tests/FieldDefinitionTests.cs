using Pipeline.Schema;

namespace Pipeline.Schema.Tests;

public class FieldDefinitionTests
{
    [Theory]
    [InlineData(FieldType.String, "string")]
    [InlineData(FieldType.Long, "bigint")]
    [InlineData(FieldType.Double, "double")]
    [InlineData(FieldType.Boolean, "boolean")]
    [InlineData(FieldType.Timestamp, "timestamp")]
    public void GlueType_EachFieldType_IsHiveColumnType(FieldType type, string glueType)
    {
        var field = new FieldDefinition { Name = "f", Type = type, Description = "F." };

        Assert.Equal(glueType, field.GlueType);
    }

    [Fact]
    public void GlueType_UndefinedType_ThrowsInvalidOperation()
    {
        var field = new FieldDefinition { Name = "f", Type = (FieldType)42, Description = "F." };

        var ex = Assert.Throws<InvalidOperationException>(() => field.GlueType);
        Assert.Equal("Field 'f' has undefined type 42.", ex.Message);
    }

    [Fact]
    public void AllowedValues_SourceChangedAfterwards_KeepsCopy()
    {
        var source = new[] { "L", "M" };
        var field = new FieldDefinition { Name = "f", Type = FieldType.String, Description = "F.", AllowedValues = source };

        source[0] = "X";

        Assert.Equal(["L", "M"], field.AllowedValues!);
        Assert.Throws<NotSupportedException>(() => ((IList<string>)field.AllowedValues!)[0] = "Y");
    }

    [Fact]
    public void Equals_SameAllowedValuesInDifferentLists_IsEqual()
    {
        var a = new FieldDefinition { Name = "f", Type = FieldType.String, Description = "F.", AllowedValues = ["L", "M"] };
        var b = new FieldDefinition { Name = "f", Type = FieldType.String, Description = "F.", AllowedValues = new List<string> { "L", "M" } };

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, b with { AllowedValues = ["L"] });
        Assert.NotEqual(a, b with { AllowedValues = ["L", "H"] });
        Assert.NotEqual(a, b with { AllowedValues = null });
        Assert.NotEqual(a, b with { Unit = "K" });
        Assert.NotEqual(a, b with { Required = true });
        Assert.False(a.Equals(null));
    }

    [Fact]
    public void Defaults_OptionalConstraints_AreUnset()
    {
        var field = new FieldDefinition { Name = "f", Type = FieldType.Double, Description = "F." };

        Assert.False(field.Required);
        Assert.Null(field.Unit);
        Assert.Null(field.Minimum);
        Assert.Null(field.Maximum);
        Assert.Null(field.MinLength);
        Assert.Null(field.MaxLength);
        Assert.Null(field.Pattern);
        Assert.Null(field.AllowedValues);
    }
}
