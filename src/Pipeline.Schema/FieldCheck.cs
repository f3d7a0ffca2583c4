using System.Text;
using System.Text.RegularExpressions;

namespace Pipeline.Schema;

/// <summary>Checks one <see cref="FieldDefinition"/> of a <see cref="RecordSchema"/>: its name, and constraints that fit its type.</summary>
internal static class FieldCheck
{
    private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Throws <see cref="ArgumentException"/> for <paramref name="paramName"/>, naming the problem.</summary>
    public static void Check(FieldDefinition field, int ordinal, string paramName)
    {
        ArgumentException Invalid(string problem, Exception? inner = null) => new($"Field '{field.Name}': {problem}", paramName, inner);

        if (field.Name is null || !RecordSchema.IsSnakeCase(field.Name))
        {
            throw new ArgumentException(
                $"Field {ordinal} name '{field.Name}' must be snake_case (^[a-z][a-z0-9_]*$, at most {RecordSchema.MaxNameLength} characters).",
                paramName);
        }

        if (!Enum.IsDefined(field.Type))
        {
            throw Invalid($"type {(int)field.Type} is not a defined FieldType.");
        }

        if (string.IsNullOrWhiteSpace(field.Description) || field.Description.Length > RecordSchema.MaxDescriptionLength)
        {
            throw Invalid(
                $"Description must be non-empty text of at most {RecordSchema.MaxDescriptionLength} characters (it becomes " +
                $"the Glue column comment); has {field.Description?.Length ?? 0}.");
        }

        var (isNumber, isString) = (field.Type is FieldType.Long or FieldType.Double, field.Type == FieldType.String);
        (bool IsSet, bool Fits, string Property, string Types)[] constraints =
        [
            (field.Unit is not null, isNumber, nameof(field.Unit), "Long and Double"),
            (field.Minimum is not null, isNumber, nameof(field.Minimum), "Long and Double"),
            (field.Maximum is not null, isNumber, nameof(field.Maximum), "Long and Double"),
            (field.MinLength is not null, isString, nameof(field.MinLength), "String"),
            (field.MaxLength is not null, isString, nameof(field.MaxLength), "String"),
            (field.Pattern is not null, isString, nameof(field.Pattern), "String"),
            (field.AllowedValues is not null, isString, nameof(field.AllowedValues), "String"),
        ];
        foreach (var (isSet, fits, property, types) in constraints)
        {
            if (isSet && !fits)
            {
                throw Invalid($"{property} applies only to {types} fields, not to {field.Type}.");
            }
        }

        if (field.Unit is { } unit && string.IsNullOrWhiteSpace(unit))
        {
            throw Invalid("Unit must be null or non-empty text.");
        }

        foreach (var (bound, property) in new[] { (field.Minimum, nameof(field.Minimum)), (field.Maximum, nameof(field.Maximum)) })
        {
            if (bound is { } value && !double.IsFinite(value))
            {
                throw Invalid(FormattableString.Invariant($"{property} must be finite; was {value}."));
            }
        }

        var (minimum, maximum) = (field.Minimum ?? double.NegativeInfinity, field.Maximum ?? double.PositiveInfinity);
        if (minimum > maximum)
        {
            throw Invalid(FormattableString.Invariant($"Minimum {minimum} is greater than Maximum {maximum}."));
        }

        if (field.Type == FieldType.Long && Math.Ceiling(minimum) > Math.Floor(maximum))
        {
            throw Invalid(FormattableString.Invariant($"no whole number lies between Minimum {minimum} and Maximum {maximum}."));
        }

        var (minLength, maxLength) = (field.MinLength ?? 0, field.MaxLength ?? int.MaxValue);
        if (minLength < 0 || maxLength < 0 || minLength > maxLength)
        {
            throw Invalid(
                $"MinLength ({field.MinLength}) and MaxLength ({field.MaxLength}) must be 0 or more, MinLength not above MaxLength.");
        }

        // Built only to check the definition (the transform matches with code of its own): the interpreter, because
        // a non-backtracking or compiled regex costs the functions that build the schema a tenth of a second to start.
        Regex? pattern = null;
        try
        {
            pattern = field.Pattern is null ? null : new Regex(field.Pattern, RegexOptions.CultureInvariant);
        }
        catch (ArgumentException ex)
        {
            throw Invalid($"Pattern '{field.Pattern}' is not a valid regular expression: {ex.Message}", ex);
        }

        if (field.AllowedValues is not { } allowed)
        {
            return;
        }

        if (allowed.Count == 0)
        {
            throw Invalid("AllowedValues must not be empty (use null to allow any value).");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < allowed.Count; i++)
        {
            var value = allowed[i] ?? throw Invalid($"allowed value {i} is null.");
            if (!seen.Add(value))
            {
                throw Invalid($"allowed value '{value}' is listed more than once.");
            }

            try
            {
                StrictUtf8.GetByteCount(value);
            }
            catch (EncoderFallbackException ex)
            {
                throw Invalid($"allowed value {i} is not valid Unicode text.", ex);
            }

            var length = value.EnumerateRunes().Count();
            if (length < minLength || length > maxLength)
            {
                var limit = (field.MinLength, field.MaxLength) switch
                {
                    (null or 0, { } max) => $"at most {max}",
                    ({ } min, null) => $"at least {min}",
                    _ => $"{minLength} to {maxLength}",
                };
                throw Invalid($"allowed value '{value}' is {length} characters long; allowed {limit} characters.");
            }

            if (pattern is not null && !pattern.IsMatch(value))
            {
                throw Invalid($"allowed value '{value}' does not match Pattern '{field.Pattern}'.");
            }
        }
    }
}
