using BenchmarkDotNet.Running;
using Hindsight.Bench;

// Examples:
//   dotnet run -c Release --project bench/Hindsight.Bench -- --filter '*Gemm*' --job short   (BenchmarkDotNet)
//   dotnet run -c Release --project bench/Hindsight.Bench -- gflops                          (quick best-of-5 GEMM table)
//   dotnet run -c Release --project bench/Hindsight.Bench -- arima [maxRSeconds] [id]   (auto.arima per series vs R)
//   dotnet run -c Release --project bench/Hindsight.Bench -- --filter "*ClassicalFit*" --job short   (ets/theta/otm/arima fit times)
//   dotnet run -c Release --project bench/Hindsight.Bench -- speed [runs] [models]          (200-month fit times, issue 10 point 8)
//   dotnet run -c Release --project bench/Hindsight.Bench -- ets                             (automatic ETS on 200-point monthly series)
//   dotnet run -c Release --project bench/Hindsight.Bench -- inference [rounds] [filter]      (issue 13: inference vs ONNX Runtime)
//   dotnet run -c Release --project bench/Hindsight.Bench -- appinfer [rounds] [filter]       (issue 13: the applications' inference paths vs Forward)
// The N-BEATS training step against PyTorch (issue 11) is `hindsight bench nbeats --compare` (src/Hindsight.Cli/Bench/).
if (args.Length > 0 && args[0] == "inference") InferenceComparison.Run(args);
else if (args.Length > 0 && args[0] == "inferprof") InferenceProfile.Run(args);
else if (args.Length > 0 && args[0] == "appinfer") AppInference.Run(args);
else if (args.Length > 0 && args[0] == "gflops") GemmThroughput.Print();
else if (args.Length > 0 && args[0] == "ets") EtsTiming.Print();
else if (args.Length > 0 && args[0] == "arima") ArimaHarness.Run(args);
else if (args.Length > 0 && args[0] == "speed") ClassicalSpeed.Run(args);
else BenchmarkSwitcher.FromAssembly(typeof(GemmBenchmarks).Assembly).Run(args);
