namespace Hindsight.Data;

/// <summary>Bad input data: the message names the file and, where known, the row and column (1-based, as an editor shows them).</summary>
public sealed class DataFormatException : Exception
{
    /// <summary>The file at fault.</summary>
    public string File { get; }
    /// <summary>1-based line in the file, or null.</summary>
    public int? Row { get; }
    /// <summary>1-based column (or the column's name), or null.</summary>
    public string? Column { get; }

    /// <summary>Creates the error; the message reads <c>file:row: column 'c': problem</c>.</summary>
    public DataFormatException(string file, int? row, string? column, string problem)
        : base(Format(file, row, column, problem))
    {
        File = file; Row = row; Column = column;
    }

    private static string Format(string file, int? row, string? column, string problem)
    {
        var where = file;
        if (row is not null) where += $":{row}";
        if (column is not null) where += $": column {column}";
        return $"{where}: {problem}";
    }
}

/// <summary>Training produced a NaN or infinite loss; the message names the step.</summary>
public sealed class TrainingDivergedException(string message) : Exception(message);
