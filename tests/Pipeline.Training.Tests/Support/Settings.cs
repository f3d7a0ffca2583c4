using Pipeline.Schema;
using Pipeline.Training;
using Pipeline.Testing;

namespace Pipeline.Training.Tests.Support;

/// <summary>The functions' environment variables as the stack sets them, for the tests.</summary>
internal static class Settings
{
    /// <summary>2026-11-29T03:00:05Z: the default window is 2026-10-30..2026-11-28.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 29, 3, 0, 5, TimeSpan.Zero);

    public static Dictionary<string, string> PrepareRunVariables() => new()
    {
        ["LAKE_BUCKET"] = S3rverServer.Bucket,
        ["GLUE_DATABASE"] = "pipeline_curated",
        ["LOOKBACK_DAYS"] = "30",
        ["MINIMUM_ROWS"] = "1000",
        ["MINIMUM_POSITIVES"] = "10",
        ["VALIDATION_FRACTION"] = "0.2",
        ["SCALE_POS_WEIGHT"] = "auto",
        ["CODE_VERSION"] = "4f2c9ab",
        ["TUNED_HYPERPARAMETERS"] = "eta,max_depth,min_child_weight,subsample",
    };

    public static Dictionary<string, string> EvaluateVariables() => new()
    {
        ["LAKE_BUCKET"] = S3rverServer.Bucket,
        ["MINIMUM_AUC"] = "0.8",
        ["REGRESSION_TOLERANCE"] = "0.01",
        ["AUTO_APPROVE"] = "true",
    };

    public static Func<string, string?> Reader(IReadOnlyDictionary<string, string> variables) =>
        name => variables.TryGetValue(name, out var value) ? value : null;

    public static PrepareRun.PrepareRunConfiguration PrepareRunConfiguration(Action<Dictionary<string, string>>? edit = null)
    {
        var variables = PrepareRunVariables();
        edit?.Invoke(variables);
        return PrepareRun.PrepareRunConfiguration.FromEnvironment(Reader(variables));
    }

    public static Evaluate.EvaluateConfiguration EvaluateConfiguration(Action<Dictionary<string, string>>? edit = null)
    {
        var variables = EvaluateVariables();
        edit?.Invoke(variables);
        return Evaluate.EvaluateConfiguration.FromEnvironment(Reader(variables));
    }

    /// <summary>The plan Core makes for the test settings (what the function must write and return).</summary>
    public static TrainingRunPlan ExpectedPlan(
        string executionName,
        DateTimeOffset now,
        DateOnly? from = null,
        DateOnly? to = null,
        IReadOnlyDictionary<string, string>? overrides = null) =>
        TrainingRunPlan.Create(
            TelemetrySchema.Definition,
            new TrainingRunSettings
            {
                LakeBucket = S3rverServer.Bucket,
                Database = "pipeline_curated",
                DefaultWindowDays = 30,
                MinimumRows = 1000,
                MinimumPositives = 10,
                ValidationFraction = 0.2,
                CodeVersion = "4f2c9ab",
                HyperparameterOverrides = overrides,
            },
            new TrainingRunRequest { ExecutionName = executionName, From = from, To = to },
            new FixedClock(now));
}
