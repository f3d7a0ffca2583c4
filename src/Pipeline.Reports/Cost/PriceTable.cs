using System.Reflection;
using System.Text.Json;

namespace Pipeline.Reports.Cost;

/// <summary>
/// The dated list prices the estimates use (<c>prices-us-east-1.json</c>, embedded): one Region's on-demand prices from
/// AWS's public pricing pages, each with its source, without free tiers or discounts.
/// </summary>
public sealed class PriceTable
{
    private readonly Dictionary<string, decimal> _prices;
    private readonly HashSet<string> _unverified;
    private readonly Dictionary<string, decimal> _allowances;

    private PriceTable(string region, DateOnly retrieved, Dictionary<string, decimal> prices, HashSet<string> unverified, Dictionary<string, decimal> allowances)
    {
        Region = region;
        Retrieved = retrieved;
        _prices = prices;
        _unverified = unverified;
        _allowances = allowances;
    }

    /// <summary>Hours in a month, as AWS's pricing examples count them.</summary>
    public const int HoursPerMonth = 730;

    /// <summary>The Region the prices are for.</summary>
    public string Region { get; }

    /// <summary>When the prices were read from the pricing pages.</summary>
    public DateOnly Retrieved { get; }

    /// <summary>The embedded table.</summary>
    public static PriceTable Default { get; } = Load();

    /// <summary>A table from its JSON (for tests).</summary>
    public static PriceTable Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var prices = root.GetProperty("prices").EnumerateObject().ToList();
        return new PriceTable(
            root.GetProperty("region").GetString()!,
            DateOnly.Parse(root.GetProperty("retrieved").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
            prices.ToDictionary(p => p.Name, p => p.Value.GetProperty("usd").GetDecimal(), StringComparer.Ordinal),
            prices.Where(p => p.Value.TryGetProperty("verified", out var verified) && !verified.GetBoolean()).Select(p => p.Name).ToHashSet(StringComparer.Ordinal),
            root.TryGetProperty("allowances", out var allowances)
                ? allowances.EnumerateObject().Where(a => a.Value.ValueKind == JsonValueKind.Object)
                    .ToDictionary(a => a.Name, a => a.Value.GetProperty("units").GetDecimal(), StringComparer.Ordinal)
                : new Dictionary<string, decimal>(StringComparer.Ordinal));
    }

    /// <summary>A price by key, e.g. <c>kms.customerManagedKey.month</c>.</summary>
    /// <exception cref="KeyNotFoundException">The table has no such price; the message names the key to add.</exception>
    public decimal this[string key] => _prices.TryGetValue(key, out var price)
        ? price
        : throw new KeyNotFoundException($"The price table ({Region}, {Retrieved:yyyy-MM-dd}) has no price '{key}': add it to src/Pipeline.Reports/Cost/prices-us-east-1.json with its source.");

    /// <summary>Whether a price comes from third-party sources only (no AWS page showing the figure was found).</summary>
    public bool IsUnverified(string key) => _unverified.Contains(key);

    /// <summary>Units of a price that are free every month for an account (the always-free allowance); 0 when none.</summary>
    public decimal FreeUnits(string key) => _allowances.GetValueOrDefault(key);

    private static PriceTable Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Pipeline.Reports.Cost.prices-us-east-1.json")
            ?? throw new InvalidOperationException("The embedded price table is missing.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }
}
