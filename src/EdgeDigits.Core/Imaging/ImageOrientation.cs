namespace EdgeDigits.Core.Imaging;

/// <summary>The EXIF orientation values (1-8): how stored pixels map onto the displayed picture.</summary>
public enum ImageOrientation
{
    /// <summary>1: stored as displayed.</summary>
    TopLeft = 1,
    /// <summary>2: mirrored horizontally.</summary>
    TopRight = 2,
    /// <summary>3: rotated 180 degrees.</summary>
    BottomRight = 3,
    /// <summary>4: mirrored vertically.</summary>
    BottomLeft = 4,
    /// <summary>5: transposed (mirror about the main diagonal).</summary>
    LeftTop = 5,
    /// <summary>6: needs a 90 degree clockwise turn to display.</summary>
    RightTop = 6,
    /// <summary>7: transversed (mirror about the anti-diagonal).</summary>
    RightBottom = 7,
    /// <summary>8: needs a 90 degree counter-clockwise turn to display.</summary>
    LeftBottom = 8,
}
