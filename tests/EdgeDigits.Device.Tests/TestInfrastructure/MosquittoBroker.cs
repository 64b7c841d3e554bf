using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EdgeDigits.Device.Tests.TestInfrastructure;

/// <summary>A real mosquitto broker (Debian package) on a free loopback port, with persistence so a restart keeps subscriber sessions.</summary>
public sealed class MosquittoBroker : IDisposable
{
    private Process? _process;
    private readonly string _dir;
    private readonly string _extraConfig;

    public MosquittoBroker(string extraConfig = "allow_anonymous true")
    {
        if (!File.Exists("/usr/sbin/mosquitto")) throw new InvalidOperationException("mosquitto not installed: run tools/setup.sh");
        _dir = RepoPaths.NewTempDir("mosquitto");
        // Started as root, mosquitto drops to its own user and must still write its persistence file here.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(_dir, (UnixFileMode)0b111_111_111);
        _extraConfig = extraConfig;
        Port = FreePort();
        Start();
    }

    public int Port { get; }

    public string Dir => _dir;

    public static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    public void Start()
    {
        var conf = Path.Combine(_dir, "mosquitto.conf");
        File.WriteAllText(conf, $"listener {Port} 127.0.0.1\npersistence true\npersistence_location {_dir}/\n{_extraConfig}\n");
        _process = Process.Start(new ProcessStartInfo("/usr/sbin/mosquitto", $"-c {conf}") { RedirectStandardError = true, RedirectStandardOutput = true })!;
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (_process.HasExited) throw new InvalidOperationException($"mosquitto exited with {_process.ExitCode}");
            try
            {
                using var c = new TcpClient();
                c.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) { Thread.Sleep(50); }
        }
        throw new TimeoutException("mosquitto did not start listening");
    }

    /// <summary>Stops the broker with SIGTERM (it saves its persistence file) and waits for it to exit.</summary>
    public void Stop()
    {
        if (_process is null || _process.HasExited) return;
        Process.Start("kill", $"-TERM {_process.Id}")!.WaitForExit();
        if (!_process.WaitForExit(5000)) _process.Kill();
        _process.Dispose();
        _process = null;
    }

    public void Dispose()
    {
        Stop();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}
