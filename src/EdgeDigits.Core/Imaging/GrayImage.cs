namespace EdgeDigits.Core.Imaging;

/// <summary>
/// An 8-bit grayscale image (0 = black, 255 = white) stored row-major with a row stride.
/// The image owns its buffer; <see cref="Resize"/> reuses it when the capacity suffices, so a
/// working image kept across frames stops allocating once it has seen the largest frame.
/// </summary>
public sealed class GrayImage
{
    private byte[] _buffer;

    /// <summary>Creates a black image of <paramref name="width"/> x <paramref name="height"/> (stride = width).</summary>
    public GrayImage(int width, int height)
    {
        ValidateSize(width, height);
        Width = width;
        Height = height;
        Stride = width;
        _buffer = new byte[checked(width * height)];
    }

    /// <summary>Wraps <paramref name="buffer"/> without copying; rows start every <paramref name="stride"/> bytes.</summary>
    public GrayImage(byte[] buffer, int width, int height, int stride)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        ValidateSize(width, height);
        if (stride < width) throw new ArgumentOutOfRangeException(nameof(stride), $"stride {stride} is smaller than width {width}");
        if ((long)stride * (height - 1) + width > buffer.Length)
            throw new ArgumentException($"buffer of {buffer.Length} bytes is too small for {width}x{height} with stride {stride}", nameof(buffer));
        _buffer = buffer;
        Width = width;
        Height = height;
        Stride = stride;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; private set; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; private set; }

    /// <summary>Distance in bytes between the starts of two rows.</summary>
    public int Stride { get; private set; }

    /// <summary>The whole image rectangle.</summary>
    public PixelRect Bounds => new(0, 0, Width, Height);

    /// <summary>The pixel buffer from the first pixel to the last (spans rows and their padding).</summary>
    public Span<byte> Data => _buffer.AsSpan(0, Stride * (Height - 1) + Width);

    /// <summary>The underlying array (may be longer than the image).</summary>
    public byte[] Buffer => _buffer;

    /// <summary>The pixels of row <paramref name="y"/>.</summary>
    public Span<byte> Row(int y)
    {
        if ((uint)y >= (uint)Height) throw new ArgumentOutOfRangeException(nameof(y), $"row {y} outside 0..{Height - 1}");
        return _buffer.AsSpan(y * Stride, Width);
    }

    /// <summary>The pixel at column <paramref name="x"/>, row <paramref name="y"/>.</summary>
    public byte this[int x, int y]
    {
        get
        {
            if ((uint)x >= (uint)Width) throw new ArgumentOutOfRangeException(nameof(x));
            return Row(y)[x];
        }
        set
        {
            if ((uint)x >= (uint)Width) throw new ArgumentOutOfRangeException(nameof(x));
            Row(y)[x] = value;
        }
    }

    /// <summary>True when the rows are stored back to back (stride = width).</summary>
    public bool IsContiguous => Stride == Width;

    /// <summary>
    /// Changes the size to <paramref name="width"/> x <paramref name="height"/> with stride = width,
    /// reusing the buffer when it is large enough. Pixel contents are undefined afterwards.
    /// </summary>
    public void Resize(int width, int height)
    {
        ValidateSize(width, height);
        int need = checked(width * height);
        if (_buffer.Length < need) _buffer = new byte[need];
        Width = width;
        Height = height;
        Stride = width;
    }

    /// <summary>Sets every pixel to <paramref name="value"/>.</summary>
    public void Fill(byte value)
    {
        if (IsContiguous) { Data.Fill(value); return; }
        for (int y = 0; y < Height; y++) Row(y).Fill(value);
    }

    /// <summary>Copies <paramref name="region"/> into a new image.</summary>
    public GrayImage Crop(PixelRect region)
    {
        var dst = new GrayImage(Math.Max(1, region.Width), Math.Max(1, region.Height));
        CropTo(region, dst);
        return dst;
    }

    /// <summary>Copies <paramref name="region"/> into <paramref name="destination"/>, resizing it (no allocation once it is big enough).</summary>
    public void CropTo(PixelRect region, GrayImage destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (region.IsEmpty || region.X < 0 || region.Y < 0 || region.Right > Width || region.Bottom > Height)
            throw new ArgumentOutOfRangeException(nameof(region), $"region {region} is not inside the {Width}x{Height} image");
        destination.Resize(region.Width, region.Height);
        for (int y = 0; y < region.Height; y++)
            Row(region.Y + y).Slice(region.X, region.Width).CopyTo(destination.Row(y));
    }

    /// <summary>A deep copy with stride = width.</summary>
    public GrayImage Clone() => Crop(Bounds);

    /// <summary>Copies this image into <paramref name="destination"/>, resizing it.</summary>
    public void CopyTo(GrayImage destination) => CropTo(Bounds, destination);

    /// <summary>Inverts every pixel (255 - v) in place.</summary>
    public void Invert()
    {
        for (int y = 0; y < Height; y++)
        {
            var row = Row(y);
            for (int x = 0; x < row.Length; x++) row[x] = (byte)(255 - row[x]);
        }
    }

    private static void ValidateSize(int width, int height)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), $"image size {width}x{height} must be positive");
    }
}
