namespace Hindsight.Images;

/// <summary>
/// Bad image input: a data error, not a bug (the command line reports it on one line and exits 2). The message names the
/// file. (<see cref="InvalidDataException"/> is sealed, hence a type of its own.)
/// </summary>
/// <param name="message">The message, naming the file.</param>
public abstract class ImageDataException(string message) : Exception(message);

/// <summary>
/// A file that is not a readable image (unknown format, corrupt or truncated). Reading a folder skips it or stops,
/// by <see cref="ImageReadOptions.OnBadFile"/>.
/// </summary>
/// <param name="file">The file.</param>
/// <param name="reason">What is wrong, without the file name.</param>
public sealed class BadImageException(string file, string reason) : ImageDataException($"{file}: {reason}")
{
    /// <summary>The file at fault.</summary>
    public string File { get; } = file;

    /// <summary>What is wrong with it.</summary>
    public string Reason { get; } = reason;
}

/// <summary>
/// An image whose size cannot be decoded within the limits (<see cref="ImageReadOptions.MaxMegapixels"/>, or memory).
/// Always stops a run, whatever <see cref="ImageReadOptions.OnBadFile"/> says: the file is valid, the request is not.
/// </summary>
/// <param name="message">The message, naming the file and its size.</param>
public sealed class ImageTooLargeException(string message) : ImageDataException(message);
