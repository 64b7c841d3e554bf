using EdgeDigits.Deploy.Tests.TestInfrastructure;

namespace EdgeDigits.Deploy.Tests;

/// <summary>
/// deploy.sh end to end against real sshd instances on 127.0.0.1 (see <see cref="TestBoard"/>:
/// each board is a temp folder used as the board root, and a systemctl stand-in on its PATH
/// really runs the installed unit's ExecStart because systemd cannot run in the container).
/// </summary>
public sealed class DeployScriptTests : IDisposable
{
    private readonly string _tmp = RepoPaths.NewTempDir("edgedigits-deploy");
    private readonly SshKeys _keys;
    private readonly List<TestBoard> _boards = [];

    public DeployScriptTests() => _keys = new SshKeys(Path.Combine(_tmp, "keys"));

    private TestBoard Board(string name)
    {
        var b = new TestBoard(_keys, _tmp, name);
        _boards.Add(b);
        return b;
    }

    /// <summary>Runs deploy.sh with the test's key and known_hosts against boards rooted at their temp folders.</summary>
    private ProcessResult Deploy(string release, TestBoard[] boards, params string[] extra)
    {
        var args = new List<string>
        {
            Path.Combine(RepoPaths.Root, "deploy.sh"), "--rid", "linux-x64", "--publish-dir", release,
            "--identity", _keys.ClientKey, "--ssh-opt", $"UserKnownHostsFile={_keys.KnownHosts}",
            "--health-timeout", "8", "--root", TestBoard.MountPoint,
        };
        args.AddRange(extra);
        args.AddRange(boards.Select(b => b.Host));
        return ProcessRunner.Run("bash", args, timeout: TimeSpan.FromSeconds(90));
    }

    [Fact]
    public void Deploy_TwoHostsInParallel_BothServeNewReleaseAndSecondRunIsNoOp()
    {
        var a = Board("board-a");
        var b = Board("board-b");
        var rel = FixtureRelease.Create(Path.Combine(_tmp, "rel-1"), "REL-1", waitForPeers: 2);

        var first = Deploy(rel, [a, b]);

        Assert.True(first.ExitCode == 0, first.ToString());
        foreach (var board in new[] { a, b })
        {
            Assert.Contains("\"release\":\"REL-1\"", board.Health());
            Assert.Equal("REL-1\n", File.ReadAllText(Path.Combine(board.Prefix, "current", "marker.txt")));
            Assert.Matches(@"DEPLOYED\s", first.StdOut.Split('\n').Single(l => l.StartsWith(board.Host)));
            // The unit is installed and enabled; the board's edited config survived.
            Assert.Contains("ExecStart=" + TestBoard.MountPoint + "/opt/edgedigits/current/EdgeDigits.Device --profile ${EDGEDIGITS_PROFILE}",
                File.ReadAllText(Path.Combine(board.UnitDir, "edgedigits.service")));
            Assert.Equal("../edgedigits.service", new FileInfo(Path.Combine(board.UnitDir, "multi-user.target.wants", "edgedigits.service")).LinkTarget);
            Assert.Contains($"\"DeviceId\": \"{Path.GetFileName(board.Root)}\"", File.ReadAllText(Path.Combine(board.ConfigDir, "appsettings.json")));
        }
        var version = a.CurrentRelease();
        var pidBefore = File.ReadAllText(Path.Combine(a.Root, "run/systemd-standin/edgedigits.pid"));

        var second = Deploy(rel, [a, b]);

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(2, second.StdOut.Split('\n').Count(l => l.Contains("UNCHANGED") && l.Contains(version!)));
        Assert.Equal(pidBefore, File.ReadAllText(Path.Combine(a.Root, "run/systemd-standin/edgedigits.pid")));
        Assert.Single(a.Releases());
    }

    [Fact]
    public void Deploy_ReleaseFailsHealthCheck_RolledBackAndPreviousKeepsServing()
    {
        var a = Board("board-a");
        var good = FixtureRelease.Create(Path.Combine(_tmp, "good"), "GOOD");
        var bad = FixtureRelease.Create(Path.Combine(_tmp, "bad"), "BAD", healthy: false);
        Assert.Equal(0, Deploy(good, [a]).ExitCode);
        var goodVersion = a.CurrentRelease();

        var r = Deploy(bad, [a], "--health-timeout", "3");

        Assert.True(r.ExitCode == 1, r.ToString());
        var row = r.StdOut.Split('\n').Single(l => l.StartsWith(a.Host));
        Assert.True(row.Contains("ROLLED-BACK"), r.ToString());
        Assert.Contains($"rolled back to {goodVersion}", row);
        // Why it failed comes from the app's own last log line (journalctl on the board).
        Assert.Contains("(app: EdgeDigits.Device: cannot load model)", row);
        Assert.Equal(goodVersion, a.CurrentRelease());
        Assert.Contains("\"release\":\"GOOD\"", a.Health());
    }

