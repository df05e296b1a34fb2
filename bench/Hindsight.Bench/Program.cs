using BenchmarkDotNet.Running;

// Examples:
//   dotnet run -c Release --project bench/Hindsight.Bench -- --filter '*Gemm*'
//   dotnet run -c Release --project bench/Hindsight.Bench -- --filter '*' --job short
BenchmarkSwitcher.FromAssembly(typeof(Hindsight.Bench.GemmBenchmarks).Assembly).Run(args);
