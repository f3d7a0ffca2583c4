using System.Diagnostics;
using System.Globalization;

namespace Pipeline.Benchmarks;

/// <summary>
/// An interleaved measurement for noisy, shared machines: runs <see cref="TransformBenchmarks.Floor"/> and
/// <see cref="TransformBenchmarks.Transform"/> alternately, so that both see the same background load, and reports
/// the median of the per-pair throughput ratios and the best time of each. Not a BenchmarkDotNet run: a quick,
/// robust check of the ratio (<c>dotnet run -c Release -- --paired [pairs]</c>).
/// </summary>
internal static class PairedRun
{
    public static void Run(int pairs)
    {
        var benchmarks = new TransformBenchmarks();
        benchmarks.Setup();
        for (var i = 0; i < 40; i++)
        {
            benchmarks.Floor();
            benchmarks.Transform();
        }

        var ratios = new double[pairs];
        var (bestFloor, bestTransform) = (long.MaxValue, long.MaxValue);
        for (var i = 0; i < pairs; i++)
        {
            var start = Stopwatch.GetTimestamp();
            benchmarks.Floor();
            var middle = Stopwatch.GetTimestamp();
            benchmarks.Transform();
            var end = Stopwatch.GetTimestamp();
            ratios[i] = (double)(middle - start) / (end - middle);
            bestFloor = Math.Min(bestFloor, middle - start);
            bestTransform = Math.Min(bestTransform, end - middle);
        }

        benchmarks.Cleanup();
        Array.Sort(ratios);
        double MegabytesPerSecond(long ticks) => TransformBenchmarks.PayloadBytes / 1e6 / ((double)ticks / Stopwatch.Frequency);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Paired run, {pairs} pairs: transform/floor throughput, median {ratios[pairs / 2]:P1} " +
            $"(10th percentile {ratios[pairs / 10]:P1}, 90th {ratios[pairs * 9 / 10]:P1}); best times: floor " +
            $"{bestFloor * 1000.0 / Stopwatch.Frequency:F2} ms ({MegabytesPerSecond(bestFloor):F0} MB/s), transform " +
            $"{bestTransform * 1000.0 / Stopwatch.Frequency:F2} ms ({MegabytesPerSecond(bestTransform):F0} MB/s)."));
    }
}
