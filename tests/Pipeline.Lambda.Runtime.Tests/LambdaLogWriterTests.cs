using Pipeline.Testing;

namespace Pipeline.Lambda.Runtime.Tests;

public sealed class LambdaLogWriterTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 20, 0, 0, 7, TimeSpan.FromHours(1));

    private readonly StringWriter _sink = new() { NewLine = "\n" };

    public void Dispose() => _sink.Dispose();

    private LambdaLogWriter NewLog() => new(_sink, new FixedClock(Now));

    [Fact]
    public void WriteLine_JsonObjectDuringInvocation_PutsTimestampRequestIdAndTraceIdFirst()
    {
        var log = NewLog();
        log.RequestId = "8476a536-e9f4-11e8-9739-2dfe598c3fcd";
        log.TraceId = "Root=1-5759e988";

        log.WriteLine("{\"level\":\"WARN\",\"message\":\"m\",\"event\":\"e\"}");

        Assert.Equal(
            "{\"timestamp\":\"2026-11-29T19:00:00.007Z\",\"requestId\":\"8476a536-e9f4-11e8-9739-2dfe598c3fcd\"," +
            "\"traceId\":\"Root=1-5759e988\",\"level\":\"WARN\",\"message\":\"m\",\"event\":\"e\"}\n",
            _sink.ToString());
    }

    [Fact]
    public void WriteLine_JsonObjectBetweenInvocations_AddsOnlyTheTimestamp()
    {
        NewLog().WriteLine("{\"level\":\"INFO\",\"message\":\"m\"}");

        Assert.Equal("{\"timestamp\":\"2026-11-29T19:00:00.007Z\",\"level\":\"INFO\",\"message\":\"m\"}\n", _sink.ToString());
    }

    [Fact]
    public void WriteLine_EmptyObject_HoldsOnlyTheContext()
    {
        NewLog().WriteLine("{}");

        Assert.Equal("{\"timestamp\":\"2026-11-29T19:00:00.007Z\"}\n", _sink.ToString());
    }

    [Fact]
    public void WriteLine_PlainText_BecomesAnInfoEntryWithTheTextAsMessage()
    {
        var log = NewLog();
        log.RequestId = "r-1";

        log.WriteLine("Hello \"world\"\tagain");

        Assert.Equal(
            "{\"timestamp\":\"2026-11-29T19:00:00.007Z\",\"requestId\":\"r-1\",\"level\":\"INFO\",\"message\":\"Hello \\\"world\\\"\\tagain\"}\n",
            _sink.ToString());
    }

    [Fact]
    public void WriteLine_TextWithNewlines_IsOneEntry()
    {
        NewLog().WriteLine("line one\nline two");

        Assert.Equal(
            "{\"timestamp\":\"2026-11-29T19:00:00.007Z\",\"level\":\"INFO\",\"message\":\"line one\\nline two\"}\n",
            _sink.ToString());
    }

    [Fact]
    public void Write_TextWithoutNewline_WaitsForTheNewline()
    {
        var log = NewLog();

        log.Write("part ");
        Assert.Equal(string.Empty, _sink.ToString());
        log.Write("two\nrest");

        Assert.Equal("{\"timestamp\":\"2026-11-29T19:00:00.007Z\",\"level\":\"INFO\",\"message\":\"part two\"}\n", _sink.ToString());
    }

    [Fact]
    public void WriteLine_FormattedObject_GoesThroughTheSameFormat()
    {
        NewLog().WriteLine(42);

        Assert.Equal("{\"timestamp\":\"2026-11-29T19:00:00.007Z\",\"level\":\"INFO\",\"message\":\"42\"}\n", _sink.ToString());
    }

    [Fact]
    public void Dispose_PendingText_IsWritten()
    {
        var log = NewLog();
        log.Write("unterminated");

        log.Dispose();

        Assert.Equal("{\"timestamp\":\"2026-11-29T19:00:00.007Z\",\"level\":\"INFO\",\"message\":\"unterminated\"}\n", _sink.ToString());
    }

    [Fact]
    public void WriteEntry_NoError_HoldsLevelAndMessageOnly()
    {
        NewLog().WriteEntry("WARN", "Could not set the GC heap limit to \"512\" MB.");

        Assert.Equal(
            "{\"timestamp\":\"2026-11-29T19:00:00.007Z\",\"level\":\"WARN\",\"message\":\"Could not set the GC heap limit to \\\"512\\\" MB.\"}\n",
            _sink.ToString());
    }
}
