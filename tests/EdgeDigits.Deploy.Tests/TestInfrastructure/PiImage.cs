namespace EdgeDigits.Deploy.Tests.TestInfrastructure;

/// <summary>
/// Builds a small disk image laid out like Raspberry Pi OS (64-bit) with the real tools: an MBR (sfdisk) with a
/// FAT32 "bootfs" partition (mkfs.vfat + mcopy: config.txt, cmdline.txt, start4.elf, a .dtb) and an ext4
/// "rootfs" partition (mkfs.ext4 -d from a folder with /etc/os-release, /etc/systemd/system, /usr/lib/aarch64-linux-gnu).
/// </summary>
internal static class PiImage
{
    public const long BootStartSector = 8192;
    public const long BootSectors = 131072;          // 64 MiB (FAT32 minimum-friendly size)
    public const long RootStartSector = BootStartSector + BootSectors;

    public const string OriginalConfig = "# For more options and information see http://rptl.io/configtxt\ndtparam=audio=on\ncamera_auto_detect=1\n\n[cm4]\notg_mode=1\n";

    /// <summary>Creates the image; <paramref name="rootMiB"/> must hold the release to be flashed.</summary>
    public static string Create(string dir, int rootMiB = 320, bool withBootFat = true, bool withStartElf = true, bool arm32 = false, bool withExt4 = true)
    {
        Directory.CreateDirectory(dir);
        var img = Path.Combine(dir, "raspios.img");
        var rootSectors = rootMiB * 2048L;
        using (var f = File.Create(img)) f.SetLength((RootStartSector + rootSectors) * 512);
        var bootType = withBootFat ? "c" : "83";
        ProcessRunner.Check("bash", "-c", $"printf 'label: dos\\nstart={BootStartSector}, size={BootSectors}, type={bootType}\\nstart={RootStartSector}, type=83\\n' | sfdisk -q '{img}'");

        var boot = Path.Combine(dir, "boot.part");
        using (var f = File.Create(boot)) f.SetLength(BootSectors * 512);
        ProcessRunner.Check("mkfs.vfat", "-F", "32", "-n", "BOOTFS", boot);
        var bootFiles = Path.Combine(dir, "bootfiles");
        Directory.CreateDirectory(bootFiles);
        File.WriteAllText(Path.Combine(bootFiles, "config.txt"), OriginalConfig);
        File.WriteAllText(Path.Combine(bootFiles, "cmdline.txt"), "console=serial0,115200 console=tty1 root=PARTUUID=deadbeef-02 rootfstype=ext4 fsck.repair=yes rootwait\n");
        if (withStartElf) File.WriteAllBytes(Path.Combine(bootFiles, "start4.elf"), new byte[4096]);
        File.WriteAllBytes(Path.Combine(bootFiles, "bcm2711-rpi-4-b.dtb"), new byte[2048]);
        ProcessRunner.Check("mcopy", ["-i", boot, .. Directory.GetFiles(bootFiles), "::/"]);

        var root = Path.Combine(dir, "root.part");
        var rootFiles = Path.Combine(dir, "rootfiles");
        Directory.CreateDirectory(Path.Combine(rootFiles, "etc/systemd/system/multi-user.target.wants"));
        Directory.CreateDirectory(Path.Combine(rootFiles, arm32 ? "usr/lib/arm-linux-gnueabihf" : "usr/lib/aarch64-linux-gnu"));
        Directory.CreateDirectory(Path.Combine(rootFiles, "opt"));
        File.WriteAllText(Path.Combine(rootFiles, "etc/os-release"), "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_CODENAME=bookworm\n");
        File.WriteAllText(Path.Combine(rootFiles, "etc/hostname"), "raspberrypi\n");
        using (var f = File.Create(root)) f.SetLength(rootSectors * 512);
        if (withExt4) ProcessRunner.Check("mkfs.ext4", "-q", "-L", "rootfs", "-d", rootFiles, root);

        CopyInto(boot, img, BootStartSector * 512);
        CopyInto(root, img, RootStartSector * 512);
        File.Delete(boot);
        File.Delete(root);
        return img;
    }

    private static void CopyInto(string part, string img, long offset)
    {
        using var src = File.OpenRead(part);
        using var dst = new FileStream(img, FileMode.Open, FileAccess.Write);
        dst.Position = offset;
        src.CopyTo(dst, 1 << 20);
    }

    public static string BootDrive(string img) => $"{img}@@{BootStartSector * 512}";
    public static string RootDevice(string img) => $"{img}?offset={RootStartSector * 512}";
}
