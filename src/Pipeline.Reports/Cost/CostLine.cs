namespace Pipeline.Reports.Cost;

/// <summary>One priced item of an estimate.</summary>
/// <param name="Stack">The stack the resources are in.</param>
/// <param name="Item">What is priced, e.g. <c>KMS customer managed keys</c>.</param>
/// <param name="Quantity">How many units.</param>
/// <param name="Unit">The unit, e.g. <c>key-month</c>.</param>
/// <param name="UnitPrice">The list price of one unit, USD.</param>
/// <param name="PriceKey">The price's key in the <see cref="PriceTable"/>.</param>
/// <param name="Basis">How the quantity was reached, where it rests on an assumption (printed after the cost); null when read directly.</param>
public sealed record CostLine(string Stack, string Item, decimal Quantity, string Unit, decimal UnitPrice, string PriceKey, string? Basis = null)
{
    /// <summary>Quantity × unit price, USD.</summary>
    public decimal Cost => Quantity * UnitPrice;
}