    [Fact]
    public void Deploy_WrongArchitecture_RefusedBeforeCopying()
    {
        var a = Board("board-a");
        var rel = FixtureRelease.Create(Path.Combine(_tmp, "rel"), "REL");

        // This machine (and so the board) is x86_64; an arm64 release must not be copied to it.
        var r = Deploy(rel, [a], "--rid", "linux-arm64");

        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Contains("wrong architecture: " + a.Host + " is x86_64 but the release is linux-arm64", r.StdOut);
        Assert.False(Directory.Exists(a.Prefix));
    }

    [Fact]
    public void Deploy_Board32BitArm_SaysInstall64BitOs()
    {
        var a = Board("board-a");
        // A fake uname on the board's PATH: the only way to make this x86_64 machine look like armv7l.
        a.AddCommand("uname", "#!/bin/sh\n[ \"$1\" = -m ] && echo armv7l || /bin/uname \"$@\"\n");
        var rel = FixtureRelease.Create(Path.Combine(_tmp, "rel"), "REL");

        var r = Deploy(rel, [a], "--rid", "linux-arm64");

        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Contains("runs 32-bit ARM (armv7l)", r.StdOut);
        Assert.Contains("install the 64-bit Raspberry Pi OS", r.StdOut);
        Assert.False(Directory.Exists(a.Prefix));
    }

    [Fact]
    public void Deploy_UnknownHostAndClosedPort_ClearErrorsOtherHostStillDeployed()
    {
        var a = Board("board-a");
        var rel = FixtureRelease.Create(Path.Combine(_tmp, "rel"), "REL");
        var closed = TestBoard.FreePort();

        var r = ProcessRunner.Run("bash", [Path.Combine(RepoPaths.Root, "deploy.sh"), "--rid", "linux-x64", "--publish-dir", rel,
            "--identity", _keys.ClientKey, "--ssh-opt", $"UserKnownHostsFile={_keys.KnownHosts}", "--root", TestBoard.MountPoint,
            "root@no-such-board.invalid", $"root@127.0.0.1:{closed}", a.Host]);

        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Contains("unknown host root@no-such-board.invalid (name does not resolve)", r.StdOut);
        Assert.Contains($"host root@127.0.0.1:{closed} unreachable: connection refused", r.StdOut);
        Assert.True(r.StdOut.Split('\n').Single(l => l.StartsWith(a.Host)).Contains("DEPLOYED"), r.ToString());
    }

    [Fact]
    public void Deploy_RefusedKey_ClearErrorNothingCopied()
    {
        var a = Board("board-a");
        var rel = FixtureRelease.Create(Path.Combine(_tmp, "rel"), "REL");

        var r = Deploy(rel, [a], "--identity", _keys.OtherKey);

        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Contains($"host {a.Host} refused the key {_keys.OtherKey} (Permission denied (publickey))", r.StdOut);
        Assert.False(Directory.Exists(a.Prefix));
    }

    [Fact]
    public void Deploy_DiskTooSmall_RefusedAndPreviousKeepsServing()
    {
        var a = Board("board-a");
        var first = FixtureRelease.Create(Path.Combine(_tmp, "first"), "FIRST");
        Assert.Equal(0, Deploy(first, [a]).ExitCode);
        // A fake df on the board's PATH reporting 100 KB free: the container's disk cannot be filled safely.
        a.AddCommand("df", "#!/bin/sh\necho 'Filesystem 1024-blocks Used Available Capacity Mounted on'\necho '/dev/root 1000 900 100 90% /'\n");
        var second = FixtureRelease.Create(Path.Combine(_tmp, "second"), "SECOND");

        var r = Deploy(second, [a]);

        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Contains($"disk full: {a.Host} has 0 MB free", r.StdOut);
        Assert.Contains("\"release\":\"FIRST\"", a.Health());
        Assert.Single(a.Releases());
    }

