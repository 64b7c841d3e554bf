namespace EdgeDigits.Tool.Flash;

/// <summary>What <see cref="SdCardFlasher"/> should write, and where.</summary>
public sealed record SdFlashRequest
{
    /// <summary>A Raspberry Pi OS disk image (changed in place), or null when <see cref="BootDir"/> and <see cref="RootDir"/> are used.</summary>
    public string? Image { get; init; }

    /// <summary>The card's FAT boot partition as a folder (with <see cref="RootDir"/>, instead of <see cref="Image"/>).</summary>
    public string? BootDir { get; init; }

    /// <summary>The card's ext4 root partition as a folder.</summary>
    public string? RootDir { get; init; }

    /// <summary>A self-contained linux-arm64 publish of EdgeDigits.Device.</summary>
    public required string PublishDir { get; init; }

    /// <summary>The device profile the board boots into (Kiosk, Meter, Sorter, Simulator or a shipped appsettings.&lt;P&gt;.json).</summary>
    public string Profile { get; init; } = "Kiosk";

    /// <summary>A board config to install as /etc/edgedigits/appsettings.json (replacing one already there), or null to keep/seed.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>Release folder name; default <c>sd-</c> + the publish's content hash.</summary>
    public string? Version { get; init; }
}

/// <summary>The outcome of a flash.</summary>
/// <param name="Version">The release installed as /opt/edgedigits/current.</param>
/// <param name="FileCount">Files in that release.</param>
/// <param name="Bytes">Their total size.</param>
/// <param name="ReleaseWasPresent">True when the card already held this exact release (nothing rewritten but the small files).</param>
public sealed record SdFlashResult(string Version, int FileCount, long Bytes, bool ReleaseWasPresent);

/// <summary>
/// Installs EdgeDigits onto a Raspberry Pi OS card image (or its two partitions as folders) without mounting:
/// the boot config lines into config.txt (mtools), the app under /opt/edgedigits/releases with a current
/// link, the systemd unit enabled through multi-user.target.wants, and the profile's config (debugfs).
/// The release is verified against its manifest before current, the unit and config.txt are touched.
/// </summary>
public sealed class SdCardFlasher(TextWriter progress)
{
    /// <summary>The install prefix on the card.</summary>
    public const string Prefix = "/opt/edgedigits";

    private static readonly string[] KnownProfiles = ["Kiosk", "Meter", "Sorter", "Simulator"];

