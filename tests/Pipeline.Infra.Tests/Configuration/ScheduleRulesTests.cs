using Pipeline.Infra.Configuration;
using static Pipeline.Infra.Tests.Configuration.Overrides;

namespace Pipeline.Infra.Tests.Configuration;

/// <summary>Schedules that never fire, and schedules that start a run before the previous one may have finished.</summary>
public sealed class ScheduleRulesTests
{
    private static readonly DateTime December2026 = new(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData("cron(0 0 31 2 ? *)")]
    [InlineData("cron(0 0 30 FEB ? *)")]
    [InlineData("cron(0 0 31 4,6,9,11 ? *)")]
    [InlineData("cron(0 0 29 2 ? 2027)")]
    [InlineData("cron(0 0 1 1 ? 2020)")]
    public void Load_CronThatNeverFires_IsNotAllowed(string schedule)
    {
        AssertValueRefused(Refusal(("training.schedule", schedule)), ConfigurationErrorCode.NotAllowed, "training.schedule", schedule);
    }

    [Fact]
    public void Load_CronInAPastYear_NamesItsLastYear()
    {
        Assert.Contains("2020", Refusal(("training.schedule", "cron(0 0 1 1 ? 2020)")).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TrainingScheduleFasterThanTheExecutionTimeout_SuggestsARateAsSparseAsTheTimeout()
    {
        // The sandbox's execution timeout is 180 minutes: rate(3 hours) is the closest rate that does not overlap.
        var error = Refusal(("training.schedule", "rate(1 hour)"));

        AssertRefused(error, ConfigurationErrorCode.Conflict, "training.schedule and training.executionTimeoutMinutes", null,
            "-c training.schedule=\"rate(3 hours)\"", "-c training.executionTimeoutMinutes");
        Assert.Contains("\"rate(1 hour)\"", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TrainingCronTwiceAnHourApart_NamesTheShortestGap()
    {
        var error = Refusal(("training.schedule", "cron(0 0,1 * * ? *)"));

        AssertRefused(error, ConfigurationErrorCode.Conflict, "training.schedule and training.executionTimeoutMinutes", null);
        Assert.Contains("every 1 hour", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TrainingScheduleAsSparseAsTheTimeout_IsAccepted()
    {
        Assert.Equal("rate(3 hours)", Load(("training.schedule", "rate(3 hours)")).Training.Schedule);
    }

    [Fact]
    public void Load_DriftScheduleFasterThanAnHour_SuggestsHourlyOrDisabled()
    {
        AssertRefused(Refusal(("drift.schedule", "rate(30 minutes)")), ConfigurationErrorCode.Conflict, "drift.schedule", "rate(30 minutes)",
            "-c drift.schedule=\"rate(1 hour)\"", "-c drift.schedule=disabled");
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
}
