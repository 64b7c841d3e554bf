using System.Security.Cryptography;
using EdgeDigits.Deploy.Tests.TestInfrastructure;
using EdgeDigits.Tool.Flash;

namespace EdgeDigits.Deploy.Tests;

/// <summary>
/// `edgedigits flash sd` against generated Pi OS-like disk images (sfdisk + mkfs.vfat + mkfs.ext4 -d), inspected
/// afterwards with the same tools a user has: mdir/mtype for the FAT boot partition, e2ls/e2cp/debugfs/e2fsck for
/// the ext4 root — nothing is mounted.
/// </summary>
public sealed class FlashSdTests : IDisposable
{
    private readonly Arm64Publish _publish = Arm64Publish.Shared;
    private readonly string _tmp = RepoPaths.NewTempDir("edgedigits-flashsd");

    private static string Tool(string file, params string[] args)
    {
        var r = ProcessRunner.Run(file, args);
        Assert.True(r.ExitCode == 0, $"{file} {string.Join(' ', args)}: {r}");
        return r.StdOut;
    }

    [Fact]
    public void Flash_PiOsImage_BootConfigAppUnitAndProfileInstalled()
    {
        var img = PiImage.Create(Path.Combine(_tmp, "card"));
        var log = new StringWriter();

        var result = new SdCardFlasher(log).Flash(new SdFlashRequest { Image = img, PublishDir = _publish.Dir, Profile = "meter" });

        // Boot partition: original lines kept, EdgeDigits block appended, other files untouched.
        var config = Tool("mtype", "-i", PiImage.BootDrive(img), "::/config.txt");
        Assert.StartsWith(PiImage.OriginalConfig.TrimEnd('\n'), config);
        foreach (var line in new[] { "dtparam=spi=on", "dtparam=i2c_arm=on", "dtoverlay=spi0-2cs,cs0_pin=8,cs1_pin=7", "camera_auto_detect=1", "gpio=17=ip,pu", "gpio=4=ip,pu" })
            Assert.Contains("\n" + line + "\n", config);
        Assert.Contains("cmdline.txt", Tool("mdir", "-b", "-i", PiImage.BootDrive(img), "::/"));

        // Root partition: release, current link, enabled unit, profile, seeded config.
        var root = PiImage.RootDevice(img);
        Assert.Equal($"sd-{new ReleaseFolder(_publish.Dir).ContentHash}", result.Version);
        Assert.Contains($"Fast link dest: \"releases/{result.Version}\"", Tool("debugfs", "-R", "stat /opt/edgedigits/current", root));
        Assert.Contains("Fast link dest: \"/etc/systemd/system/edgedigits.service\"",
            Tool("debugfs", "-R", "stat /etc/systemd/system/multi-user.target.wants/edgedigits.service", root));
        Assert.Equal(File.ReadAllText(Path.Combine(RepoPaths.Root, "hardware/edgedigits.service")),
            Tool("e2cp", root + ":/etc/systemd/system/edgedigits.service", "-"));
        Assert.Equal("EDGEDIGITS_PROFILE=Meter\n", Tool("e2cp", root + ":/etc/edgedigits/edgedigits.env", "-"));
        Assert.Contains("{ \"EdgeDigits\": { } }", Tool("e2cp", root + ":/etc/edgedigits/appsettings.json", "-"));
        var listing = Tool("e2ls", "-l", $"{root}:/opt/edgedigits/releases/{result.Version}");
        Assert.Contains(listing.Split('\n'), l => System.Text.RegularExpressions.Regex.IsMatch(l, @"-rwxr-xr-x\s+root\s+root\s+\d+ .*EdgeDigits\.Device$"));
        Assert.Contains("libonnxruntime.so", listing);
        // Byte-exact: the ARM64 ONNX Runtime library read back out of the image equals the published one.
        var back = Path.Combine(_tmp, "libonnxruntime.so");
        Tool("e2cp", $"{root}:/opt/edgedigits/releases/{result.Version}/libonnxruntime.so", back);
        Assert.Equal(SHA256.HashData(File.ReadAllBytes(Path.Combine(_publish.Dir, "libonnxruntime.so"))), SHA256.HashData(File.ReadAllBytes(back)));
        Assert.Equal(0, ProcessRunner.Run("e2fsck", ["-fn", root]).ExitCode);
    }

