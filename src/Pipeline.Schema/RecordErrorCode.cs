namespace Pipeline.Schema;

/// <summary>The kind of a <see cref="RecordError"/>.</summary>
public enum RecordErrorCode
{
    /// <summary>
    /// The input is not one well-formed JSON text in UTF-8: empty, malformed or truncated JSON, content after the
    /// object, nesting deeper than the limit, or invalid UTF-8. The message gives the line and byte when known.
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
    /// The JSON value does not have the field's type: e.g. a string for a number, a fraction or a number beyond the
    /// 64-bit range for a long, a number too large for a double, an object or array for any field.
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
    /// A timestamp string is not an ISO-8601 date-time with an explicit offset, or names an impossible date or time.
    /// </summary>
    InvalidTimestamp,

    /// <summary>The event time lies outside the schema's accepted window.</summary>
    EventTimeOutOfWindow,

    /// <summary>The record has more errors than are reported; the message says how many were left out.</summary>
    TooManyErrors,
}