    /// <summary>Flashes; throws <see cref="FlashException"/> with a one-line reason on bad input or a failed step.</summary>
    public SdFlashResult Flash(SdFlashRequest request)
    {
        var (boot, root) = Open(request);
        CheckBoot(boot);
        CheckRoot(root);
        var release = new ReleaseFolder(request.PublishDir);
        var machine = release.ExecutableMachine();
        if (machine is { } m && m != ReleaseFolder.ElfMachineAarch64)
            throw new FlashException($"--publish-dir {request.PublishDir}: EdgeDigits.Device is built for {(m == ReleaseFolder.ElfMachineX8664 ? "x86-64" : $"ELF machine 0x{m:x}")}, the card needs linux-arm64 (dotnet publish -r linux-arm64 --self-contained)", ExitCodes.BadInput);
        var profile = KnownProfiles.FirstOrDefault(p => string.Equals(p, request.Profile, StringComparison.OrdinalIgnoreCase))
            ?? (File.Exists(Path.Combine(release.Dir, $"appsettings.{request.Profile}.json")) ? request.Profile
                : throw new FlashException($"--profile {request.Profile}: unknown (known: {string.Join(", ", KnownProfiles)}, or a shipped appsettings.<Profile>.json)", ExitCodes.Usage));
        if (request.ConfigFile is { } cfg && !File.Exists(cfg))
            throw new FlashException($"--config {cfg}: no such file", ExitCodes.BadInput);

        var version = request.Version ?? "sd-" + release.ContentHash;
        var relDir = $"{Prefix}/releases/{version}";
        long bytes = release.Files.Sum(f => new FileInfo(Path.Combine(release.Dir, f)).Length);
        var tmp = Directory.CreateTempSubdirectory("edgedigits-flash-").FullName;
        try
        {
            // 1. The release, only when the card does not hold it yet; then verify what landed.
            var present = root.Exists(relDir);
            if (!present)
            {
                progress.WriteLine($"flash sd: writing {release.Files.Count} files ({bytes / 1048576.0:F1} MB) to {relDir} on {root.Description} ...");
                var changes = new List<RootChange> { new RootChange.Mkdir(relDir) };
                foreach (var d in release.Files.Select(f => Path.GetDirectoryName(f)!.Replace('\\', '/')).Where(d => d.Length > 0).Distinct().Order(StringComparer.Ordinal))
                    changes.Add(new RootChange.Mkdir($"{relDir}/{d}"));
                changes.AddRange(release.Files.Select(f => new RootChange.Write(Path.Combine(release.Dir, f), $"{relDir}/{f}")));
                var sums = Path.Combine(tmp, "SHA256SUMS");
                File.WriteAllText(sums, release.Manifest);
                changes.Add(new RootChange.Write(sums, $"{relDir}/SHA256SUMS"));
                root.Apply(changes);
            }
            else progress.WriteLine($"flash sd: {relDir} already on the card; verifying it");
            progress.WriteLine("flash sd: verifying the release against its manifest ...");
            Verify(root, relDir, release, Path.Combine(tmp, "readback"));

            // 2. Switch current, unit + enable link, profile and config: small files, after the verified copy.
            var env = Path.Combine(tmp, "edgedigits.env");
            File.WriteAllText(env, $"EDGEDIGITS_PROFILE={profile}\n");
            var unit = Path.Combine(tmp, "edgedigits.service");
            File.WriteAllText(unit, BootConfig.SystemdUnit);
            var small = new List<RootChange>
            {
                new RootChange.Symlink($"{Prefix}/current", $"releases/{version}"),
                new RootChange.Mkdir("/etc/edgedigits"),
                new RootChange.Write(env, "/etc/edgedigits/edgedigits.env"),
                new RootChange.Mkdir("/var/lib/edgedigits"),
                new RootChange.Mkdir("/etc/systemd/system/multi-user.target.wants"),
                new RootChange.Write(unit, "/etc/systemd/system/edgedigits.service"),
                new RootChange.Symlink("/etc/systemd/system/multi-user.target.wants/edgedigits.service", "/etc/systemd/system/edgedigits.service"),
            };
            if (request.ConfigFile is { } config) small.Add(new RootChange.Write(Path.GetFullPath(config), "/etc/edgedigits/appsettings.json"));
            else if (!root.Exists("/etc/edgedigits/appsettings.json"))
            {
                var seed = Path.Combine(tmp, "appsettings.json");
                File.WriteAllText(seed, "// This board's own settings, layered over the release's appsettings.json and appsettings.<Profile>.json.\n" +
                                        "// deploy.sh and edgedigits flash never overwrite this file. Example: { \"EdgeDigits\": { \"DeviceId\": \"kiosk-3\" } }\n" +
                                        "{ \"EdgeDigits\": { } }\n");
                small.Add(new RootChange.Write(seed, "/etc/edgedigits/appsettings.json"));
            }
            root.Apply(small);

            // 3. Boot configuration last: a card whose boot config says SPI/I2C on always has the app.
            boot.WriteText("config.txt", BootConfig.Merge(boot.ReadText("config.txt")));
            progress.WriteLine($"flash sd: done: release {version}, profile {profile}, unit enabled, config.txt updated");
            return new SdFlashResult(version, release.Files.Count, bytes, present);
        }
        finally { Directory.Delete(tmp, recursive: true); }
    }