    [Fact]
    public void Deploy_CopyCorruptedInTransit_NotSwitchedPreviousKeepsServing()
    {
        var a = Board("board-a");
        var first = FixtureRelease.Create(Path.Combine(_tmp, "first"), "FIRST");
        Assert.Equal(0, Deploy(first, [a]).ExitCode);
        // The board's rsync receiver is wrapped so it damages a file after a complete transfer:
        // what a flaky SD card or an interrupted write leaves behind.
        a.AddCommand("rsync", "#!/bin/bash\n/usr/bin/rsync \"$@\"; rc=$?\ndest=\"${@: -1}\"\n" +
                              "[ -f \"$dest/marker.txt\" ] && echo damaged >> \"$dest/marker.txt\"\nexit $rc\n");
        var second = FixtureRelease.Create(Path.Combine(_tmp, "second"), "SECOND");

        var r = Deploy(second, [a]);

        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.True(r.StdOut.Contains("checksum mismatch"), r.ToString());
        Assert.Contains("marker.txt: FAILED", r.StdOut);
        Assert.Contains("release not switched", r.StdOut);
        Assert.Contains("\"release\":\"FIRST\"", a.Health());
        Assert.Equal("FIRST\n", File.ReadAllText(Path.Combine(a.Prefix, "current", "marker.txt")));
    }

    [Fact]
    public void Deploy_DryRun_ChecksHostAndChangesNothing()
    {
        var a = Board("board-a");
        var rel = FixtureRelease.Create(Path.Combine(_tmp, "rel"), "REL");

        var r = Deploy(rel, [a], "--dry-run");

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("DRY-RUN", r.StdOut);
        Assert.Contains($"would copy 0 MB to {TestBoard.MountPoint}/opt/edgedigits/releases/", r.StdOut);
        Assert.False(Directory.Exists(a.Prefix));
        Assert.Null(a.Health());
    }

    [Fact]
    public void Deploy_ProfileOption_WrittenToEnvFileAndPassedToApp()
    {
        var a = Board("board-a");
        var rel = FixtureRelease.Create(Path.Combine(_tmp, "rel"), "REL");

        var r = Deploy(rel, [a], "--profile", "Meter");

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("EDGEDIGITS_PROFILE=Meter\n", File.ReadAllText(Path.Combine(a.ConfigDir, "edgedigits.env")));
        Assert.Contains("\"profile\":\"Meter\"", a.Health());
    }

    [Fact]
    public void Deploy_AfterInterruptedDeploy_NotMistakenForUpToDate()
    {
        var a = Board("board-a");
        Assert.Equal(0, Deploy(FixtureRelease.Create(Path.Combine(_tmp, "r1"), "R1"), [a], "--version", "v1").ExitCode);
        // What a deploy killed right after the switch leaves: current -> v2, but v1's process still answering.
        var r2 = FixtureRelease.Create(Path.Combine(_tmp, "r2"), "R2");
        var v2 = Path.Combine(a.Prefix, "releases", "v2");
        Directory.CreateDirectory(v2);
        foreach (var f in Directory.GetFiles(r2, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(v2, Path.GetRelativePath(r2, f));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(f, to);
        }
        File.Delete(Path.Combine(a.Prefix, "current"));
        File.CreateSymbolicLink(Path.Combine(a.Prefix, "current"), "releases/v2");
        Assert.Contains("\"release\":\"R1\"", a.Health());

        var r = Deploy(r2, [a], "--version", "v2");

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("DEPLOYED", r.StdOut.Split('\n').Single(l => l.StartsWith(a.Host)));
        Assert.Contains("\"release\":\"R2\"", a.Health());
    }

    [Fact]
    public void Deploy_BoardWithApiToken_HealthCheckAuthenticates()
    {
        var a = Board("board-a");
        File.WriteAllText(Path.Combine(a.ConfigDir, "appsettings.json"),
            $"{{ \"EdgeDigits\": {{ \"Http\": {{ \"Url\": \"http://127.0.0.1:{a.HttpPort}\", \"Token\": \"s3cret-token\" }} }} }}\n");

        var r = Deploy(FixtureRelease.Create(Path.Combine(_tmp, "rel"), "REL"), [a], "--health-timeout", "5");

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Null(a.Health());   // without the token the app answers 401
        Assert.DoesNotContain("s3cret-token", r.StdOut + r.StdErr);
    }

    [Fact]
    public void Deploy_ManyReleases_KeepsCurrentPreviousAndKeepN()
    {
        var a = Board("board-a");
        var versions = new List<string>();
        foreach (var n in new[] { "R1", "R2", "R3", "R4" })
        {
            var r = Deploy(FixtureRelease.Create(Path.Combine(_tmp, n), n), [a], "--keep", "1");
            Assert.True(r.ExitCode == 0, r.ToString());
            versions.Add(a.CurrentRelease()!);
        }

        // R4 current, R3 previous (the rollback target), plus --keep 1 older one: R2. R1 is gone.
        Assert.Equal(versions.Skip(1).Order(), a.Releases());
        Assert.Contains("\"release\":\"R4\"", a.Health());
    }

    [Theory]
    [InlineData("--rid linux-arm", "ONNX Runtime has no 32-bit ARM natives; install the 64-bit Raspberry Pi OS")]
    [InlineData("--rid win-x64 h", "--rid 'win-x64' is not supported")]
    [InlineData("--bogus h", "unknown option '--bogus'")]
    [InlineData("--jobs x h", "--jobs 'x' is not a number")]
    [InlineData("--identity /nonexistent/key h", "--identity '/nonexistent/key': no such readable key file")]
    [InlineData("", "no HOST given")]
    [InlineData("bad/host", "host 'bad/host' is not user@host[:port]")]
    public void Deploy_BadCommandLine_ExitTwoWithMessage(string args, string message)
    {
        var r = ProcessRunner.Run("bash", [Path.Combine(RepoPaths.Root, "deploy.sh"), .. args.Split(' ', StringSplitOptions.RemoveEmptyEntries)]);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.StdErr);
    }