    [Fact]
    public void Flash_SameImageTwice_IdempotentOneConfigBlockEditedConfigKept()
    {
        var img = PiImage.Create(Path.Combine(_tmp, "card"));
        var flasher = new SdCardFlasher(TextWriter.Null);
        flasher.Flash(new SdFlashRequest { Image = img, PublishDir = _publish.Dir });
        // The user edits the board config on the card between flashes.
        var edited = Path.Combine(_tmp, "edited.json");
        File.WriteAllText(edited, "{ \"EdgeDigits\": { \"DeviceId\": \"kiosk-7\" } }\n");
        Tool("debugfs", "-w", "-R", "rm /etc/edgedigits/appsettings.json", PiImage.RootDevice(img));
        Tool("debugfs", "-w", "-R", $"write {edited} /etc/edgedigits/appsettings.json", PiImage.RootDevice(img));

        var second = flasher.Flash(new SdFlashRequest { Image = img, PublishDir = _publish.Dir, Profile = "Sorter" });

        Assert.True(second.ReleaseWasPresent);
        var config = Tool("mtype", "-i", PiImage.BootDrive(img), "::/config.txt");
        Assert.Equal(1, config.Split('\n').Count(l => l == "dtparam=spi=on"));
        Assert.Equal(1, config.Split('\n').Count(l => l.StartsWith(BootConfig.BeginMarker, StringComparison.Ordinal)));
        Assert.Contains("kiosk-7", Tool("e2cp", PiImage.RootDevice(img) + ":/etc/edgedigits/appsettings.json", "-"));
        Assert.Equal("EDGEDIGITS_PROFILE=Sorter\n", Tool("e2cp", PiImage.RootDevice(img) + ":/etc/edgedigits/edgedigits.env", "-"));
        Assert.Single(Tool("e2ls", PiImage.RootDevice(img) + ":/opt/edgedigits/releases").Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Flash_BootAndRootFolders_Installed()
    {
        var boot = Directory.CreateDirectory(Path.Combine(_tmp, "boot")).FullName;
        var root = Directory.CreateDirectory(Path.Combine(_tmp, "root")).FullName;
        File.WriteAllText(Path.Combine(boot, "config.txt"), PiImage.OriginalConfig);
        File.WriteAllText(Path.Combine(boot, "cmdline.txt"), "console=tty1\n");
        File.WriteAllBytes(Path.Combine(boot, "start4.elf"), new byte[16]);
        Directory.CreateDirectory(Path.Combine(root, "etc/systemd/system"));
        Directory.CreateDirectory(Path.Combine(root, "usr/lib/aarch64-linux-gnu"));
        File.WriteAllText(Path.Combine(root, "etc/os-release"), "ID=debian\n");

        var r = new SdCardFlasher(TextWriter.Null).Flash(new SdFlashRequest { BootDir = boot, RootDir = root, PublishDir = _publish.Dir });

        Assert.Contains("dtparam=spi=on", File.ReadAllText(Path.Combine(boot, "config.txt")));
        Assert.Equal($"releases/{r.Version}", new FileInfo(Path.Combine(root, "opt/edgedigits/current")).LinkTarget);
        Assert.True(File.Exists(Path.Combine(root, "opt/edgedigits/current/EdgeDigits.Device")));
        Assert.True(File.GetUnixFileMode(Path.Combine(root, "opt/edgedigits/current/EdgeDigits.Device")).HasFlag(UnixFileMode.UserExecute));
        Assert.Equal("EDGEDIGITS_PROFILE=Kiosk\n", File.ReadAllText(Path.Combine(root, "etc/edgedigits/edgedigits.env")));
        Assert.Equal("/etc/systemd/system/edgedigits.service", new FileInfo(Path.Combine(root, "etc/systemd/system/multi-user.target.wants/edgedigits.service")).LinkTarget);
    }

    public static TheoryData<string, string> NotPiImages => new()
    {
        { "no-table", "not a Raspberry Pi OS image (no partition table" },
        { "no-fat", "not a Raspberry Pi OS image: no FAT boot partition" },
        { "no-start-elf", "not a Raspberry Pi OS boot partition (missing start*.elf)" },
        { "no-ext4", "not a Raspberry Pi OS image: no ext4 root partition" },
        { "arm32", "a 32-bit Raspberry Pi OS; ONNX Runtime has no 32-bit ARM build" },
    };

    [Theory]
    [MemberData(nameof(NotPiImages))]
    public void Flash_NotA64BitPiOsImage_RefusedImageUnchanged(string kind, string message)
    {
        var dir = Path.Combine(_tmp, kind);
        string img;
        if (kind == "no-table")
        {
            Directory.CreateDirectory(dir);
            img = Path.Combine(dir, "holiday.jpg.img");
            File.WriteAllBytes(img, RandomNumberGenerator.GetBytes(1 << 20));
        }
        else img = PiImage.Create(dir, rootMiB: 16, withBootFat: kind != "no-fat", withStartElf: kind != "no-start-elf", arm32: kind == "arm32", withExt4: kind != "no-ext4");
        var before = SHA256.HashData(File.ReadAllBytes(img));

        var ex = Assert.Throws<FlashException>(() => new SdCardFlasher(TextWriter.Null).Flash(new SdFlashRequest { Image = img, PublishDir = _publish.Dir }));

        Assert.Contains(message, ex.Message);
        Assert.StartsWith(img, ex.Message);
        Assert.Equal(ExitCodes.BadInput, ex.ExitCode);
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(img)));
    }

    [Fact]
    public void Flash_X64Publish_RefusedImageUnchanged()
    {
        var img = PiImage.Create(Path.Combine(_tmp, "card"), rootMiB: 16);
        var x64 = Directory.CreateDirectory(Path.Combine(_tmp, "x64")).FullName;
        File.Copy("/bin/true", Path.Combine(x64, "EdgeDigits.Device"));
        var before = SHA256.HashData(File.ReadAllBytes(img));

        var ex = Assert.Throws<FlashException>(() => new SdCardFlasher(TextWriter.Null).Flash(new SdFlashRequest { Image = img, PublishDir = x64 }));

        Assert.Equal($"--publish-dir {x64}: EdgeDigits.Device is built for x86-64, the card needs linux-arm64 (dotnet publish -r linux-arm64 --self-contained)", ex.Message);
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(img)));
    }

    [Fact]
    public void Cli_FlashSdNotAnImage_ExitBadInputOneLine()
    {
        var junk = Path.Combine(_tmp, "junk.img");
        File.WriteAllBytes(junk, new byte[4096]);

        var r = ProcessRunner.Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "edgedigits.dll"), "flash", "sd", "--image", junk, "--publish-dir", _publish.Dir]);

        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.StartsWith($"edgedigits flash sd: {junk}: not a Raspberry Pi OS image", r.StdErr);
        Assert.Single(r.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    public void Dispose()
    {
        try { Directory.Delete(_tmp, recursive: true); } catch (IOException) { }
    }
}
