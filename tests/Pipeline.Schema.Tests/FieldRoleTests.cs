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
        Assert.All(["'sample'", "FieldDefinition.Role"], name => Assert.Contains(name, ex.Message, StringComparison.Ordinal));
    }

    public static TheoryData<string, Func<RecordSchema>, string[]> BadRoles => new()
    {
        { "one field without role", () => Create([Id, Time, Label, Speed with { Role = FieldRole.Unassigned }]), ["'speed'", "no Role"] },
        { "string numeric feature", () => Create([Id, Time, Label, Site with { Role = FieldRole.NumericFeature }]), ["'site'", "NumericFeature", "String"] },
        { "timestamp numeric feature", () => Create([Id, Time with { Role = FieldRole.NumericFeature }, Label]), ["'ts'", "NumericFeature", "Timestamp"] },
        { "categorical without allowed values", () => Create([Id, Time, Label, Site with { Role = FieldRole.CategoricalFeature }]), ["'site'", "CategoricalFeature", "AllowedValues"] },
        { "categorical double", () => Create([Id, Time, Label, Speed with { Role = FieldRole.CategoricalFeature }]), ["'speed'", "CategoricalFeature", "Double"] },
        { "no label role", () => Create([Id, Time, Label with { Role = FieldRole.Identifier }]), ["found 0"] },
        { "two labels", () => Create([Id, Time, Label, Label with { Name = "other" }]), ["found 2 (label, other)"] },
        { "label role on other field", () => Create([Id, Time, Label with { Role = FieldRole.Identifier }, Label with { Name = "other" }]), ["'other'", "'label'"] },
        { "long label", () => Create([Id, Time, Label with { Type = FieldType.Long }]), ["'label'", "Boolean", "Long"] },
        { "undefined role", () => Create([Id, Time, Label, Speed with { Role = (FieldRole)42 }]), ["'speed'", "42"] },
    };

    [Theory]
    [MemberData(nameof(BadRoles))]
    public void Constructor_InconsistentRoles_ThrowsNamingTheFieldsAndWhatIsWrong(string problem, Func<RecordSchema> create, string[] names)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(create);

        Assert.True(ex.ParamName == "fields", $"{problem}: parameter {ex.ParamName}");
        Assert.All(names, name => Assert.True(ex.Message.Contains(name, StringComparison.Ordinal), $"{problem}: {ex.Message} does not name {name}"));
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
