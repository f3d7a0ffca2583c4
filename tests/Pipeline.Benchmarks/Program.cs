using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Pipeline.Benchmarks;

/// <summary>Entry point: BenchmarkDotNet's command line (e.g. <c>--filter '*' --job short</c>).</summary>
internal static class Program
{
    private static void Main(string[] args)
    {
        // In-process by default: BenchmarkDotNet's generated project would live under tests/ and inherit the
        // repository's test and analyzer settings. Pass --outOfProcess to use the default toolchain.
        var outOfProcess = args.Contains("--outOfProcess");
        var config = DefaultConfig.Instance.AddColumn(new ThroughputColumn());
        if (!outOfProcess)
        {
            config = config.AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).AsMutator());
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly)
            .Run([.. args.Where(a => a != "--outOfProcess")], config);
    }
}
