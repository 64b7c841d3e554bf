namespace EdgeDigits.Hardware.Tests.Linux;

/// <summary>A read-only stream that hands out its bytes in the given chunk sizes (cycled), like a pipe or a device returning partial reads.</summary>
internal sealed class ChunkedStream(byte[] data, int[] chunks) : Stream
{
    private int _pos;
    private int _chunk;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => data.Length;
    public override long Position { get => _pos; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = Math.Min(Math.Min(count, chunks[_chunk++ % chunks.Length]), data.Length - _pos);
        Array.Copy(data, _pos, buffer, offset, n);
        _pos += n;
        return n;
    }
}