    private static (IBootFiles Boot, IRootFiles Root) Open(SdFlashRequest r)
    {
        if (r.Image is { } image)
        {
            if (r.BootDir is not null || r.RootDir is not null) throw new FlashException("use either --image or --boot with --root, not both", ExitCodes.Usage);
            if (!File.Exists(image)) throw new FlashException($"--image {image}: no such file", ExitCodes.BadInput);
            var parts = PartitionTable.Read(image);
            var fat = parts.FirstOrDefault(p => p.IsFatType)
                ?? throw new FlashException($"{image}: not a Raspberry Pi OS image: no FAT boot partition (partition types: {string.Join(", ", parts.Select(p => p.Type))})", ExitCodes.BadInput);
            var ext = parts.FirstOrDefault(p => p.IsLinuxType && PartitionTable.HasExtSuperblock(image, p))
                ?? throw new FlashException($"{image}: not a Raspberry Pi OS image: no ext4 root partition", ExitCodes.BadInput);
            return (new FatImageBootFiles(image, fat.Offset), new Ext4ImageRootFiles(image, ext.Offset));
        }
        if (r.BootDir is null || r.RootDir is null) throw new FlashException("give --image FILE.img, or both --boot DIR and --root DIR", ExitCodes.Usage);
        if (!Directory.Exists(r.BootDir)) throw new FlashException($"--boot {r.BootDir}: no such folder", ExitCodes.BadInput);
        if (!Directory.Exists(r.RootDir)) throw new FlashException($"--root {r.RootDir}: no such folder", ExitCodes.BadInput);
        return (new DirectoryBootFiles(r.BootDir), new DirectoryRootFiles(r.RootDir));
    }

    private static void CheckBoot(IBootFiles boot)
    {
        var names = boot.List();
        var missing = new List<string>();
        if (!names.Contains("config.txt", StringComparer.OrdinalIgnoreCase)) missing.Add("config.txt");
        if (!names.Contains("cmdline.txt", StringComparer.OrdinalIgnoreCase)) missing.Add("cmdline.txt");
        if (!names.Any(n => n.StartsWith("start", StringComparison.OrdinalIgnoreCase) && n.EndsWith(".elf", StringComparison.OrdinalIgnoreCase))) missing.Add("start*.elf");
        if (missing.Count > 0)
            throw new FlashException($"{boot.Description}: not a Raspberry Pi OS boot partition (missing {string.Join(", ", missing)})", ExitCodes.BadInput);
    }

    private static void CheckRoot(IRootFiles root)
    {
        foreach (var p in new[] { "/etc/os-release", "/etc/systemd/system" })
            if (!root.Exists(p)) throw new FlashException($"{root.Description}: not a Raspberry Pi OS root filesystem (no {p})", ExitCodes.BadInput);
        if (!root.Exists("/usr/lib/aarch64-linux-gnu"))
            throw new FlashException(root.Exists("/usr/lib/arm-linux-gnueabihf")
                ? $"{root.Description}: a 32-bit Raspberry Pi OS; ONNX Runtime has no 32-bit ARM build — use the 64-bit Raspberry Pi OS image"
                : $"{root.Description}: not a 64-bit ARM root filesystem (no /usr/lib/aarch64-linux-gnu)", ExitCodes.BadInput);
    }

    private static void Verify(IRootFiles root, string relDir, ReleaseFolder release, string readback)
    {
        root.CopyOut(relDir, readback);
        var got = Path.Combine(readback, Path.GetFileName(relDir));
        var copy = Directory.Exists(got) ? new ReleaseFolderView(got) : null;
        var mismatch = copy?.FirstMismatch(release);
        if (copy is null || mismatch is not null)
            throw new FlashException($"{root.Description}: {relDir} does not match the publish ({mismatch ?? "nothing read back"}); current was not switched");
    }

    /// <summary>Compares a read-back copy with the publish file by file.</summary>
    private sealed class ReleaseFolderView(string dir)
    {
        public string? FirstMismatch(ReleaseFolder expected)
        {
            var lines = expected.Manifest.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            foreach (var line in lines)
            {
                var hash = line[..64];
                var rel = line[66..];
                var f = Path.Combine(dir, rel);
                if (!File.Exists(f)) return $"{rel} missing";
                using var s = File.OpenRead(f);
                if (Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(s)) != hash) return $"{rel} differs";
            }
            return null;
        }
    }
}
