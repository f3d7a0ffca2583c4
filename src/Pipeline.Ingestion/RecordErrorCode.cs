namespace Pipeline.Ingestion;

/// <summary>The kind of a <see cref="RecordError"/>.</summary>
public enum RecordErrorCode
{
    /// <summary>
    /// The input is not one well-formed JSON text in UTF-8: empty, malformed or truncated JSON, content after the
    /// object, nesting deeper than the limit, invalid UTF-8 or a byte-order mark. The message gives the position.
    /// </summary>
    InvalidJson,

    /// <summary>The input is JSON but not an object (an array, string, number, boolean or null).</summary>
    NotAnObject,

    /// <summary>A required field is absent or null.</summary>
    MissingField,

    /// <summary>A property that is not a field of the schema (the Parquet conversion would drop it silently).</summary>
    UnknownField,

    /// <summary>A field appears more than once.</summary>
    DuplicateField,

    /// <summary>
    /// The JSON value does not have the field's type: e.g. a string for a number; for an integer field, a fraction,
    /// an exponent (<c>1e3</c>, <c>108.0</c>) or a number beyond the 64-bit range; a number too large for a double; an
    /// object or array for any field.
    /// </summary>
    WrongType,

    /// <summary>A number is below the field's minimum or above its maximum.</summary>
    OutOfRange,

    /// <summary>A string is shorter than the field's minimum length.</summary>
    TooShort,

    /// <summary>A string is longer than the field's maximum length.</summary>
    TooLong,

    /// <summary>A string does not match the field's pattern.</summary>
    PatternMismatch,

    /// <summary>A string is not one of the field's allowed values.</summary>
    ValueNotAllowed,

    /// <summary>A string escape does not form valid Unicode (an unpaired surrogate such as <c>\ud800</c>).</summary>
    InvalidUnicode,

    /// <summary>
    /// A timestamp string is not an RFC 3339 date-time with seconds and an offset
    /// (<c>yyyy-MM-ddTHH:mm:ss[.fffffffff]</c> with <c>Z</c> or <c>±hh:mm</c>), or names an impossible date or time.
    /// </summary>
    InvalidTimestamp,

    /// <summary>The event time lies outside the schema's accepted window.</summary>
    EventTimeOutOfWindow,

    /// <summary>The record has more errors than are reported; the message says how many were left out.</summary>
    TooManyErrors,
}
