using System.CommandLine;

namespace Hindsight.Cli;

/// <summary>Validators for option values, so a bad value is a parse error (exit 2) naming the option.</summary>
internal static class OptionRules
{
    public static Option<int> Positive(this Option<int> option)
    {
        option.Validators.Add(r =>
        {
            int v = r.GetValueOrDefault<int>();
            if (v <= 0) r.AddError($"{option.Name} must be a positive integer, got {v}.");
        });
        return option;
    }

    public static Option<float> PositiveFinite(this Option<float> option)
    {
        option.Validators.Add(r =>
        {
            float v = r.GetValueOrDefault<float>();
            if (!(v > 0) || !float.IsFinite(v)) r.AddError($"{option.Name} must be a positive finite number, got {v}.");
        });
        return option;
    }

    public static Option<FileInfo> MustExist(this Option<FileInfo> option)
    {
        option.Validators.Add(r =>
        {
            var f = r.GetValueOrDefault<FileInfo>();
            if (f is not null && !f.Exists) r.AddError($"{f.FullName}: file not found ({option.Name}).");
        });
        return option;
    }
}
