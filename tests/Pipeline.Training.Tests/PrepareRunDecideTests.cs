using System.Text.Json;
using Pipeline.PrepareRun;
using Pipeline.Training.Tests.Support;
using Pipeline.Lambda.Storage;
using Pipeline.Testing;

namespace Pipeline.Training.Tests;

/// <summary>The <c>decide</c> action: the count query's strings in, proceed or stop out.</summary>
public sealed class PrepareRunDecideTests
{
    private const string Hyperparameters =
        """{"early_stopping_rounds":"20","eta":"0.2","eval_metric":"auc","max_depth":"5","min_child_weight":"1","num_round":"200","objective":"binary:logistic","subsample":"0.8"}""";

    private static async Task<string> Decide(string json, Action<Dictionary<string, string>>? edit = null)
    {
        var store = new RecordingStore();
        var function = new Function(Settings.PrepareRunConfiguration(edit), store, new FixedClock(Settings.Now), TextWriter.Null);
        var response = Payloads.Text(await function.HandleAsync(Payloads.Stream(json)));
        Assert.Empty(store.Puts);
        return response;
    }

    [Fact]
    public async Task Decide_EnoughData_ProceedsAndFillsInScalePosWeight()
    {
        using var response = JsonDocument.Parse(await Decide(
            $$"""{"action":"decide","rows":"12000","positives":"120","window":{"from":"2026-10-30","to":"2026-11-28"},"hyperparameters":{{Hyperparameters}}}"""));

        var root = response.RootElement;
        Assert.Equal(["proceed", "reason", "hyperparameters", "staticHyperparameters"], root.EnumerateObject().Select(p => p.Name));
        Assert.True(root.GetProperty("proceed").GetBoolean());
        Assert.Equal(
            """{"early_stopping_rounds":"20","eta":"0.2","eval_metric":"auc","max_depth":"5","min_child_weight":"1","num_round":"200","objective":"binary:logistic","scale_pos_weight":"99","subsample":"0.8"}""",
            root.GetProperty("hyperparameters").GetRawText());
        Assert.Equal(
            """{"early_stopping_rounds":"20","eval_metric":"auc","num_round":"200","objective":"binary:logistic","scale_pos_weight":"99"}""",
            root.GetProperty("staticHyperparameters").GetRawText());
    }

    [Fact]
    public async Task Decide_EnoughData_ReasonGivesTheCountsAndTheWindow()
    {
        using var response = JsonDocument.Parse(await Decide(
            $$"""{"action":"decide","rows":"12000","positives":"120","window":{"from":"2026-10-30","to":"2026-11-28"},"hyperparameters":{{Hyperparameters}}}"""));

        Messages.AssertNames(response.RootElement.GetProperty("reason").GetString()!, "12000 records", "120 positive", "11880 negative", "2026-10-30 to 2026-11-28");
    }

    [Fact]
    public async Task Decide_TooFewPositives_StopsWithTheReasonAndKeepsTheHyperparameters()
    {
        using var response = JsonDocument.Parse(await Decide(
            $$"""{"action":"decide","rows":"5000","positives":"3","window":{"from":"2026-11-01","to":"2026-11-14"},"hyperparameters":{{Hyperparameters}}}"""));

        var root = response.RootElement;
        Assert.False(root.GetProperty("proceed").GetBoolean());
        Messages.AssertNames(root.GetProperty("reason").GetString()!, "3 positive", "at least 10", "2026-11-01 to 2026-11-14");
        Assert.Equal(Hyperparameters, root.GetProperty("hyperparameters").GetRawText());
        Assert.Equal(
            """{"early_stopping_rounds":"20","eval_metric":"auc","num_round":"200","objective":"binary:logistic"}""",
            root.GetProperty("staticHyperparameters").GetRawText());
    }

    [Fact]
    public async Task Decide_NoWindow_ReasonNamesTheDefaultWindow()
    {
        using var response = JsonDocument.Parse(await Decide("""{"action":"decide","rows":"999","positives":"50","hyperparameters":{}}"""));

        Assert.False(response.RootElement.GetProperty("proceed").GetBoolean());
        Messages.AssertNames(response.RootElement.GetProperty("reason").GetString()!, "999 records", "2026-10-30 to 2026-11-28");
    }

