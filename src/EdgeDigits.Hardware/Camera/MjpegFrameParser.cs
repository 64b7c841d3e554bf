namespace EdgeDigits.Hardware.Camera;

/// <summary>Splits a byte stream of concatenated JPEG images (MJPEG as rpicam-vid or ffmpeg write it) into frames. Bytes may arrive in any pieces; garbage between frames is skipped; each frame is found by walking its marker segments (so an EXIF thumbnail's SOI/EOI inside APP1 does not end it) and scanning entropy-coded data for the EOI marker (stuffed FF00 and RSTn are data).</summary>
public sealed class MjpegFrameParser
{
    private byte[] _buf = new byte[256 * 1024];
    private int _start; // first unconsumed byte
    private int _end; // one past the last byte
    private int _frameStart = -1; // SOI offset of the frame being walked, -1 while searching
    private int _pos; // next byte to examine
    private bool _inEntropy;
    private readonly Queue<byte[]> _frames = new();

    /// <summary>Creates a parser; a frame larger than <paramref name="maxFrameBytes"/> is dropped and the stream resynchronised.</summary>
    public MjpegFrameParser(int maxFrameBytes = 16 * 1024 * 1024)
    {
        if (maxFrameBytes < 1024) throw new ArgumentOutOfRangeException(nameof(maxFrameBytes), "a JPEG frame limit under 1 KiB makes no sense");
        MaxFrameBytes = maxFrameBytes;
    }

    /// <summary>Largest frame kept.</summary>
    public int MaxFrameBytes { get; }

    /// <summary>Bytes skipped as garbage (outside frames, or in frames that were cut or malformed).</summary>
    public long SkippedBytes { get; private set; }

    /// <summary>Frames dropped for exceeding <see cref="MaxFrameBytes"/> or for being cut by a new SOI.</summary>
    public int DroppedFrames { get; private set; }

    /// <summary>Complete frames found so far.</summary>
    public long FramesFound { get; private set; }

    /// <summary>Adds bytes from the stream and parses as far as they go.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        while (data.Length > 0)
        {
            EnsureSpace(Math.Min(data.Length, 64 * 1024));
            var n = Math.Min(data.Length, _buf.Length - _end);
            data[..n].CopyTo(_buf.AsSpan(_end));
            _end += n;
            data = data[n..];
            Parse();
        }
    }

    /// <summary>Takes the next complete frame (a fresh array the caller owns).</summary>
    public bool TryTake(out byte[] frame) => _frames.TryDequeue(out frame!);

    /// <summary>Forgets a partial frame (after the producing process restarted).</summary>
    public void Reset()
    {
        SkippedBytes += _end - _start;
        _start = _end = 0;
        _frameStart = -1;
        _pos = 0;
        _inEntropy = false;
    }

    private void Parse()
    {
        while (true)
        {
            if (_frameStart < 0)
            {
                // Look for SOI followed by another marker (FF D8 FF).
                var limit = _end - 2;
                var p = _pos < _start ? _start : _pos;
                while (p < limit && !(_buf[p] == 0xFF && _buf[p + 1] == 0xD8 && _buf[p + 2] == 0xFF)) p++;
                if (p >= limit)
                {
                    // Keep the last two bytes: they may be the start of an SOI.
                    var keep = Math.Max(_start, _end - 2);
                    SkippedBytes += keep - _start;
                    _start = keep;
                    _pos = keep;
                    return;
                }
                SkippedBytes += p - _start;
                _start = _frameStart = p;
                _pos = p + 2;
                _inEntropy = false;
            }

            if (_pos - _frameStart > MaxFrameBytes)
            {
                DropFrame(_pos);
                continue;
            }

            var result = Walk();
            if (result == WalkResult.NeedMore) return;
            if (result == WalkResult.Corrupt)
            {
                // Not a real frame: skip its SOI and search again from the next byte.
                SkippedBytes += 1;
                _start = _frameStart + 1;
                _pos = _start;
                _frameStart = -1;
            }
        }
    }

    private enum WalkResult { NeedMore, Done, Corrupt }

    private WalkResult Walk()
    {
        while (true)
        {
            if (_inEntropy)
            {
                // Entropy-coded data: FF 00 is a stuffed FF, FF D0..D7 restart markers, FF FF fill.
                while (true)
                {
                    if (_pos + 1 >= _end) return WalkResult.NeedMore;
                    if (_pos - _frameStart > MaxFrameBytes)
                    {
                        DropFrame(_pos);
                        return WalkResult.Done;
                    }
                    if (_buf[_pos] != 0xFF)
                    {
                        _pos++;
                        continue;
                    }
                    var next = _buf[_pos + 1];
                    if (next == 0x00 || next is >= 0xD0 and <= 0xD7)
                    {
                        _pos += 2;
                        continue;
                    }
                    if (next == 0xFF)
                    {
                        _pos++;
                        continue;
                    }
                    _inEntropy = false;
                    break;
                }
            }

            if (_pos + 1 >= _end) return WalkResult.NeedMore;
            if (_buf[_pos] != 0xFF) return WalkResult.Corrupt;
            var marker = _buf[_pos + 1];
            if (marker == 0xFF)
            {
                _pos++; // fill byte
                continue;
            }
            if (marker == 0xD9)
            {
                var length = _pos + 2 - _frameStart;
                _frames.Enqueue(_buf.AsSpan(_frameStart, length).ToArray());
                FramesFound++;
                _start = _pos = _pos + 2;
                _frameStart = -1;
                return WalkResult.Done;
            }
            if (marker == 0xD8)
            {
                // A new SOI before this frame's EOI: the previous frame was cut off.
                DropFrame(_pos);
                return WalkResult.Done;
            }
            if (marker is >= 0xD0 and <= 0xD7 or 0x01)
            {
                _pos += 2;
                continue;
            }
            if (marker == 0x00) return WalkResult.Corrupt;
            if (_pos + 3 >= _end) return WalkResult.NeedMore;
            var segment = _buf[_pos + 2] << 8 | _buf[_pos + 3];
            if (segment < 2) return WalkResult.Corrupt;
            if (_pos + 2 + segment - _frameStart > MaxFrameBytes)
            {
                DropFrame(_pos + 2);
                return WalkResult.Done;
            }
            if (_pos + 2 + segment > _end) return WalkResult.NeedMore;
            _pos += 2 + segment;
            if (marker == 0xDA) _inEntropy = true; // SOS: scan data follows its header
        }
    }

    private void DropFrame(int resumeAt)
    {
        DroppedFrames++;
        SkippedBytes += resumeAt - _frameStart;
        _start = _pos = resumeAt;
        _frameStart = -1;
        _inEntropy = false;
    }

    private void EnsureSpace(int needed)
    {
        if (_buf.Length - _end >= needed) return;
        var live = _end - _start;
        if (_start > 0)
        {
            Buffer.BlockCopy(_buf, _start, _buf, 0, live);
            if (_frameStart >= 0) _frameStart -= _start;
            _pos -= _start;
            _end = live;
            _start = 0;
        }
        if (_buf.Length - _end < needed)
        {
            var bigger = new byte[Math.Max(_buf.Length * 2, live + needed)];
            Buffer.BlockCopy(_buf, 0, bigger, 0, _end);
            _buf = bigger;
        }
    }
}
