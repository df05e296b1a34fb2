using System.Globalization;
using Hindsight.Data;
using nietras.SeparatedValues;

namespace Hindsight.Lesson.Digits;

/// <summary>Rows of numeric features with an integer class label (for example the bundled digits).</summary>
/// <param name="Features">(rows, features), row-major.</param>
/// <param name="Labels">One class index per row.</param>
/// <param name="FeatureCount">Number of features per row.</param>
public sealed record LabeledVectors(float[] Features, int[] Labels, int FeatureCount)
{
    /// <summary>The file the rows were read from (named in errors), or empty.</summary>
    public string Source { get; init; } = "";

    /// <summary>Number of rows.</summary>
    public int Count => Labels.Length;

    /// <summary>
    /// Reads a headerless CSV (optionally .gz) whose rows are <c>f1,...,fn,label</c>. Every row must have the same
    /// number of columns; a non-number names the file, line and column. Text is strict UTF-8; a <c>.gz</c> file
    /// is read to its trailer, so a truncated or corrupt one is an error (see <see cref="DataFile"/>).
    /// </summary>
    public static LabeledVectors Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found.", path);
        string text = DataFile.ReadText(path); // strict UTF-8; a .gz is read to its trailer (CRC-32 and length checked)
        var features = new List<float>();
        var labels = new List<int>();
        int columns = -1;
        using var reader = Sep.New(',').Reader(o => o with { HasHeader = false, DisableColCountCheck = true, Unescape = true }).FromText(text);
        foreach (var row in reader)
        {
            int line = row.RowIndex == 0 ? 1 : row.LineNumberFrom; // Sep 0.17 numbers a headerless first row 2
            if (row.ColCount == 1 && row[0].Span.IsEmpty) continue; // a blank line
            if (columns < 0)
            {
                columns = row.ColCount;
                if (columns < 2) throw new DataFormatException(path, line, null, $"expected at least 2 columns (features, then label), found {columns}.");
            }
            else if (row.ColCount != columns)
                throw new DataFormatException(path, line, null, $"expected {columns} columns like line 1, found {row.ColCount}.");
            for (int c = 0; c < columns - 1; c++)
            {
                var cell = row[c].Span;
                if (DataFile.ControlProblem(cell) is { } bad) throw new DataFormatException(path, line, (c + 1).ToString(CultureInfo.InvariantCulture), bad);
                if (!float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out float v) || !float.IsFinite(v))
                    throw new DataFormatException(path, line, (c + 1).ToString(CultureInfo.InvariantCulture), $"'{cell}' is not a finite number.");
                features.Add(v);
            }
            var last = row[columns - 1].Span;
            if (DataFile.ControlProblem(last) is { } badLabel) throw new DataFormatException(path, line, columns.ToString(CultureInfo.InvariantCulture), badLabel);
            if (!int.TryParse(last, NumberStyles.Integer, CultureInfo.InvariantCulture, out int label) || label < 0)
                throw new DataFormatException(path, line, columns.ToString(CultureInfo.InvariantCulture), $"label '{last}' is not a non-negative integer.");
            if (label > 100_000)
                throw new DataFormatException(path, line, columns.ToString(CultureInfo.InvariantCulture), $"label {label} is implausibly large for a class index (at most 100000 classes).");
            labels.Add(label);
        }
        if (labels.Count == 0) throw new DataFormatException(path, null, null, "the file has no data rows.");
        return new LabeledVectors(features.ToArray(), labels.ToArray(), columns - 1) { Source = path };
    }

    /// <summary>Number of classes (largest label + 1).</summary>
    public int ClassCount => Labels.Max() + 1;

    /// <summary>The rows at <paramref name="indices"/> as a (n, features) tensor, each value multiplied by <paramref name="scale"/>.</summary>
    public Tensor Rows(ReadOnlySpan<int> indices, float scale = 1f)
    {
        var t = new Tensor(indices.Length, FeatureCount);
        for (int i = 0; i < indices.Length; i++)
        {
            var src = Features.AsSpan(indices[i] * FeatureCount, FeatureCount);
            System.Numerics.Tensors.TensorPrimitives.Multiply(src, scale, t.Data.AsSpan(i * FeatureCount, FeatureCount));
        }
        return t;
    }
}
