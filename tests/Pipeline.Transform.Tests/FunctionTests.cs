using System.Reflection;
using System.Text;
using Pipeline.Ingestion;
using Pipeline.Transform.Tests.Support;
using Pipeline.Testing;

namespace Pipeline.Transform.Tests;

public class FunctionTests
{
    private static Function NewFunction(TextWriter log) => new(new FixedTimeProvider(Telemetry.Now), log);

    private static byte[] ReadAll(Stream stream)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    [Fact]
    public async Task Handle_ValidBatchFixture_ReturnsTheTransformersResponse()
    {
        var input = FirehoseEvents.Load("valid-batch.json");
        var log = new StringWriter { NewLine = "\n" };

        var response = await NewFunction(log).Handle(new MemoryStream(input));

        Assert.True(response.CanRead);
        Assert.Equal(0, response.Position);
        var bytes = ReadAll(response);
        Assert.Equal(TransformRun.Of(input).Output, bytes);
        Assert.Equal(bytes.Length, response.Length);
        Assert.StartsWith(
            "{\"level\":\"INFO\",\"message\":\"Firehose batch transformed.\",\"event\":\"firehose_transform_summary\"",
            log.ToString(),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handle_NonSeekableInput_ReadsTheWholePayload()
    {
        var input = FirehoseEvents.Load("mixed-batch.json");

        var response = await NewFunction(TextWriter.Null).Handle(new NonSeekableStream(input, chunk: 7));

        Assert.Equal(TransformRun.Of(input).Output, ReadAll(response));
    }

    [Fact]
    public async Task Handle_InputStreamPositioned_ReadsFromThePosition()
    {
        var input = FirehoseEvents.Load("valid-batch.json");
        var stream = new MemoryStream([.. "garbage"u8, .. input]) { Position = 7 };

        var response = await NewFunction(TextWriter.Null).Handle(stream);

        Assert.Equal(TransformRun.Of(input).Output, ReadAll(response));
    }

    [Fact]
    public async Task Handle_SecondInvocation_ReturnsItsOwnResponse()
    {
        var function = NewFunction(TextWriter.Null);
        await function.Handle(new MemoryStream(FirehoseEvents.Load("mixed-batch.json")));

        var response = await function.Handle(new MemoryStream(FirehoseEvents.Load("empty-batch.json")));

        Assert.Equal("{\"records\":[]}", Encoding.UTF8.GetString(ReadAll(response)));
    }

    [Fact]
    public async Task Handle_MalformedEvent_LogsTheFailureAndRethrows()
    {
        var log = new StringWriter { NewLine = "\n" };

        var ex = await Assert.ThrowsAsync<FirehoseEventException>(
            async () => await NewFunction(log).Handle(new MemoryStream(FirehoseEvents.Load("envelope-no-records.json"))));

        Assert.Equal(
            $"{{\"level\":\"ERROR\",\"message\":\"{ex.Message.Replace("\"", "\\\"", StringComparison.Ordinal)}\"," +
            "\"event\":\"firehose_transform_failed\",\"errorType\":\"Pipeline.Ingestion.FirehoseEventException\"}\n",
            log.ToString());
    }

    [Fact]
    public async Task Handle_AfterAFailure_HandlesTheNextInvocation()
    {
        var function = NewFunction(TextWriter.Null);
        await Assert.ThrowsAsync<FirehoseEventException>(async () => await function.Handle(new MemoryStream("{"u8.ToArray())));

        var response = await function.Handle(new MemoryStream(FirehoseEvents.Load("valid-batch.json")));

        Assert.Equal(3, TransformRun.ParseResponse(ReadAll(response)).Count);
    }

    [Fact]
    public async Task Handle_CalledWhileRunning_Throws()
    {
        Function? function = null;
        var reentrant = new CallbackStream(() => function!.Handle(new MemoryStream(FirehoseEvents.Load("empty-batch.json"))).AsTask());
        function = NewFunction(TextWriter.Null);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(async () => await function.Handle(reentrant));

        Assert.Equal("Function.Handle is already running: an instance handles one invocation at a time.", ex.Message);
    }

    [Fact]
    public async Task Handle_NullInput_Throws()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await NewFunction(TextWriter.Null).Handle(null!));
    }

    [Fact]
    public void Constructor_NullLog_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => new Function(TimeProvider.System, null!));
    }

    [Fact]
    public void Assembly_MatchesTheExecutableHandlerString()
    {
        // Handler string "Pipeline.Transform": the bootstrap runs `dotnet exec /var/task/Pipeline.Transform.dll`.
        var assembly = typeof(Function).Assembly;

        Assert.Equal("Pipeline.Transform", assembly.GetName().Name);
        Assert.Equal("Pipeline.Transform.Program", assembly.EntryPoint?.DeclaringType?.FullName);
    }

    [Fact]
    public void Handle_IsStreamInStreamOut()
    {
        var handle = Assert.Single(typeof(Function).GetMethods(BindingFlags.Public | BindingFlags.Instance), m => m.Name == "Handle");

        Assert.Equal(typeof(ValueTask<Stream>), handle.ReturnType);
        Assert.Equal([typeof(Stream)], handle.GetParameters().Select(p => p.ParameterType));
    }

    [Fact]
    public async Task Handle_Realistic6MbBatchOnNewFunction_AllocatesTheInputAndAResponseBufferOfTheSameSize()
    {
        // A response is never larger than its event, so the response buffer is sized once. JIT and type
        // initialisation happen first, on another instance.
        var (input, _) = RealisticTelemetry.FirehoseEvent();
        await NewFunction(TextWriter.Null).Handle(new MemoryStream(FirehoseEvents.Load("mixed-batch.json")));
        var function = NewFunction(TextWriter.Null);
        var stream = new MemoryStream(input);

        var before = GC.GetAllocatedBytesForCurrentThread();
        await function.Handle(stream);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.InRange(allocated, 2L * input.Length, (2L * input.Length) + (64 * 1024));
    }

    [Fact]
    public async Task Handle_Realistic6MbBatchOnWarmFunction_AllocatesAlmostNothing()
    {
        var (input, _) = RealisticTelemetry.FirehoseEvent();
        var function = NewFunction(TextWriter.Null);
        await function.Handle(new MemoryStream(input));
        var stream = new MemoryStream(input);

        var before = GC.GetAllocatedBytesForCurrentThread();
        await function.Handle(stream);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.InRange(allocated, 0, 16 * 1024);
    }

    /// <summary>A stream that cannot seek and hands out at most a few bytes per read, as a network stream may.</summary>
    private sealed class NonSeekableStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));

        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, chunk)]);
    }

    /// <summary>A stream whose first read runs a callback (to call the function from inside an invocation).</summary>
    private sealed class CallbackStream(Action callback) : MemoryStream
    {
        public override bool CanSeek => false;

        public override int Read(byte[] buffer, int offset, int count)
        {
            callback();
            return 0;
        }

        public override int Read(Span<byte> buffer)
        {
            callback();
            return 0;
        }
    }
}
