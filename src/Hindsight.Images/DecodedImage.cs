namespace Hindsight.Images;

/// <summary>What an image file's header says, read without decoding its pixels.</summary>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="StoredGray">Whether the file stores one grey value per pixel (a grey-scale PNG or JPEG).</param>
/// <param name="Format">The encoded format (<c>png</c>, <c>jpeg</c>, <c>bmp</c>, <c>gif</c>, <c>webp</c>, ...).</param>
public sealed record ImageHeader(int Width, int Height, bool StoredGray, string Format);

/// <summary>A decoded image as numbers.</summary>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Channels">Values per pixel.</param>
/// <param name="Values">(Height, Width, Channels) row-major, each in [0, 1] (byte / 255; transparency composited over black).</param>
/// <param name="Colour">Whether some pixel's red, green and blue differ (false: the picture is grey, however it is stored).</param>
public sealed record DecodedImage(int Width, int Height, ImageChannels Channels, float[] Values, bool Colour);
