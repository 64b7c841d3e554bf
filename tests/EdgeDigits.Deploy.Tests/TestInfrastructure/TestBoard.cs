using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EdgeDigits.Deploy.Tests.TestInfrastructure;

/// <summary>
/// A stand-in board: a real OpenSSH sshd on 127.0.0.1 (throwaway host key, key-only auth, as root)
/// in its own mount namespace, where the board's temporary folder ROOT is bind-mounted at
/// <see cref="MountPoint"/>. Every board therefore has the same board root path, so one
/// `deploy.sh --root /var/tmp/edgedigits-board` call reaches several boards with separate files,
/// as separate machines would. Sessions get PATH=MountPoint/bin first; that folder holds the systemctl
/// stand-in (TestInfrastructure/systemctl): systemd cannot run in the test container, so that script
/// really starts and stops the unit's ExecStart in the background with a pid file.
/// </summary>
internal sealed class TestBoard : IDisposable
{
    private readonly Process _sshd;

    /// <summary>Where each board's root is mounted inside its sshd's namespace (deploy.sh --root).</summary>
    public const string MountPoint = "/var/tmp/edgedigits-board";

    public string Root { get; }
    public int SshPort { get; }
    public int HttpPort { get; }
    public string Host => $"root@127.0.0.1:{SshPort}";
    public string Prefix => Path.Combine(Root, "opt/edgedigits");
    public string ConfigDir => Path.Combine(Root, "etc/edgedigits");
    public string UnitDir => Path.Combine(Root, "etc/systemd/system");
    public string Bin => Path.Combine(Root, "bin");

    public TestBoard(SshKeys keys, string parent, string name, int? httpPort = null)
    {
        Directory.CreateDirectory(MountPoint);
        Root = Path.Combine(parent, name);
        Directory.CreateDirectory(Bin);
        Directory.CreateDirectory(ConfigDir);
        foreach (var tool in new[] { "systemctl", "journalctl" })
        {
            File.Copy(Path.Combine(AppContext.BaseDirectory, "TestInfrastructure", tool), Path.Combine(Bin, tool));
            File.SetUnixFileMode(Path.Combine(Bin, tool), (UnixFileMode)0b111_101_101);
        }
        HttpPort = httpPort ?? FreePort();
        // The board's own edited config: deploy.sh must read the port from it and never overwrite it.
        File.WriteAllText(Path.Combine(ConfigDir, "appsettings.json"),
            $"{{ \"EdgeDigits\": {{ \"DeviceId\": \"{name}\", \"Http\": {{ \"Url\": \"http://127.0.0.1:{HttpPort}\" }} }} }}\n");
        Directory.CreateDirectory("/run/sshd");
        SshPort = FreePort();
        var pidFile = Path.Combine(parent, $"{name}-sshd.pid");
        var psi = new ProcessStartInfo("unshare")
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (var a in new[]
        {
            "-m", "--propagation", "private", "bash", "-c", $"mount --bind \"$0\" {MountPoint} && exec /usr/sbin/sshd \"$@\"", Root,
            "-D", "-e", "-p", SshPort.ToString(), "-o", "ListenAddress=127.0.0.1",
            "-o", $"HostKey={keys.HostKey}", "-o", $"AuthorizedKeysFile={keys.AuthorizedKeys}",
            "-o", "PasswordAuthentication=no", "-o", "KbdInteractiveAuthentication=no", "-o", "StrictModes=no",
            "-o", $"PidFile={pidFile}", "-o", "PermitRootLogin=prohibit-password", "-o", "MaxStartups=50",
            "-o", $"SetEnv=PATH={MountPoint}/bin:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin EDGEDIGITS_TEST_ROOT={MountPoint} " +
                  $"EDGEDIGITS_TEST_BOARD={name} EDGEDIGITS_TEST_PEERS={Path.Combine(parent, "peers")}",
        }) psi.ArgumentList.Add(a);
        _sshd = Process.Start(psi)!;
        _sshd.ErrorDataReceived += (_, _) => { };
        _sshd.BeginErrorReadLine();
        _sshd.BeginOutputReadLine();
        try { WaitForPort(SshPort); }
        catch (TimeoutException)
        {
            _sshd.Kill();
            throw;
        }
        keys.AddKnownHost(SshPort);
    }

    /// <summary>Fetches the board's /api/health body, or null when nothing answers.</summary>
    public string? Health()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        try { return http.GetStringAsync($"http://127.0.0.1:{HttpPort}/api/health").GetAwaiter().GetResult(); }
        catch (HttpRequestException) { return null; }
        catch (TaskCanceledException) { return null; }
    }

    /// <summary>The release folder name the board's current symlink points at.</summary>
    public string? CurrentRelease()
    {
        var link = new FileInfo(Path.Combine(Prefix, "current")).LinkTarget;
        return link is null ? null : Path.GetFileName(link);
    }

    public string[] Releases() => Directory.Exists(Path.Combine(Prefix, "releases"))
        ? Directory.GetDirectories(Path.Combine(Prefix, "releases")).Select(d => Path.GetFileName(d)!).Order().ToArray()
        : [];

    /// <summary>Puts an executable script on the board's PATH, ahead of the system's.</summary>
    public void AddCommand(string name, string script)
    {
        var f = Path.Combine(Bin, name);
        File.WriteAllText(f, script);
        File.SetUnixFileMode(f, (UnixFileMode)0b111_101_101);
    }

    public void Dispose()
    {
        // Stop the app the systemctl stand-in started, then sshd.
        ProcessRunner.Run(Path.Combine(Bin, "systemctl"), ["stop", "edgedigits"],
            env: new Dictionary<string, string> { ["EDGEDIGITS_TEST_ROOT"] = Root });
        try { _sshd.Kill(); _sshd.WaitForExit(5000); } catch (InvalidOperationException) { }
        _sshd.Dispose();
    }

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static void WaitForPort(int port)
    {
        var end = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < end)
        {
            try { using var c = new TcpClient(); c.Connect(IPAddress.Loopback, port); return; }
            catch (SocketException) { Thread.Sleep(50); }
        }
        throw new TimeoutException($"sshd did not listen on 127.0.0.1:{port}");
    }
}

/// <summary>Throwaway ed25519 host and client keys, an authorized_keys and a known_hosts file.</summary>
internal sealed class SshKeys
{
    public string Dir { get; }
    public string HostKey => Path.Combine(Dir, "host");
    public string ClientKey => Path.Combine(Dir, "client");
    public string OtherKey => Path.Combine(Dir, "other");
    public string AuthorizedKeys => Path.Combine(Dir, "authorized_keys");
    public string KnownHosts => Path.Combine(Dir, "known_hosts");

    public SshKeys(string dir)
    {
        Dir = dir;
        Directory.CreateDirectory(dir);
        foreach (var k in new[] { HostKey, ClientKey, OtherKey })
            ProcessRunner.Check("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", Path.GetFileName(k), "-f", k);
        File.Copy(ClientKey + ".pub", AuthorizedKeys);
        File.WriteAllText(KnownHosts, "");
    }

    public void AddKnownHost(int port)
    {
        var pub = File.ReadAllText(HostKey + ".pub").Split(' ');
        lock (this) File.AppendAllText(KnownHosts, $"[127.0.0.1]:{port} {pub[0]} {pub[1]}\n");
    }
}
