using System.Diagnostics.CodeAnalysis;

namespace Pipeline.Schema;

/// <summary>The type of a record field, as it appears in JSON and in the Glue table.</summary>
public enum FieldType
{
    /// <summary>A JSON string; Glue <c>string</c>.</summary>
    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The names are the schema's type vocabulary, fixed by the API contract.")]
    String,

    /// <summary>A JSON number with an integral value within the 64-bit signed range; Glue <c>bigint</c>.</summary>
    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The names are the schema's type vocabulary, fixed by the API contract.")]
    Long,

    /// <summary>A JSON number, finite as a 64-bit floating-point number; Glue <c>double</c>.</summary>
    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The names are the schema's type vocabulary, fixed by the API contract.")]
    Double,

    /// <summary>JSON <c>true</c> or <c>false</c>; Glue <c>boolean</c>.</summary>
    Boolean,

    /// <summary>
    /// A JSON string holding an RFC 3339 / ISO-8601 date-time with an explicit offset (<c>Z</c> or <c>±hh:mm</c>);
    /// Glue <c>timestamp</c>.
    /// </summary>
    Timestamp,
}
