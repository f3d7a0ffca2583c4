using Pipeline.Ingestion;
using Pipeline.Transform.Tests.Support;
using Pipeline.Testing;

namespace Pipeline.Transform.Tests;

/// <summary>Allocation budgets (not timing): what one invocation costs the garbage collector.</summary>
public partial class FirehoseTransformerTests
{
    [Fact]
    public void Transform_Realistic6MbBatchOnNewTransformer_AllocatesLessThanThePayload()
    {
        // A new transformer allocates its response segments (about 3/4 of the event) and small scratch buffers; the
        // event is read in place. JIT and type initialisation happen first, on another instance.
        var (input, _) = RealisticTelemetry.FirehoseEvent();
        TransformRun.Transformer(TextWriter.Null).Transform(FirehoseEvents.Load("mixed-batch.json"), new SegmentedBufferWriter());
        var transformer = TransformRun.Transformer(TextWriter.Null);
        var output = new SegmentedBufferWriter();

        var before = GC.GetAllocatedBytesForCurrentThread();
        transformer.Transform(input, output);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.InRange(allocated, output.WrittenCount, input.Length);
    }

    [Fact]
    public void Transform_Realistic6MbBatchOnWarmTransformer_AllocatesAlmostNothing()
    {
        // Warm, everything is reused: what is left is the summary (object, dictionary, log line).
        var (input, _) = RealisticTelemetry.FirehoseEvent();
        var transformer = TransformRun.Transformer(TextWriter.Null);
        var output = new SegmentedBufferWriter();
        transformer.Transform(input, output);
        output.Reset();

        var before = GC.GetAllocatedBytesForCurrentThread();
        transformer.Transform(input, output);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.InRange(allocated, 0, 16 * 1024);
    }
}
