using Pipeline.Infra.Configuration;

namespace Pipeline.Infra.Tests.Configuration;

/// <summary>Schedules that never fire, and schedules that start a run before the previous one may have finished.</summary>
public sealed class ScheduleRulesTests
{
    private const string Never =
        "never fires: no date from now to the end of its years matches its day-of-month, month and day-of-week (such as 31 February, or a weekday a month does not have), so EventBridge would accept the rule and never start a run.";

    private static readonly DateTime December2026 = new(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData("cron(0 0 31 2 ? *)")]
    [InlineData("cron(0 0 30 FEB ? *)")]
    [InlineData("cron(0 0 31 4,6,9,11 ? *)")]
    [InlineData("cron(0 0 29 2 ? 2027)")]
    public void Load_CronOnADateThatDoesNotExist_SaysItNeverFires(string schedule)
    {
        AssertSingleProblem(
            $"training.schedule = \"{schedule}\": {Never} Allowed: {PipelineSettingsLoaderTests.ScheduleAllowed}. Fix: pass -c training.schedule=<value>, or remove the override to use the sandbox default (disabled).",
            ("training.schedule", schedule));
    }

    [Fact]
    public void Load_CronInAPastYear_SaysItsLastYearIsPast()
    {
        AssertSingleProblem(
            $"training.schedule = \"cron(0 0 1 1 ? 2020)\": never fires: its last year, 2020, is past, so EventBridge would accept the rule and never start a run. Allowed: {PipelineSettingsLoaderTests.ScheduleAllowed}. Fix: pass -c training.schedule=<value>, or remove the override to use the sandbox default (disabled).",
            ("training.schedule", "cron(0 0 1 1 ? 2020)"));
    }

    [Fact]
    public void Load_TrainingScheduleFasterThanTheExecutionTimeout_SaysRunsWouldOverlap()
    {
        AssertSingleProblem(
            "training.schedule and training.executionTimeoutMinutes: \"rate(1 hour)\" starts a training run every 1 hour at the closest, and a run may take 180 minutes (training.executionTimeoutMinutes): runs would overlap, training on the same window and racing to register models. Allowed: fire times at least 180 minutes apart (3 hours). Fix: pass a sparser schedule such as -c training.schedule=\"rate(3 hours)\" or a daily or weekly cron(...), or lower -c training.executionTimeoutMinutes (it must still cover the worst-case training time).",
            ("training.schedule", "rate(1 hour)"));
    }

    [Fact]
    public void Load_TrainingCronTwiceAnHourApart_SaysRunsWouldOverlap()
    {
        var error = Assert.Throws<ConfigurationException>(() => Load(("training.schedule", "cron(0 0,1 * * ? *)")));

        Assert.StartsWith("training.schedule and training.executionTimeoutMinutes: \"cron(0 0,1 * * ? *)\" starts a training run every 1 hour at the closest,", Assert.Single(error.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TrainingScheduleAsSparseAsTheTimeout_IsAccepted()
    {
        Assert.Equal("rate(3 hours)", Load(("training.schedule", "rate(3 hours)")).Training.Schedule);
    }

    [Fact]
    public void Load_DriftScheduleFasterThanAnHour_SaysRunsWouldOverlap()
    {
        AssertSingleProblem(
            "drift.schedule = \"rate(30 minutes)\": starts a drift run every 30 minutes at the closest, and a drift run may take up to 60 minutes (the drift workflow's timeout): runs would overlap. Allowed: fire times at least 60 minutes apart, e.g. rate(1 hour) or cron(30 0 * * ? *). Fix: pass -c drift.schedule=\"rate(1 hour)\" or sparser (drift judges whole-hour windows, drift.windowHours), or -c drift.schedule=disabled.",
            ("drift.schedule", "rate(30 minutes)"));
    }

    [Fact]
    public void Load_DriftScheduleHourly_IsAccepted()
    {
        Assert.Equal("rate(1 hour)", Load(("drift.schedule", "rate(1 hour)")).Drift.Schedule);
    }

    [Theory]
    [InlineData("cron(0 12 ? * 6L *)", "2026-12-25T12:00")]
    [InlineData("cron(0 12 ? * 3#2 *)", "2026-12-08T12:00")]
    [InlineData("cron(0 12 L * ? *)", "2026-12-31T12:00")]
    [InlineData("cron(0 12 15W * ? *)", "2026-12-15T12:00")]
    [InlineData("cron(30 0 * * ? *)", "2026-12-01T00:30")]
    [InlineData("cron(0 3 ? * SUN *)", "2026-12-06T03:00")]
    [InlineData("cron(0 0 ? * FRI-MON 2027)", "2027-01-01T00:00")]
    [InlineData("rate(5 minutes)", "2026-12-01T00:00")]
    public void NextFireTimes_FromDecember2026_GivesTheFirstFireTime(string schedule, string expected)
    {
        var first = Assert.Single(ScheduleExpression.NextFireTimes(schedule, December2026, 1));

        Assert.Equal(expected, first.ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void NextFireTimes_NearestWeekdayOfASaturdayFirst_IsTheMonday()
    {
        var first = ScheduleExpression.NextFireTimes("cron(0 12 1W * ? *)", new DateTime(2026, 8, 1, 0, 0, 0, DateTimeKind.Utc), 1)[0];

        Assert.Equal(new DateTime(2026, 8, 3, 12, 0, 0, DateTimeKind.Utc), first);
    }

    [Theory]
    [InlineData("rate(90 minutes)", 90)]
    [InlineData("cron(0/15 * * * ? *)", 15)]
    [InlineData("cron(0 0,1 * * ? *)", 60)]
    [InlineData("cron(0 3 ? * SUN *)", 7 * 24 * 60)]
    public void ShortestInterval_Schedule_IsTheClosestTwoRuns(string schedule, int minutes)
    {
        Assert.Equal(TimeSpan.FromMinutes(minutes), ScheduleExpression.ShortestInterval(schedule, December2026));
    }

    [Fact]
    public void ShortestInterval_CronFiringOnce_IsNull()
    {
        Assert.Null(ScheduleExpression.ShortestInterval("cron(0 0 1 1 ? 2030)", December2026));
    }

    [Theory]
    [InlineData(90, "1 hour 30 minutes")]
    [InlineData(2880, "2 days")]
    [InlineData(1, "1 minute")]
    public void Describe_Interval_ReadsAsAPersonWouldWriteIt(int minutes, string expected)
    {
        Assert.Equal(expected, ScheduleExpression.Describe(TimeSpan.FromMinutes(minutes)));
    }

    private static PipelineSettings Load(params (string Key, string Value)[] values) =>
        PipelineSettingsLoader.Load(values.ToDictionary(v => v.Key, v => (string?)v.Value));

    private static void AssertSingleProblem(string expectedMessage, params (string Key, string Value)[] values)
    {
        var error = Assert.Throws<ConfigurationException>(() => Load(values));

        Assert.Equal(expectedMessage, Assert.Single(error.Errors).Message);
    }
}
