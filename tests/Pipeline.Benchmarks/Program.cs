using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Pipeline.Benchmarks;

/// <summary>
/// Entry point: BenchmarkDotNet's command line (e.g. <c>--filter '*' --job short</c>), or <c>--paired [pairs]</c> for
/// the interleaved check in <see cref="PairedRun"/>.
/// </summary>
internal static class Program
{
    private static void Main(string[] args)
    {
        var paired = Array.IndexOf(args, "--paired");
        if (paired >= 0)
        {
            PairedRun.Run(paired + 1 < args.Length && int.TryParse(args[paired + 1], out var pairs) ? pairs : 200);
            return;
        }

        // In-process by default: BenchmarkDotNet's generated project would live under tests/ and inherit the
        // repository's test and analyzer settings. Pass --outOfProcess to use the default toolchain.
        // At least 15 warm-up iterations, whatever the job: the transformation's record loop runs once per call, so
        // a short job's 3 warm-ups would measure it before the JIT has tiered it up (as a warm Lambda has). With 3,
        // Transform measured 24 to 31 ms and unstable; with 15, 18.7 ms, stable (the floor is unaffected).
        var outOfProcess = args.Contains("--outOfProcess");
        var config = DefaultConfig.Instance.AddColumn(new ThroughputColumn());
        var mutator = Job.Default.WithWarmupCount(15);
        if (!outOfProcess)
        {
            mutator = mutator.WithToolchain(InProcessEmitToolchain.Instance);
        }

        config = config.AddJob(mutator.AsMutator());

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly)
            .Run([.. args.Where(a => a != "--outOfProcess")], config);
    }
}
