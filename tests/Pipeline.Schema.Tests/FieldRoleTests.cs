using Pipeline.Schema;

namespace Pipeline.Schema.Tests;

public class FieldRoleTests
{
    private static readonly DateTimeOffset Earliest = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static FieldDefinition Id => new()
    {
        Name = "id", Type = FieldType.String, Required = true, Description = "Identifier.", Role = FieldRole.Identifier,
    };

    private static FieldDefinition Site => new()
    {
        Name = "site", Type = FieldType.String, Description = "Site.", Role = FieldRole.Identifier,
    };

    private static FieldDefinition Time => new()
    {
        Name = "ts", Type = FieldType.Timestamp, Required = true, Description = "Event time.", Role = FieldRole.Identifier,
    };

    private static FieldDefinition Label => new()
    {
        Name = "label", Type = FieldType.Boolean, Required = true, Description = "Label.", Role = FieldRole.Label,
    };

    private static FieldDefinition Speed => new()
    {
        Name = "speed", Type = FieldType.Double, Description = "Speed.", Role = FieldRole.NumericFeature,
    };

    private static FieldDefinition Grade => new()
    {
        Name = "grade", Type = FieldType.String, Description = "Grade.", AllowedValues = ["a", "b"], Role = FieldRole.CategoricalFeature,
    };

    private static RecordSchema Create(IEnumerable<FieldDefinition> fields, string label = "label") =>
        new("sample", fields, "ts", label, Earliest, TimeSpan.Zero);

    [Fact]
    public void TrainingRoles_ConsistentRoles_GroupsFieldsInSchemaOrder()
    {
        var count = Speed with { Name = "count", Type = FieldType.Long };
        var schema = Create([Id, Speed, Grade, Time, Site, count, Label]);

        var roles = schema.TrainingRoles;

        Assert.True(schema.HasTrainingRoles);
        Assert.Equal("label", roles.Label.Name);
        Assert.Equal(["id", "ts", "site"], roles.Identifiers.Select(f => f.Name));
        Assert.Equal(["id", "ts"], roles.RecordIdentity.Select(f => f.Name));
        Assert.Equal(["speed", "count"], roles.NumericFeatures.Select(f => f.Name));
        Assert.Equal(["grade"], roles.CategoricalFeatures.Select(f => f.Name));
    }

    [Fact]
    public void TrainingRoles_NoRolesDeclared_ThrowsInvalidOperationWithWhatToDo()
    {
        var schema = Create([Id with { Role = FieldRole.Unassigned }, Time with { Role = FieldRole.Unassigned }, Label with { Role = FieldRole.Unassigned }]);

        var ex = Assert.Throws<InvalidOperationException>(() => schema.TrainingRoles);

        Assert.False(schema.HasTrainingRoles);
        Assert.Equal(
            "Schema 'sample' declares no ML roles; set FieldDefinition.Role on every field (Identifier, NumericFeature, CategoricalFeature or Label) to train a model on it.",
            ex.Message);
    }

    public static TheoryData<string, Func<RecordSchema>, string> BadRoles => new()
    {
        { "one field without role", () => Create([Id, Time, Label, Speed with { Role = FieldRole.Unassigned }]), "Schema 'sample': field 'speed' has no Role; once any field declares a role, every field must (Identifier, NumericFeature, CategoricalFeature or Label). (Parameter 'fields')" },
        { "string numeric feature", () => Create([Id, Time, Label, Site with { Role = FieldRole.NumericFeature }]), "Schema 'sample': field 'site' is a NumericFeature but a String field; numeric features must be Long or Double (make it an Identifier, or a CategoricalFeature if it is a String with AllowedValues). (Parameter 'fields')" },
        { "timestamp numeric feature", () => Create([Id, Time with { Role = FieldRole.NumericFeature }, Label]), "Schema 'sample': field 'ts' is a NumericFeature but a Timestamp field; numeric features must be Long or Double (make it an Identifier, or a CategoricalFeature if it is a String with AllowedValues). (Parameter 'fields')" },
        { "categorical without allowed values", () => Create([Id, Time, Label, Site with { Role = FieldRole.CategoricalFeature }]), "Schema 'sample': field 'site' is a CategoricalFeature but has no AllowedValues; categorical features must be String fields with AllowedValues (one 0/1 column per allowed value). (Parameter 'fields')" },
        { "categorical double", () => Create([Id, Time, Label, Speed with { Role = FieldRole.CategoricalFeature }]), "Schema 'sample': field 'speed' is a CategoricalFeature but a Double field; categorical features must be String fields with AllowedValues (one 0/1 column per allowed value). (Parameter 'fields')" },
        { "no label role", () => Create([Id, Time, Label with { Role = FieldRole.Identifier }]), "Schema 'sample': exactly one field must have Role Label; found 0. (Parameter 'fields')" },
        { "two labels", () => Create([Id, Time, Label, Label with { Name = "other" }]), "Schema 'sample': exactly one field must have Role Label; found 2 (label, other). (Parameter 'fields')" },
        { "label role on other field", () => Create([Id, Time, Label with { Role = FieldRole.Identifier }, Label with { Name = "other" }]), "Schema 'sample': field 'other' has Role Label but the schema's label field is 'label'; give the Label role to the label field. (Parameter 'fields')" },
        { "long label", () => Create([Id, Time, Label with { Type = FieldType.Long }]), "Schema 'sample': label field 'label' must be Boolean to train a binary classifier; it is Long. (Parameter 'fields')" },
        { "undefined role", () => Create([Id, Time, Label, Speed with { Role = (FieldRole)42 }]), "Schema 'sample': field 'speed' has undefined role 42. (Parameter 'fields')" },
    };

    [Theory]
    [MemberData(nameof(BadRoles))]
    public void Constructor_InconsistentRoles_ThrowsWithClearMessage(string problem, Func<RecordSchema> create, string message)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(create);

        Assert.True(message == ex.Message, $"{problem}:\n expected: {message}\n actual:   {ex.Message}");
    }

    [Fact]
    public void Equals_DifferentRole_IsNotEqual()
    {
        Assert.NotEqual(Speed, Speed with { Role = FieldRole.Identifier });
        Assert.Equal(Speed, Speed with { });
        Assert.Equal(FieldRole.Unassigned, new FieldDefinition { Name = "f", Type = FieldType.Double, Description = "F." }.Role);
    }

    [Fact]
    public void TelemetrySchema_Roles_AreIdentifiersFeaturesAndLabel()
    {
        var roles = TelemetrySchema.Definition.TrainingRoles;

        Assert.Equal(
            [
                ("device_id", FieldRole.Identifier), ("event_time", FieldRole.Identifier), ("site_id", FieldRole.Identifier),
                ("product_quality", FieldRole.CategoricalFeature), ("air_temperature_k", FieldRole.NumericFeature),
                ("process_temperature_k", FieldRole.NumericFeature), ("rotational_speed_rpm", FieldRole.NumericFeature),
                ("torque_nm", FieldRole.NumericFeature), ("tool_wear_min", FieldRole.NumericFeature),
                ("vibration_mm_s", FieldRole.NumericFeature), ("machine_failure", FieldRole.Label),
            ],
            TelemetrySchema.Definition.Fields.Select(f => (f.Name, f.Role)));
        Assert.Equal("machine_failure", roles.Label.Name);
        Assert.Equal(["device_id", "event_time"], roles.RecordIdentity.Select(f => f.Name));
    }
}
