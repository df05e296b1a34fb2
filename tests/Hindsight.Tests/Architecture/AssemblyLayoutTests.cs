using System.Reflection;
using System.Text.RegularExpressions;
using Hindsight.Tests.Support;

namespace Hindsight.Tests.Architecture;

/// <summary>The assemblies keep the shape docs/architecture.md describes: the engine stands alone, applications
/// depend on the engine (the lesson also on forecasting, for its time-series data), and namespaces follow folders.</summary>
public class AssemblyLayoutTests
{
    private static readonly Dictionary<string, Assembly> Libraries = new()
    {
        ["Hindsight"] = typeof(Tensor).Assembly,
        ["Hindsight.Forecasting"] = typeof(Hindsight.Forecasting.TimeSeries).Assembly,
        ["Hindsight.Text"] = typeof(Hindsight.Text.Alphabet).Assembly,
        ["Hindsight.Lesson"] = typeof(Hindsight.Lesson.LessonExperiment).Assembly,
        ["Hindsight.Images"] = typeof(Hindsight.Images.ImageSet).Assembly,
    };

    /// <summary>Which Hindsight assemblies each library may reference.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Hindsight"] = [],
        ["Hindsight.Forecasting"] = ["Hindsight"],
        ["Hindsight.Text"] = ["Hindsight"],
        ["Hindsight.Lesson"] = ["Hindsight", "Hindsight.Forecasting"],
        ["Hindsight.Images"] = ["Hindsight"],
    };

    [Theory]
    [InlineData("Hindsight")]
    [InlineData("Hindsight.Forecasting")]
    [InlineData("Hindsight.Text")]
    [InlineData("Hindsight.Lesson")]
    [InlineData("Hindsight.Images")]
    public void LibraryReferencesOnlyWhatItMay(string library)
    {
        var assembly = Libraries[library];
        Assert.Equal(library, assembly.GetName().Name);
        var hindsightRefs = assembly.GetReferencedAssemblies().Select(a => a.Name!)
            .Where(n => n == "Hindsight" || n.StartsWith("Hindsight.", StringComparison.Ordinal)).Order().ToArray();
        Assert.Equal(Allowed[library].Order().ToArray(), hindsightRefs);
    }

    [Fact]
    public void EngineHasNoApplicationNamespaces()
    {
        var namespaces = typeof(Tensor).Assembly.GetTypes().Select(t => t.Namespace ?? "").Distinct().ToArray();
        foreach (var app in new[] { "Hindsight.Forecasting", "Hindsight.Text", "Hindsight.Lesson", "Hindsight.Images", "Hindsight.Cli", "Hindsight.Plots" })
            Assert.DoesNotContain(namespaces, n => n == app || n.StartsWith(app + ".", StringComparison.Ordinal));
        Assert.DoesNotContain(namespaces, n => n.Contains("Bench", StringComparison.Ordinal));
    }

    [Fact]
    public void NamespacesFollowFolders()
    {
        var wrong = new List<string>();
        int files = 0;
        foreach (var project in Directory.GetDirectories(Repo.Path("src")))
        {
            string root = System.IO.Path.GetFileName(project);
            foreach (var file in Directory.EnumerateFiles(project, "*.cs", SearchOption.AllDirectories))
            {
                var rel = System.IO.Path.GetRelativePath(project, file);
                if (rel.StartsWith("bin", StringComparison.Ordinal) || rel.StartsWith("obj", StringComparison.Ordinal)) continue;
                var match = Regex.Match(File.ReadAllText(file), @"^namespace ([\w.]+);", RegexOptions.Multiline);
                if (!match.Success) continue; // top-level statements (Program.cs)
                files++;
                var folder = System.IO.Path.GetDirectoryName(rel)!.Replace(System.IO.Path.DirectorySeparatorChar, '.');
                var expected = folder.Length == 0 ? root : $"{root}.{folder}";
                if (match.Groups[1].Value != expected) wrong.Add($"{rel}: {match.Groups[1].Value}, expected {expected}");
            }
        }
        Assert.True(files > 100, $"only {files} source files found under src/");
        Assert.Empty(wrong);
    }

    [Theory]
    [InlineData("Hindsight")]
    [InlineData("Hindsight.Forecasting")]
    [InlineData("Hindsight.Text")]
    [InlineData("Hindsight.Lesson")]
    [InlineData("Hindsight.Plots")]
    [InlineData("Hindsight.Images")]
    public void EachLibraryPacksWithAReadme(string library)
    {
        var project = File.ReadAllText(Repo.Path("src", library, library + ".csproj"));
        Assert.Contains("<PackageReadmeFile>README.md</PackageReadmeFile>", project);
        var readme = File.ReadAllText(Repo.Path("src", library, "README.md"));
        Assert.StartsWith("# " + library, readme);
        Assert.True(readme.Length > 300, $"src/{library}/README.md is too short to help anyone");
    }
}
