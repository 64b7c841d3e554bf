using System.Diagnostics;

namespace EdgeDigits.Device.Tests;

public class HostStartupTests
{
    private static (int Code, string Out, string Err) RunDevice(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "EdgeDigits.Device.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment.Remove("EDGEDIGITS_PROFILE");
        using var p = Process.Start(psi)!;
        var so = p.StandardOutput.ReadToEndAsync();
        var se = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000)) { p.Kill(true); throw new TimeoutException("device did not exit"); }
        return (p.ExitCode, so.Result, se.Result);
    }

    [Fact]
    public void Run_ModelMissingAndPinTwice_ExitCode2WithOneLinePerProblem()
    {
        var (code, _, err) = RunDevice("--profile", "Sorter", "--EdgeDigits:Model:Path=/nope/digits.onnx", "--EdgeDigits:Sorter:Gates:0:Pin=4");
        Assert.Equal(2, code);
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("edgedigits-device: config: EdgeDigits:Model:Path: model file '/nope/digits.onnx' not found", StringComparison.Ordinal));
        Assert.Contains("edgedigits-device: config: EdgeDigits:Pins: GPIO4 is used twice (trigger, gate A)", lines);
    }

    [Fact]
    public void Run_PublishTenthWithoutDigitWindows_ExitCode2WithOneLine()
    {
        var (code, _, err) = RunDevice("--profile", "Simulator", "--EdgeDigits:Meter:Layout=", "--EdgeDigits:Meter:PublishTenth=true", "--EdgeDigits:Meter:TenthJitter=12");
        Assert.Equal(2, code);
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
            ["edgedigits-device: config: EdgeDigits:Meter:PublishTenth needs digit windows (Meter:Windows or Meter:Layout): the tenth is the lowest wheel's roll, which free-form Rois do not read",
             "edgedigits-device: config: EdgeDigits:Meter:TenthJitter 12 must be 0..9 tenths (0 = every drop is a decrease)"], lines);
    }

    [Fact]
    public void Run_MeterDisplayUnknownOrOnTheKiosksLcd_ExitCode2WithOneLine()
    {
        var (code, _, err) = RunDevice("--profile", "SimulatorMeter", "--EdgeDigits:Meter:Display=hdmi");
        Assert.Equal(2, code);
        Assert.Equal("edgedigits-device: config: EdgeDigits:Meter:Display 'hdmi' must be None or Ili9341", Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        (code, _, err) = RunDevice("--profile", "Simulator", "--EdgeDigits:Meter:Display=Ili9341");
        Assert.Equal(2, code);
        Assert.Equal("edgedigits-device: config: EdgeDigits:Meter:Display is Ili9341 but the kiosk draws on the ILI9341 too: one LCD shows one mode (set Meter:Display to None, or Kiosk:Display to Framebuffer)",
            Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public void Run_PublishTenthNotABoolean_ExitCode2WithOneLineNamingTheKey()
    {
        var (code, _, err) = RunDevice("--profile", "Simulator", "--EdgeDigits:Meter:PublishTenth=maybe");
        Assert.Equal(2, code);
        var line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("edgedigits-device: config: ", line);
        Assert.Contains("'maybe'", line);
        Assert.Contains("EdgeDigits:Meter:PublishTenth", line);
    }

    [Fact]
    public void Run_BeyondLoopbackWithoutToken_RefusesToStart()
    {
        var (code, _, err) = RunDevice("--profile", "Simulator", "--EdgeDigits:Http:Url=http://0.0.0.0:5999");
        Assert.Equal(2, code);
        Assert.Contains("listens beyond loopback: set EdgeDigits:Http:Token", err);
    }

    [Fact]
    public void Run_KioskProfileOnMachineWithoutSpiOrGpio_Exit1WithOneLine()
    {
        var (code, _, err) = RunDevice("--profile", "Kiosk", $"--EdgeDigits:Model:Path={TestInfrastructure.DeviceApp.ModelPath}",
            $"--EdgeDigits:Http:Url=http://127.0.0.1:{TestInfrastructure.MosquittoBroker.FreePort()}");
        Assert.Equal(1, code);
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("edgedigits-device: start-up failed: ", lines[0]);
    }

    [Fact]
    public void Run_KioskDisplayAndTouchUnknown_ExitCode2WithOneLineEach()
    {
        var (code, _, err) = RunDevice("--profile", "Simulator", $"--EdgeDigits:Model:Path={TestInfrastructure.DeviceApp.ModelPath}",
            "--EdgeDigits:Kiosk:Display=hdmi", "--EdgeDigits:Kiosk:Touch=evdev", "--EdgeDigits:Kiosk:Evdev:Device=");
        Assert.Equal(2, code);
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["edgedigits-device: config: EdgeDigits:Kiosk:Display 'hdmi' must be Ili9341 or Framebuffer",
            "edgedigits-device: config: EdgeDigits:Kiosk:Evdev:Device is empty (the device node, e.g. /dev/input/event0)"], lines);
    }

    [Fact]
    public void Run_KioskFbProfileWithoutFramebuffer_Exit1NamingTheDevice()
    {
        // No LEDs configured: nothing needs GPIO, so the first missing part is the framebuffer itself.
        var (code, _, err) = RunDevice("--profile", "KioskFb", $"--EdgeDigits:Model:Path={TestInfrastructure.DeviceApp.ModelPath}",
            $"--EdgeDigits:Http:Url=http://127.0.0.1:{TestInfrastructure.MosquittoBroker.FreePort()}", "--EdgeDigits:Kiosk:Framebuffer:Device=/dev/fb-none",
            "--EdgeDigits:Pins:LedOk=-1", "--EdgeDigits:Pins:LedBusy=-1", "--EdgeDigits:Pins:LedError=-1");
        Assert.Equal(1, code);
        var line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("edgedigits-device: start-up failed: framebuffer /dev/fb-none: no such framebuffer device (/sys/class/graphics/fb-none missing)", line);
    }

    [Fact]
    public void Run_UnknownProfile_ExitCode2NamesKnownProfiles()
    {
        var (code, _, err) = RunDevice("--profile", "Toaster");
        Assert.Equal(2, code);
        Assert.Contains("unknown profile 'Toaster' (known: Simulator, Kiosk, Meter, Sorter", err);
    }

    [Fact]
    public void Read_NoFiles_UsageExitCode2()
    {
        var (code, _, err) = RunDevice("read");
        Assert.Equal(2, code);
        // The parser of `edgedigits read` (EdgeDigits.Cli), one line naming what is missing.
        Assert.Equal("edgedigits: Required argument missing for command: 'read'.", err.Trim());
    }
}