    [Fact]
    public void Deploy_PublishDirWithoutApp_ExitThreeNoHostTouched()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_tmp, "empty")).FullName;

        var r = ProcessRunner.Run("bash", [Path.Combine(RepoPaths.Root, "deploy.sh"), "--publish-dir", empty, "root@127.0.0.1:1"]);

        Assert.Equal(3, r.ExitCode);
        Assert.Contains($"{empty} has no executable EdgeDigits.Device", r.StdErr);
    }

    [Fact]
    public void Deploy_PublishFails_ExitThreeBoardUntouched()
    {
        var a = Board("board-a");
        // A dotnet on PATH that fails like a broken build: deploy.sh must stop before any host is contacted.
        var bin = Directory.CreateDirectory(Path.Combine(_tmp, "fakebin")).FullName;
        File.WriteAllText(Path.Combine(bin, "dotnet"), "#!/bin/sh\necho 'Program.cs(3,1): error CS1002: ; expected'\nexit 1\n");
        File.SetUnixFileMode(Path.Combine(bin, "dotnet"), (UnixFileMode)0b111_101_101);

        var r = ProcessRunner.Run("bash", [Path.Combine(RepoPaths.Root, "deploy.sh"), "--rid", "linux-x64", "--identity", _keys.ClientKey,
            "--ssh-opt", $"UserKnownHostsFile={_keys.KnownHosts}", "--root", TestBoard.MountPoint, a.Host],
            env: new Dictionary<string, string> { ["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH") });

        Assert.Equal(3, r.ExitCode);
        Assert.Contains("error CS1002: ; expected", r.StdErr);
        Assert.Contains("deploy.sh: publish failed for linux-x64 (log above); no host was touched", r.StdErr);
        Assert.False(Directory.Exists(a.Prefix));
    }

    [Fact]
    public void Help_DocumentsEveryOption()
    {
        var r = ProcessRunner.Run("bash", [Path.Combine(RepoPaths.Root, "deploy.sh"), "--help"]);

        Assert.Equal(0, r.ExitCode);
        foreach (var opt in new[] { "--rid", "--profile", "--identity", "--ssh-opt", "--jobs", "--publish-dir", "--full", "--version",
                                    "--root", "--prefix", "--config-dir", "--unit-dir", "--health-timeout", "--keep", "--dry-run" })
            Assert.Contains("  " + opt, r.StdOut);
        var script = File.ReadAllText(Path.Combine(RepoPaths.Root, "deploy.sh"));
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(script, @"^\s+(--[a-z-]+)\)", System.Text.RegularExpressions.RegexOptions.Multiline))
            Assert.Contains("  " + m.Groups[1].Value, r.StdOut);
    }

    public void Dispose()
    {
        foreach (var b in _boards) b.Dispose();
        try { Directory.Delete(_tmp, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
