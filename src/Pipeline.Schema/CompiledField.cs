using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Pipeline.Schema;

/// <summary>
/// A <see cref="FieldDefinition"/> checked and prepared for the hot path: the UTF-8 name, the pattern, the allowed
/// values in UTF-8, integral bounds and the fixed parts of error messages.
/// </summary>
/// <remarks>
/// A pattern that <see cref="Schema.AsciiClassPattern"/> recognises is matched by it, and its regular expression is
/// compiled only if something asks for <see cref="Pattern"/>: building a non-backtracking <see cref="Regex"/> cost
/// about 37 ms of the transform Lambda's cold start, for an object validation never used. Any other pattern is
/// compiled here, which also rejects an invalid one when the schema is built.
/// </remarks>
internal sealed class CompiledField
{
    private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly string _paramName;
    private readonly Lazy<Regex>? _pattern;

    /// <summary>Checks and prepares a definition; problems throw <see cref="ArgumentException"/> for <paramref name="paramName"/>.</summary>
    public CompiledField(FieldDefinition definition, int ordinal, string paramName)
    {
        _paramName = paramName;
        Definition = definition;
        Ordinal = ordinal;
        var name = definition.Name;
        if (name is null || !RecordSchema.IsSnakeCase(name))
        {
            throw Invalid(
                $"Field {ordinal} name '{name}' must be snake_case " +
                $"(^[a-z][a-z0-9_]*$, at most {RecordSchema.MaxNameLength} characters).");
        }

        Utf8Name = Encoding.UTF8.GetBytes(name);
        var type = definition.Type;
        if (!Enum.IsDefined(type))
        {
            throw Invalid($"Field '{name}': type {(int)type} is not a defined FieldType.");
        }

        if (string.IsNullOrWhiteSpace(definition.Description) || definition.Description.Length > RecordSchema.MaxDescriptionLength)
        {
            throw Invalid(
                $"Field '{name}': Description must be non-empty text of at most {RecordSchema.MaxDescriptionLength} " +
                $"characters (it becomes the Glue column comment); has {definition.Description?.Length ?? 0}.");
        }

        var isNumber = type is FieldType.Long or FieldType.Double;
        var isString = type == FieldType.String;
        RequireOnly(definition.Unit is not null, isNumber, nameof(FieldDefinition.Unit), "Long and Double");
        RequireOnly(definition.Minimum is not null, isNumber, nameof(FieldDefinition.Minimum), "Long and Double");
        RequireOnly(definition.Maximum is not null, isNumber, nameof(FieldDefinition.Maximum), "Long and Double");
        RequireOnly(definition.MinLength is not null, isString, nameof(FieldDefinition.MinLength), "String");
        RequireOnly(definition.MaxLength is not null, isString, nameof(FieldDefinition.MaxLength), "String");
        RequireOnly(definition.Pattern is not null, isString, nameof(FieldDefinition.Pattern), "String");
        RequireOnly(definition.AllowedValues is not null, isString, nameof(FieldDefinition.AllowedValues), "String");

        if (definition.Unit is { } unit && string.IsNullOrWhiteSpace(unit))
        {
            throw Invalid($"Field '{name}': Unit must be null or non-empty text.");
        }

        DoubleMinimum = CheckBound(definition.Minimum, nameof(FieldDefinition.Minimum)) ?? double.NegativeInfinity;
        DoubleMaximum = CheckBound(definition.Maximum, nameof(FieldDefinition.Maximum)) ?? double.PositiveInfinity;
        if (DoubleMinimum > DoubleMaximum)
        {
            throw Invalid(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"Field '{name}': Minimum {DoubleMinimum} is greater than Maximum {DoubleMaximum}."));
        }

