using System.Diagnostics.CodeAnalysis;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Pipeline.Testing;

namespace Pipeline.Benchmarks;

/// <summary>
/// The cold path of the transform Lambda: from starting the process (as the managed runtime does,
/// <c>dotnet exec Pipeline.Transform.dll</c>) to its first response arriving at the Runtime API, against the same
/// for a function that returns its input (<c>EmptyFunction/</c>), published with the same arguments and run by the same
/// loop. Both answer the same small event (<c>valid-batch.json</c>, three records). The ratio is the transform's
/// own start-up cost: loading Pipeline.Ingestion, building the transformer, and the first transformation.
/// </summary>
/// <remarks>
/// One process per iteration (RunStrategy.Monitoring: one invocation per iteration, no unrolling); a new fake
/// Runtime API on 127.0.0.1 per iteration, so that a killed process's pending <c>GET next</c> cannot take the next
/// iteration's event. Both are published for this machine's architecture with ReadyToRun, as the CDK bundling
/// publishes for the function's.
/// </remarks>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, iterationCount: 60)]
[MinColumn]
[MedianColumn]
[SuppressMessage(
    "Design",
    "CA1001:Types that own disposable fields should be disposable",
    Justification = "BenchmarkDotNet owns the instance; the process and the fake API are disposed in [IterationCleanup].")]
public class ColdStartBenchmarks
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private string _transform = string.Empty;
    private string _empty = string.Empty;
    private byte[] _event = [];
    private FakeRuntimeApi? _api;
    private FunctionProcess? _process;

    [GlobalSetup]
    public void Setup()
    {
        _transform = LambdaPublish.Publish("lambdas/Pipeline.Transform/Pipeline.Transform.csproj", "pipeline-cold-transform-");
        _empty = LambdaPublish.Publish("tests/Pipeline.Benchmarks/EmptyFunction/Pipeline.EmptyFunction.csproj", "pipeline-cold-empty-");
        _event = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "events", "valid-batch.json"));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Directory.Delete(_transform, recursive: true);
        Directory.Delete(_empty, recursive: true);
    }

    [IterationSetup]
    public void StartApi()
    {
        _api = new FakeRuntimeApi();
        _api.Enqueue(new FakeEvent("cold-start", _event));
    }

    [IterationCleanup]
    public void StopProcess()
    {
        _process?.Dispose();
        _process = null;
        _api?.Dispose();
        _api = null;
    }

    [Benchmark(Baseline = true)]
    public int Empty() => FirstResponse(_empty, "Pipeline.EmptyFunction");

    [Benchmark]
    public int Transform() => FirstResponse(_transform, "Pipeline.Transform");

    private int FirstResponse(string directory, string assembly)
    {
        var api = _api!;
        _process = new FunctionProcess(directory, assembly, api.HostAndPort);
        api.NextRequestAsync(Wait).GetAwaiter().GetResult();
        var response = api.NextPostAsync(Wait).GetAwaiter().GetResult();
        if (!response.Path.EndsWith("/cold-start/response", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{assembly} answered {response.Path}: {response.BodyText}");
        }

        return response.Body.Length;
    }
}
