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
        var response = await Decide($$"""{"action":"decide","rows":"12000","positives":"120","window":{"from":"2026-10-30","to":"2026-11-28"},"hyperparameters":{{Hyperparameters}}}""");

        Assert.Equal(
            """{"proceed":true,"reason":"12000 records with 120 positive and 11880 negative labels in 2026-10-30 to 2026-11-28: enough to train (minimums 1000 records, 10 positives).",""" +
            "\"hyperparameters\":" +
            """{"early_stopping_rounds":"20","eta":"0.2","eval_metric":"auc","max_depth":"5","min_child_weight":"1","num_round":"200","objective":"binary:logistic","scale_pos_weight":"99","subsample":"0.8"},""" +
            "\"staticHyperparameters\":" + """{"early_stopping_rounds":"20","eval_metric":"auc","num_round":"200","objective":"binary:logistic","scale_pos_weight":"99"}}""",
            response);
    }

    [Fact]
    public async Task Decide_TooFewPositives_StopsWithTheReasonAndKeepsTheHyperparameters()
    {
        var response = await Decide($$"""{"action":"decide","rows":"5000","positives":"3","window":{"from":"2026-11-01","to":"2026-11-14"},"hyperparameters":{{Hyperparameters}}}""");

        Assert.Equal(
            """{"proceed":false,"reason":"Only 3 positive labels (of 5000 records) in 2026-11-01 to 2026-11-14; at least 10 are needed to train.","hyperparameters":""" +
            Hyperparameters + ",\"staticHyperparameters\":" +
            """{"early_stopping_rounds":"20","eval_metric":"auc","num_round":"200","objective":"binary:logistic"}}""",
            response);
    }

    [Fact]
    public async Task Decide_NoWindow_ReasonNamesTheDefaultWindow()
    {
        using var response = JsonDocument.Parse(await Decide("""{"action":"decide","rows":"999","positives":"50","hyperparameters":{}}"""));

        Assert.Equal(
            "Only 999 records in 2026-10-30 to 2026-11-28; at least 1000 are needed to train.",
            response.RootElement.GetProperty("reason").GetString());
        Assert.False(response.RootElement.GetProperty("proceed").GetBoolean());
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
    [InlineData("""{"action":"decide","positives":"1","hyperparameters":{}}""",
        "rows is missing; expected the count query's rows as a whole number, 0 or more (Athena GetQueryResults' VarCharValue, e.g. \"12345\").")]
    [InlineData("""{"action":"decide","rows":"12,000","positives":"1","hyperparameters":{}}""",
        "rows is '12,000'; expected the count query's rows as a whole number, 0 or more (Athena GetQueryResults' VarCharValue, e.g. \"12345\").")]
    [InlineData("""{"action":"decide","rows":"100","positives":"-1","hyperparameters":{}}""",
        "positives is '-1'; expected the count query's positives as a whole number, 0 or more (Athena GetQueryResults' VarCharValue, e.g. \"12345\").")]
    [InlineData("""{"action":"decide","rows":"100","positives":1.5,"hyperparameters":{}}""",
        "positives is 1.5; expected the count query's positives as a whole number, 0 or more (Athena GetQueryResults' VarCharValue, e.g. \"12345\").")]
    [InlineData("""{"action":"decide","rows":"100","positives":"","hyperparameters":{}}""",
        "positives is ''; expected the count query's positives as a whole number, 0 or more (Athena GetQueryResults' VarCharValue, e.g. \"12345\").")]
    [InlineData("""{"action":"decide","rows":"100","positives":"101","hyperparameters":{}}""",
        "Counts rows=100, positives=101 are impossible; expected 0 <= positives <= rows. (Parameter 'rows')")]
    [InlineData("""{"action":"decide","rows":"100","positives":"1"}""",
        "hyperparameters is missing; expected the plan's \"hyperparameters\" object (string values).")]
    public async Task Decide_MalformedCounts_ThrowSayingWhatWasExpected(string json, string message)
    {
        var function = new Function(Settings.PrepareRunConfiguration(), new RecordingStore(), new FixedClock(Settings.Now), TextWriter.Null);

        Assert.Equal(message, (await Assert.ThrowsAsync<InvalidEventException>(() => function.HandleAsync(Payloads.Stream(json)))).Message);
    }
}
