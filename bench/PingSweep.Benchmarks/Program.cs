using BenchmarkDotNet.Running;

namespace PingSweep.Benchmarks
{
    /// <summary>Entry point: BenchmarkDotNet's switcher, so any benchmark class can be picked with --filter.</summary>
    public static class Program
    {
        /// <summary>Runs the benchmarks chosen by the command line.</summary>
        /// <param name="args">BenchmarkDotNet arguments, e.g. <c>--filter * --job short</c>.</param>
        public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
