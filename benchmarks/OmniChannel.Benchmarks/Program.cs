using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using OmniChannel.Benchmarks;

// The target is "events per second on one core", so the main job is pinned to one CPU; a second job shows what both
// cores of the build machine give (ingest stitches people in parallel). Seeing one CPU, the runtime delays tiered
// compilation tenfold, and a short benchmark then measures unoptimised code that a long-running ingest host leaves
// behind within seconds: DOTNET_TC_DelaySingleProcMultiplier=1 reaches that steady state inside the warm-up.
var steadyState = new EnvironmentVariable("DOTNET_TC_DelaySingleProcMultiplier", "1");
var config = DefaultConfig.Instance
    .AddJob(Job.Default.WithAffinity(1).WithEnvironmentVariables(steadyState).WithWarmupCount(5).WithIterationCount(10).WithId("OneCore"))
    .AddJob(Job.Default.WithEnvironmentVariables(steadyState).WithWarmupCount(5).WithIterationCount(10).WithId("TwoCores"))
    .AddColumn(new EventsPerSecondColumn());

BenchmarkSwitcher.FromAssembly(typeof(IngestPipelineBenchmarks).Assembly).Run(args, config);