    [Fact]
    public async Task Decide_CountsAsJsonNumbers_AreAccepted()
    {
        using var response = JsonDocument.Parse(await Decide("""{"action":"decide","rows":2200,"positives":700,"hyperparameters":{}}"""));

        Assert.Equal("""{"scale_pos_weight":"2.143"}""", response.RootElement.GetProperty("hyperparameters").GetRawText());
    }

    [Fact]
    public async Task Decide_ScalePosWeightAlreadyInTheRunsHyperparameters_KeepsIt()
    {
        using var response = JsonDocument.Parse(await Decide("""{"action":"decide","rows":"12000","positives":"120","hyperparameters":{"scale_pos_weight":"10"}}"""));

        Assert.Equal("""{"scale_pos_weight":"10"}""", response.RootElement.GetProperty("hyperparameters").GetRawText());
    }

    [Fact]
    public async Task Decide_FixedScalePosWeightConfigured_DoesNotComputeIt()
    {
        using var response = JsonDocument.Parse(
            await Decide("""{"action":"decide","rows":"12000","positives":"120","hyperparameters":{"max_depth":"5"}}""", v => v["SCALE_POS_WEIGHT"] = "25"));

        Assert.Equal("""{"max_depth":"5"}""", response.RootElement.GetProperty("hyperparameters").GetRawText());
    }

    [Fact]
    public async Task Decide_NoTunedHyperparametersConfigured_StaticOnesAreAllOfThem()
    {
        using var response = JsonDocument.Parse(
            await Decide($$"""{"action":"decide","rows":"12000","positives":"120","hyperparameters":{{Hyperparameters}}}""", v => v.Remove("TUNED_HYPERPARAMETERS")));

        Assert.Equal(
            response.RootElement.GetProperty("hyperparameters").GetRawText(),
            response.RootElement.GetProperty("staticHyperparameters").GetRawText());
    }

    [Theory]
    [InlineData(11880, 120, "99")]
    [InlineData(22, 7, "3.143")]
    [InlineData(10_000, 3, "3333")]
    [InlineData(100_000, 3, "33333")]
    [InlineData(1, 3, "0.3333")]
    [InlineData(1, 1, "1")]
    [InlineData(0, 5, "0")]
    public void FormatScalePosWeight_Ratio_HasFourSignificantDigitsWithoutExponent(long negatives, long positives, string expected)
    {
        Assert.Equal(expected, Function.FormatScalePosWeight(negatives, positives));
    }

    [Theory]
    [InlineData("""{"action":"decide","positives":"1","hyperparameters":{}}""", "rows")]
    [InlineData("""{"action":"decide","rows":"12,000","positives":"1","hyperparameters":{}}""", "rows", "'12,000'")]
    [InlineData("""{"action":"decide","rows":"100","positives":"-1","hyperparameters":{}}""", "positives", "'-1'")]
    [InlineData("""{"action":"decide","rows":"100","positives":1.5,"hyperparameters":{}}""", "positives", "1.5")]
    [InlineData("""{"action":"decide","rows":"100","positives":"","hyperparameters":{}}""", "positives", "''")]
    [InlineData("""{"action":"decide","rows":"100","positives":"101","hyperparameters":{}}""", "Counts", "rows=100", "positives=101")]
    [InlineData("""{"action":"decide","rows":"100","positives":"1"}""", "hyperparameters")]
    public async Task Decide_MalformedCounts_ThrowNamingTheField(string json, string field, params string[] values)
    {
        var function = new Function(Settings.PrepareRunConfiguration(), new RecordingStore(), new FixedClock(Settings.Now), TextWriter.Null);

        var ex = await Assert.ThrowsAsync<InvalidEventException>(() => function.HandleAsync(Payloads.Stream(json)));

        Messages.AssertField(ex.Message, field, values);
    }
}
