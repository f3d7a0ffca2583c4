namespace Pipeline.Ingestion;

/// <summary>One problem found in a record.</summary>
/// <param name="Field">
/// The field the problem concerns (an unknown field's name as written, made safe with
/// <see cref="Schema.SafeText.Echo"/>), or null for a problem with the record as a whole.
/// </param>
/// <param name="Code">What kind of problem it is.</param>
/// <param name="Message">
/// One sentence naming the field, the bad value (made safe with <see cref="Schema.SafeText.Echo"/>) and what is
/// allowed, e.g. <c>air_temperature_k: 812.5 is out of range; allowed 150 to 450.</c>
/// </param>
public sealed record RecordError(string? Field, RecordErrorCode Code, string Message);
