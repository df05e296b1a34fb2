using Hindsight.Data;
using Hindsight.Forecasting.Data;
using Hindsight.Serialization;
using SharpFuzz;

// One target per process: csv, json or safetensors. Under afl-fuzz (SharpFuzz's AFL mode) each input arrives on a stream;
// with --replay FILE... the inputs are run once each outside AFL (to triage crashes and to check a corpus).
// Documented failures (DataFormatException, InvalidDataException) are the readers' answers to bad input, not findings;
// any other exception escapes and is a crash.
if (args.Length < 1 || args[0] is not ("csv" or "json" or "safetensors"))
{
    Console.Error.WriteLine("usage: Hindsight.Fuzz csv|json|safetensors [--replay FILE...]");
    return 2;
}
string target = args[0];
string scratch = Path.Combine(Path.GetTempPath(), $"hindsight-fuzz-{target}-{Environment.ProcessId}");
Directory.CreateDirectory(scratch);
string path = Path.Combine(scratch, target == "json" ? "input.json" : target == "csv" ? "input.csv" : "input.safetensors");

void One(byte[] bytes)
{
    try
    {
        switch (target)
        {
            case "safetensors":
                SafeTensors.Read(bytes, "input.safetensors");
                break;
            default:
                File.WriteAllBytes(path, bytes);
                SeriesCsv.Load(path);
                break;
        }
    }
    catch (DataFormatException) { }
    catch (InvalidDataException) { }
}

if (args.Length > 1 && args[1] == "--replay")
{
    int crashes = 0;
    foreach (var file in args.Skip(2))
    {
        try { One(File.ReadAllBytes(file)); }
        catch (Exception ex)
        {
            crashes++;
            Console.WriteLine($"{file}\t{ex.GetType().Name}\t{ex.Message.ReplaceLineEndings(" ")}");
            var frame = ex.StackTrace?.Split('\n').FirstOrDefault(l => l.Contains("Hindsight", StringComparison.Ordinal));
            if (frame is not null) Console.WriteLine($"\t{frame.Trim()}");
        }
    }
    Console.WriteLine($"replayed {args.Length - 2} inputs, {crashes} crashed");
    return crashes == 0 ? 0 : 1;
}

Fuzzer.OutOfProcess.Run(stream =>
{
    using var ms = new MemoryStream();
    stream.CopyTo(ms);
    One(ms.ToArray());
});
return 0;
