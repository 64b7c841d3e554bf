using EdgeDigits.Device.Recognition;

namespace EdgeDigits.Device.Display;

/// <summary>A small display that shows each reading (the OLED, the 7-segment module). A new chip is a class and one line in <see cref="Board.PartFactory"/>.</summary>
public interface IStatusDisplay
{
    /// <summary>Shows <paramref name="reading"/>; uncertain digits are marked, never silently guessed.</summary>
    void Show(DeviceReading reading);
}
