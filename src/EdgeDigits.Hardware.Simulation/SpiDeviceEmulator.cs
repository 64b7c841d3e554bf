using System.Device.Spi;

namespace EdgeDigits.Hardware.Simulation;

/// <summary>Common part of emulated SPI chips: connection settings, spidev's transfer size limit, counters and injected faults.</summary>
public abstract class SpiDeviceEmulator : SpiDevice
{
    private readonly SpiConnectionSettings _settings;
    private int _failuresToInject;

    /// <summary>Creates the emulator for <paramref name="settings"/>; transfers above <paramref name="maxTransferSize"/> fail like spidev's EMSGSIZE.</summary>
    protected SpiDeviceEmulator(SpiConnectionSettings settings, int maxTransferSize)
    {
        _settings = settings;
        MaxTransferSize = maxTransferSize;
    }

    /// <inheritdoc />
    public override SpiConnectionSettings ConnectionSettings => _settings;

    /// <summary>spidev's bufsiz: the largest transfer accepted.</summary>
    public int MaxTransferSize { get; }

    /// <summary>Transfers seen.</summary>
    public long Transfers { get; private set; }

    /// <summary>Bytes clocked out by the host.</summary>
    public long BytesWritten { get; private set; }

    /// <summary>Bus time of the bytes so far at the configured clock (8 clocks per byte, no gaps).</summary>
    public TimeSpan BusTime => TimeSpan.FromSeconds(BytesWritten * 8.0 / Math.Max(1, _settings.ClockFrequency));

    /// <summary>Makes the next <paramref name="count"/> transfers fail with an <see cref="IOException"/> (a flaky contact).</summary>
    public void InjectFailures(int count) => _failuresToInject = count;

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Count(buffer.Length);
        OnTransfer(buffer, Span<byte>.Empty);
    }

    /// <inheritdoc />
    public override void Read(Span<byte> buffer)
    {
        Count(buffer.Length);
        var zeros = new byte[buffer.Length];
        OnTransfer(zeros, buffer);
    }

    /// <inheritdoc />
    public override void TransferFullDuplex(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        if (writeBuffer.Length != readBuffer.Length) throw new ArgumentException("SPI full duplex buffers must have the same length");
        Count(writeBuffer.Length);
        OnTransfer(writeBuffer, readBuffer);
    }

    /// <summary>Handles one transfer: <paramref name="mosi"/> from the host, <paramref name="miso"/> (possibly empty) to fill.</summary>
    protected abstract void OnTransfer(ReadOnlySpan<byte> mosi, Span<byte> miso);

    private void Count(int length)
    {
        if (_failuresToInject > 0)
        {
            _failuresToInject--;
            throw new IOException($"Error 5 performing SPI data transfer (emulated fault on /dev/spidev{_settings.BusId}.{_settings.ChipSelectLine})");
        }
        if (length > MaxTransferSize) throw new IOException($"Error 90 performing SPI data transfer: Message too long ({length} > bufsiz {MaxTransferSize})");
        Transfers++;
        BytesWritten += length;
    }
}
