using EdgeDigits.Core.Imaging;
using SkiaSharp;

namespace EdgeDigits.Hardware.Camera;

/// <summary>One encoded camera frame (JPEG from a camera, JPEG or PNG from replay) and when it arrived.</summary>
public sealed class CameraFrame
{
    /// <summary>Wraps encoded bytes; the frame owns <paramref name="data"/>.</summary>
    public CameraFrame(byte[] data, long sequence, DateTimeOffset timestamp, string source)
    {
        Data = data;
        Sequence = sequence;
        Timestamp = timestamp;
        Source = source;
    }

    /// <summary>Encoded image bytes.</summary>
    public byte[] Data { get; }

    /// <summary>Frame number from this source, from 0.</summary>
    public long Sequence { get; }

    /// <summary>When the frame was complete.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>Source description (command or file), for logs and errors.</summary>
    public string Source { get; }

    /// <summary>Decodes to a Skia bitmap (the caller disposes it); throws <see cref="FormatException"/> naming the source when the bytes are not an image.</summary>
    public SKBitmap Decode() => SKBitmap.Decode(Data) ?? throw new FormatException($"{Source}: frame {Sequence} ({Data.Length} bytes) is not a decodable image");

    /// <summary>Decodes to Core's 8-bit gray image (EXIF orientation applied, pixel budget enforced).</summary>
    public GrayImage ToGray() => GrayImageCodec.Decode(Data, $"{Source} frame {Sequence}");
}

/// <summary>A stream of camera frames: a camera process, a video file, or a folder of images.</summary>
public interface IFrameSource
{
    /// <summary>Description for logs and errors.</summary>
    string Name { get; }

    /// <summary>Frames until the source ends or <paramref name="cancellationToken"/> fires; errors say which source failed and why.</summary>
    IAsyncEnumerable<CameraFrame> ReadFramesAsync(CancellationToken cancellationToken = default);
}
