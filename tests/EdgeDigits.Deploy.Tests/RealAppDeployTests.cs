using EdgeDigits.Deploy.Tests.TestInfrastructure;

namespace EdgeDigits.Deploy.Tests;

/// <summary>A linux-x64 publish of the real EdgeDigits.Device (framework-dependent to keep it at ~40 MB), made once for this class.</summary>
public sealed class RealAppRelease : IDisposable
{
    public string Dir { get; } = RepoPaths.NewTempDir("edgedigits-realapp");

    public RealAppRelease()
    {
        var r = Publisher.Publish(Dir, "-c", "Release", "-r", "linux-x64", "--no-self-contained", "-p:DebugType=none");
        if (r.ExitCode != 0) throw new InvalidOperationException("linux-x64 publish failed: " + r);
    }

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}

/// <summary>
/// deploy.sh with the real device app on a real sshd board (<see cref="TestBoard"/>, systemctl stand-in): the app's own
/// /api/health decides; a release that cannot start (its model missing) is rolled back with the app's own reason.
/// </summary>
public sealed class RealAppDeployTests(RealAppRelease release) : IClassFixture<RealAppRelease>, IDisposable
{
    private readonly string _tmp = RepoPaths.NewTempDir("edgedigits-realdeploy");

    [Fact]
    public void Deploy_RealDeviceApp_HealthyThenReleaseWithoutModelRolledBack()
    {
        var keys = new SshKeys(Path.Combine(_tmp, "keys"));
        using var board = new TestBoard(keys, _tmp, "board");
        var model = Path.GetFileName(Directory.GetFiles(Path.Combine(release.Dir, "models"), "digits-*.onnx").Order().Last());
        File.WriteAllText(Path.Combine(board.ConfigDir, "appsettings.json"),
            $"{{ \"EdgeDigits\": {{ \"DeviceId\": \"board-7\", \"Http\": {{ \"Url\": \"http://127.0.0.1:{board.HttpPort}\" }}, \"Model\": {{ \"Path\": \"models/{model}\" }}, " +
            $"\"Meter\": {{ \"Layout\": \"\", \"Camera\": {{ \"ReplayDir\": \"{RepoPaths.Samples}/images\" }} }}, \"Sorter\": {{ \"Camera\": {{ \"ReplayDir\": \"{RepoPaths.Samples}/images\" }} }} }} }}\n");
        string[] Args(string rel, int timeout) =>
        [
            Path.Combine(RepoPaths.Root, "deploy.sh"), "--rid", "linux-x64", "--publish-dir", rel, "--profile", "Simulator",
            "--identity", keys.ClientKey, "--ssh-opt", $"UserKnownHostsFile={keys.KnownHosts}", "--root", TestBoard.MountPoint,
            "--health-timeout", timeout.ToString(), board.Host,
        ];

        var first = ProcessRunner.Run("bash", Args(release.Dir, 60), timeout: TimeSpan.FromMinutes(2));

        Assert.True(first.ExitCode == 0, first.ToString());
        var health = board.Health();
        Assert.Contains("\"device\":\"board-7\"", health);
        Assert.Contains("\"profile\":\"Simulator\"", health);
        Assert.Contains($"/opt/edgedigits/releases/{board.CurrentRelease()}/models/{model}", health);

        // The same app without its model: it must not stay, and the board must keep serving the good one.
        var broken = Path.Combine(_tmp, "broken");
        ProcessRunner.Check("cp", "-a", release.Dir, broken);
        Directory.Delete(Path.Combine(broken, "models"), recursive: true);
        var good = board.CurrentRelease();

        var second = ProcessRunner.Run("bash", Args(broken, 10), timeout: TimeSpan.FromMinutes(2));

        Assert.True(second.ExitCode == 1, second.ToString());
        var row = second.StdOut.Split('\n').Single(l => l.StartsWith(board.Host));
        Assert.Contains("ROLLED-BACK", row);
        // The app names a missing model file as its last words (the digit model, or the ink model listed after it).
        Assert.Matches("model file 'models/[^']+\\.onnx' not found", row);
        Assert.Equal(good, board.CurrentRelease());
        Assert.Contains("\"device\":\"board-7\"", board.Health());
    }

    public void Dispose()
    {
        try { Directory.Delete(_tmp, recursive: true); } catch (IOException) { }
    }
}
