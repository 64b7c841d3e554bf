using System.Device.Gpio;

namespace EdgeDigits.Hardware;

/// <summary>Opens pins for drivers so that a missing or busy pin is reported with the device and the pin's role.</summary>
public static class GpioPins
{
    /// <summary>Opens <paramref name="pin"/> in <paramref name="mode"/> (and sets an output's first level); -1 means not connected and does nothing.</summary>
    public static void Open(GpioController gpio, int pin, PinMode mode, string device, string role, PinValue? initial = null)
    {
        if (pin < 0) return;
        try
        {
            if (!gpio.IsPinOpen(pin))
            {
                if (initial is { } v && mode == PinMode.Output) gpio.OpenPin(pin, mode, v);
                else gpio.OpenPin(pin, mode);
            }
            else
            {
                gpio.SetPinMode(pin, mode);
                if (initial is { } v && mode == PinMode.Output) gpio.Write(pin, v);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new HardwareUnavailableException($"{device} {role} pin GPIO{pin}", $"cannot open the pin as {mode}: {ex.Message}", ex);
        }
    }

    /// <summary>Closes a pin opened by <see cref="Open"/>; -1 and already-closed pins are ignored.</summary>
    public static void Close(GpioController gpio, int pin)
    {
        if (pin < 0) return;
        try
        {
            if (gpio.IsPinOpen(pin)) gpio.ClosePin(pin);
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
