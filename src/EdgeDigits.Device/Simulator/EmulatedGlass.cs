using EdgeDigits.Hardware.Simulation.Xpt204x;
using EdgeDigits.Hardware.Xpt204x;

namespace EdgeDigits.Device.Simulator;

/// <summary>The emulated XPT2046's glass as the kiosk's calibration sees it.</summary>
public static class EmulatedGlass
{
    /// <summary>What the calibration routine yields on the emulated glass: three display points touched, their raw readings fitted.</summary>
    public static TouchCalibration Calibrate(Xpt2046Emulator emu)
    {
        var pts = new (double X, double Y)[] { (32, 24), (288, 120), (160, 216) };
        return TouchCalibration.FromPoints(pts.Select(pt =>
        {
            var (rx, ry) = emu.Panel.ToRaw(pt.X, pt.Y);
            return new CalibrationPoint(pt.X, pt.Y, rx, ry);
        }).ToList(), 320, 240);
    }
}
