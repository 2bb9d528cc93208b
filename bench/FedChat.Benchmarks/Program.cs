using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// A short job (3 warm-ups, 5 iterations), run in this process rather than in a generated project, so
// the whole set takes a few minutes on a busy 2-core machine. bench/benchmarks.sh copies the results
// to bench/FedChat.Benchmarks/results.
var config = DefaultConfig.Instance.AddJob(Job.ShortRun.WithWarmupCount(3).WithIterationCount(5).WithToolchain(InProcessEmitToolchain.Instance));
BenchmarkSwitcher.FromAssembly(typeof(FedChat.Benchmarks.InboxHotPaths).Assembly).Run(args, config);