        // Integral bounds for Long fields: the smallest and largest whole numbers inside [Minimum, Maximum].
        LongMinimum = DoubleMinimum <= long.MinValue ? long.MinValue : (long)Math.Ceiling(DoubleMinimum);
        LongMaximum = DoubleMaximum >= long.MaxValue ? long.MaxValue : (long)Math.Floor(DoubleMaximum);
        if (type == FieldType.Long && LongMinimum > LongMaximum)
        {
            throw Invalid(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"Field '{name}': no whole number lies between Minimum {DoubleMinimum} and Maximum {DoubleMaximum}."));
        }

        MinLength = definition.MinLength ?? 0;
        MaxLength = definition.MaxLength ?? int.MaxValue;
        if (MinLength < 0 || MaxLength < 0 || MinLength > MaxLength)
        {
            throw Invalid(
                $"Field '{name}': MinLength ({definition.MinLength}) and MaxLength ({definition.MaxLength}) " +
                "must be 0 or more, MinLength not above MaxLength.");
        }

        if (definition.Pattern is { } pattern)
        {
            AsciiClassPattern = AsciiClassPattern.TryCreate(pattern);
            _pattern = AsciiClassPattern is null
                ? new Lazy<Regex>(CompilePattern(name, pattern))
                : new Lazy<Regex>(() => CompilePattern(name, pattern));
        }

        if (definition.AllowedValues is { } allowed)
        {
            (AllowedValues, Utf8AllowedValues) = CheckAllowedValues(allowed);
        }

        RangeText = FormatRange();
        LengthText = FormatLength();
    }

    public FieldDefinition Definition { get; }

    public int Ordinal { get; }

    public string Name => Definition.Name;

    public FieldType Type => Definition.Type;

    public bool Required => Definition.Required;

    public byte[] Utf8Name { get; }

    public double DoubleMinimum { get; }

    public double DoubleMaximum { get; }

    public long LongMinimum { get; }

    public long LongMaximum { get; }

    public int MinLength { get; }

    public int MaxLength { get; }

    /// <summary>Whether the field has a pattern (without compiling it).</summary>
    public bool HasPattern => _pattern is not null;

    /// <summary>The compiled pattern, or null; compiled on first use when <see cref="AsciiClassPattern"/> stands in for it.</summary>
    public Regex? Pattern => _pattern?.Value;

    /// <summary>Whether the regular expression has been compiled (for tests of the cold path).</summary>
    internal bool IsPatternCompiled => _pattern is { IsValueCreated: true };

    /// <summary>A byte-level fast path equivalent to <see cref="Pattern"/>, when the pattern is a simple ASCII class.</summary>
    public AsciiClassPattern? AsciiClassPattern { get; }

    public string[]? AllowedValues { get; }

    public byte[][]? Utf8AllowedValues { get; }

    /// <summary>E.g. <c>allowed 150 to 450 K</c>, or null for a field without bounds.</summary>
    public string? RangeText { get; }

    /// <summary>E.g. <c>allowed 1 to 64 characters</c>, or null for a field without length limits.</summary>
    public string? LengthText { get; }

    /// <summary>The text after "expected" in a wrong-type message.</summary>
    public string Expectation => Type switch
    {
        FieldType.String => "a string",
        FieldType.Long => "an integer",
        FieldType.Double => "a number",
        FieldType.Boolean => "true or false",
        _ => TimestampExpectation,
    };

    public const string TimestampExpectation =
        "an ISO-8601 timestamp string with an offset, e.g. \"2026-11-21T10:15:30.123Z\"";

    /// <summary>
    /// Compiles a pattern for linear-time matching. A final unescaped <c>$</c> becomes <c>\z</c> so that, as in
    /// ECMAScript and JSON Schema, it does not match before a trailing newline.
    /// </summary>
    private Regex CompilePattern(string name, string pattern)
    {
        var effective = pattern;
        if (pattern.EndsWith('$'))
        {
            var backslashes = 0;
            for (var i = pattern.Length - 2; i >= 0 && pattern[i] == '\\'; i--)
            {
                backslashes++;
            }

            if (backslashes % 2 == 0)
            {
                effective = string.Concat(pattern.AsSpan(0, pattern.Length - 1), "\\z");
            }
        }

        try
        {
            return new Regex(effective, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
        }
        catch (ArgumentException ex)
        {
            throw Invalid($"Field '{name}': Pattern '{pattern}' is not a valid regular expression: {ex.Message}", ex);
        }
        catch (NotSupportedException ex)
        {
            throw Invalid(
                $"Field '{name}': Pattern '{pattern}' cannot be matched in linear time " +
                $"(no backreferences, lookarounds or atomic groups): {ex.Message}",
                ex);
        }
    }

    private (string[] Values, byte[][] Utf8Values) CheckAllowedValues(IReadOnlyList<string> allowed)
    {
        if (allowed.Count == 0)
        {
            throw Invalid($"Field '{Name}': AllowedValues must not be empty (use null to allow any value).");
        }

        var values = new string[allowed.Count];
        var utf8 = new byte[allowed.Count][];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < values.Length; i++)
        {
            var value = allowed[i] ?? throw Invalid($"Field '{Name}': allowed value {i} is null.");
            if (!seen.Add(value))
            {
                throw Invalid($"Field '{Name}': allowed value '{value}' is listed more than once.");
            }

            byte[] bytes;
            try
            {
                bytes = StrictUtf8.GetBytes(value);
            }
            catch (EncoderFallbackException ex)
            {
                throw Invalid($"Field '{Name}': allowed value {i} is not valid Unicode text.", ex);
            }

            var length = value.EnumerateRunes().Count();
            if (length < MinLength || length > MaxLength)
            {
                throw Invalid($"Field '{Name}': allowed value '{value}' is {length} characters long; {FormatLength()}.");
            }

            if (HasPattern && !(AsciiClassPattern is { } ascii ? ascii.IsMatch(bytes) : Pattern!.IsMatch(value)))
            {
                throw Invalid($"Field '{Name}': allowed value '{value}' does not match Pattern '{Definition.Pattern}'.");
            }

            values[i] = value;
            utf8[i] = bytes;
        }

        return (values, utf8);
    }

    private void RequireOnly(bool isSet, bool fits, string property, string types)
    {
        if (isSet && !fits)
        {
            throw Invalid($"Field '{Name}': {property} applies only to {types} fields, not to {Type}.");
        }
    }

    private double? CheckBound(double? bound, string property)
    {
        if (bound is { } value && !double.IsFinite(value))
        {
            throw Invalid(
                string.Create(CultureInfo.InvariantCulture, $"Field '{Name}': {property} must be finite; was {value}."));
        }

        return bound;
    }

    private string? FormatRange()
    {
        var unit = Definition.Unit is { } u ? " " + u : string.Empty;
        var (min, max) = Type == FieldType.Long
            ? (Definition.Minimum is null ? null : LongMinimum.ToString(CultureInfo.InvariantCulture),
               Definition.Maximum is null ? null : LongMaximum.ToString(CultureInfo.InvariantCulture))
            : (Definition.Minimum?.ToString(CultureInfo.InvariantCulture),
               Definition.Maximum?.ToString(CultureInfo.InvariantCulture));
        return (min, max) switch
        {
            (null, null) => null,
            (not null, null) => $"allowed at least {min}{unit}",
            (null, not null) => $"allowed at most {max}{unit}",
            _ => $"allowed {min} to {max}{unit}",
        };
    }

    private string? FormatLength() => (Definition.MinLength, Definition.MaxLength) switch
    {
        (null or 0, null) => null,
        ({ } min, null) => $"allowed at least {min} {Characters(min)}",
        (null or 0, { } max) => $"allowed at most {max} {Characters(max)}",
        ({ } min, { } max) => $"allowed {min} to {max} characters",
    };

    private static string Characters(int count) => count == 1 ? "character" : "characters";

    private ArgumentException Invalid(string message, Exception? inner = null) => new(message, _paramName, inner);
}
