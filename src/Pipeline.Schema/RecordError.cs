namespace Pipeline.Schema;

/// <summary>One problem found in a record.</summary>
/// <param name="Field">
/// The field the problem concerns (for an unknown field, its name escaped to printable ASCII and shortened), or null
/// for a problem with the record as a whole (<see cref="RecordErrorCode.InvalidJson"/>,
/// <see cref="RecordErrorCode.NotAnObject"/>, <see cref="RecordErrorCode.TooManyErrors"/>).
/// </param>
/// <param name="Code">What kind of problem it is.</param>
/// <param name="Message">
/// A one-sentence explanation naming the field, the bad value (escaped to printable ASCII, shortened to about 64
/// characters) and what is allowed, e.g. <c>air_temperature_k: 812.5 is out of range; allowed 150 to 450 K.</c>
/// </param>
public sealed record RecordError(string? Field, RecordErrorCode Code, string Message);
