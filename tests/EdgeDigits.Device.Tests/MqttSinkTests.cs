using System.Text.Json;
using EdgeDigits.Device.Configuration;
using EdgeDigits.Device.Mqtt;
using EdgeDigits.Device.Recognition;
using EdgeDigits.Device.Tests.TestInfrastructure;

namespace EdgeDigits.Device.Tests;

public class MqttSinkTests
{
    private static DeviceOptions Options(int port, string outbox, string? user = null, string? password = null) => new()
    {
        DeviceId = "dev1",
        Modes = ["Meter"],
        Mqtt = new MqttOptions { Enabled = true, Host = "127.0.0.1", Port = port, OutboxDir = outbox, User = user, Password = password, KeepAliveSeconds = 5 },
    };

    private static DeviceReading Reading(int i) => new()
    {
        Id = i, Time = DateTimeOffset.UtcNow, Mode = "meter", Source = "camera", Text = i.ToString(),
        Digits = [new DigitResult(i.ToString()[..1], 0.99f, [0, 0, 10, 10])],
    };

    [Fact]
    public async Task Publish_BrokerUp_ReadingStateAndDiscoveryArrive()
    {
        using var broker = new MosquittoBroker();
        await using var rec = await MqttRecorder.StartAsync(broker.Port, "#");
        using var sink = new MqttSink(TestOptions.Wrap(Options(broker.Port, RepoPaths.NewTempDir())), TestOptions.Log<MqttSink>(), new PathResolver());
        await sink.StartAsync(CancellationToken.None);
        sink.Publish(Reading(42));
        await rec.WaitForAsync(r => r.On("/dev1/reading").Count == 1 && r.On("/dev1/state").Count == 1 && r.On("/dev1/status").Any(), TimeSpan.FromSeconds(10));
        var reading = JsonDocument.Parse(rec.On("edgedigits/dev1/reading")[0].Payload).RootElement;
        Assert.Equal("42", reading.GetProperty("text").GetString());
        var discovery = rec.On("homeassistant/sensor/dev1_meter_value/config");
        Assert.Single(discovery);
        Assert.Equal("edgedigits/dev1/meter", JsonDocument.Parse(discovery[0].Payload).RootElement.GetProperty("state_topic").GetString());
        await sink.StopAsync(CancellationToken.None);
        await rec.WaitForAsync(r => r.On("/dev1/status").LastOrDefault().Payload == "offline", TimeSpan.FromSeconds(5));

        // Retained: a subscriber arriving later still gets the last state.
        await using var late = await MqttRecorder.StartAsync(broker.Port, "edgedigits/dev1/state");
        await late.WaitForAsync(r => r.Messages.Count == 1, TimeSpan.FromSeconds(5));
        Assert.True(late.Messages.Single().Retain);
        Assert.Equal(0, sink.Outbox.Count);
    }

    [Fact]
    public async Task Discovery_WaterMeter_MeterValueHasDeviceClassUnitAndTotalIncreasing()
    {
        using var broker = new MosquittoBroker();
        await using var rec = await MqttRecorder.StartAsync(broker.Port, "homeassistant/#");
        var options = Options(broker.Port, RepoPaths.NewTempDir());
        options.Meter.Kind = "water";
        using var sink = new MqttSink(TestOptions.Wrap(options), TestOptions.Log<MqttSink>(), new PathResolver());
        await sink.StartAsync(CancellationToken.None);
        await rec.WaitForAsync(r => r.On("homeassistant/sensor/dev1_meter_value/config").Count == 1, TimeSpan.FromSeconds(10));
        var cfg = JsonDocument.Parse(rec.On("homeassistant/sensor/dev1_meter_value/config")[0].Payload).RootElement;
        Assert.Equal("water", cfg.GetProperty("device_class").GetString());
        Assert.Equal("m³", cfg.GetProperty("unit_of_measurement").GetString());
        Assert.Equal("total_increasing", cfg.GetProperty("state_class").GetString());
        Assert.Equal(0, cfg.GetProperty("suggested_display_precision").GetInt32());
        await sink.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Discovery_PublishTenth_MeterValueShowsOneDecimal()
    {
        using var broker = new MosquittoBroker();
        await using var rec = await MqttRecorder.StartAsync(broker.Port, "homeassistant/#");
        var options = Options(broker.Port, RepoPaths.NewTempDir());
        options.Meter.PublishTenth = true;
        using var sink = new MqttSink(TestOptions.Wrap(options), TestOptions.Log<MqttSink>(), new PathResolver());
        await sink.StartAsync(CancellationToken.None);
        // Both configs are awaited: they are published one after the other, and the recorder may hold only the first.
        await rec.WaitForAsync(r => r.On("homeassistant/sensor/dev1_meter_value/config").Count == 1
            && r.On("homeassistant/sensor/dev1_meter_rate/config").Count == 1, TimeSpan.FromSeconds(10));
        var cfg = JsonDocument.Parse(rec.On("homeassistant/sensor/dev1_meter_value/config")[0].Payload).RootElement;
        Assert.Equal(1, cfg.GetProperty("suggested_display_precision").GetInt32());
        Assert.False(JsonDocument.Parse(rec.On("homeassistant/sensor/dev1_meter_rate/config")[0].Payload).RootElement.TryGetProperty("suggested_display_precision", out _));
        await sink.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Publish_BrokerRestarted_QueuedReadingsAllDeliveredInOrder()
    {
        using var broker = new MosquittoBroker();
        var outbox = RepoPaths.NewTempDir();
        await using var rec = await MqttRecorder.StartAsync(broker.Port, "edgedigits/dev1/reading");
        using var sink = new MqttSink(TestOptions.Wrap(Options(broker.Port, outbox)), TestOptions.Log<MqttSink>(), new PathResolver());
        await sink.StartAsync(CancellationToken.None);
        for (var i = 1; i <= 5; i++) sink.Publish(Reading(i));
        await rec.WaitForAsync(r => r.Messages.Count == 5, TimeSpan.FromSeconds(10));

        broker.Stop();
        await Task.Delay(300);
        for (var i = 6; i <= 40; i++) sink.Publish(Reading(i));
        // The sink notices the lost broker within its keep-alive; a loaded machine may take longer than usual.
        await Eventually.UntilAsync(() => !sink.Connected, TimeSpan.FromSeconds(10));
        Assert.False(sink.Connected);
        Assert.True(sink.Outbox.Count >= 35 * 2, $"outbox holds {sink.Outbox.Count}");

        broker.Start();
        await rec.ConnectAsync();
        try { await rec.WaitForAsync(r => r.Messages.Count >= 40, TimeSpan.FromSeconds(30)); }
        catch (TimeoutException ex) { throw new TimeoutException($"{ex.Message}; sink connected={sink.Connected} pending={sink.Outbox.Count} error={sink.LastError}"); }
        var ids = rec.Messages.Select(m => JsonDocument.Parse(m.Payload).RootElement.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), ids);
        await Eventually.UntilAsync(() => sink.Outbox.Count == 0, TimeSpan.FromSeconds(10));
        Assert.Equal(0, sink.Outbox.Count);
        await sink.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Publish_DeviceRestartedWhileBrokerDown_OutboxReplayedFromDisk()
    {
        using var broker = new MosquittoBroker();
        var outbox = RepoPaths.NewTempDir();
        await using var rec = await MqttRecorder.StartAsync(broker.Port, "edgedigits/dev1/reading");
        broker.Stop();
        using (var sink = new MqttSink(TestOptions.Wrap(Options(broker.Port, outbox)), TestOptions.Log<MqttSink>(), new PathResolver()))
        {
            await sink.StartAsync(CancellationToken.None);
            for (var i = 1; i <= 10; i++) sink.Publish(Reading(i));
            await sink.StopAsync(CancellationToken.None);
        }
        broker.Start();
        await rec.ConnectAsync();
        using var again = new MqttSink(TestOptions.Wrap(Options(broker.Port, outbox)), TestOptions.Log<MqttSink>(), new PathResolver());
        await again.StartAsync(CancellationToken.None);
        await rec.WaitForAsync(r => r.Messages.Count >= 10, TimeSpan.FromSeconds(20));
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), rec.Messages.Select(m => JsonDocument.Parse(m.Payload).RootElement.GetProperty("id").GetInt64()));
        await again.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Connect_WrongPassword_KeepsMessagesAndReportsError()
    {
        var dir = RepoPaths.NewTempDir("mqttpw");
        var pwFile = Path.Combine(dir, "passwd");
        var p = System.Diagnostics.Process.Start("/usr/bin/mosquitto_passwd", $"-b -c {pwFile} meter s3cret-pass")!;
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        using var broker = new MosquittoBroker($"allow_anonymous false\npassword_file {pwFile}");
        using var bad = new MqttSink(TestOptions.Wrap(Options(broker.Port, RepoPaths.NewTempDir(), "meter", "wrong")), TestOptions.Log<MqttSink>(), new PathResolver());
        await bad.StartAsync(CancellationToken.None);
        bad.Publish(Reading(1));
        await Eventually.UntilAsync(() => bad.LastError is not null, TimeSpan.FromSeconds(10));
        Assert.Contains("refused", bad.LastError ?? "", StringComparison.OrdinalIgnoreCase);
        Assert.True(bad.Outbox.Count >= 2);
        await bad.StopAsync(CancellationToken.None);

        using var good = new MqttSink(TestOptions.Wrap(Options(broker.Port, RepoPaths.NewTempDir(), "meter", "s3cret-pass")), TestOptions.Log<MqttSink>(), new PathResolver());
        await good.StartAsync(CancellationToken.None);
        good.Publish(Reading(2));
        await Eventually.UntilAsync(() => good.Outbox.Count == 0, TimeSpan.FromSeconds(10));
        Assert.Equal(0, good.Outbox.Count);
        Assert.True(good.Delivered >= 2);
        await good.StopAsync(CancellationToken.None);
    }
}

public class MqttTlsTests
{
    private static void Run(string file, string args)
    {
        var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{file} {args}: {p.StandardError.ReadToEnd()}");
    }

    [Fact]
    public async Task Connect_TlsWithCaFile_DeliversAndWithoutTrustedCaRefuses()
    {
        var dir = RepoPaths.NewTempDir("mqtt-tls");
        string F(string n) => Path.Combine(dir, n);
        // A throwaway CA and a server certificate for 127.0.0.1, as a small broker setup would have.
        Run("openssl", $"req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=edgedigits-test-ca -keyout {F("ca.key")} -out {F("ca.pem")}");
        Run("openssl", $"req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout {F("server.key")} -out {F("server.csr")}");
        File.WriteAllText(F("ext.cnf"), "subjectAltName=IP:127.0.0.1\n");
        Run("openssl", $"x509 -req -in {F("server.csr")} -CA {F("ca.pem")} -CAkey {F("ca.key")} -CAcreateserial -days 1 -extfile {F("ext.cnf")} -out {F("server.pem")}");
        // mosquitto drops to its own user when started as root and must still read the key.
        if (!OperatingSystem.IsWindows()) foreach (var f in Directory.GetFiles(dir)) File.SetUnixFileMode(f, (UnixFileMode)0b110_100_100);
        using var broker = new MosquittoBroker($"allow_anonymous true\ncafile {F("ca.pem")}\ncertfile {F("server.pem")}\nkeyfile {F("server.key")}");

        var good = new DeviceOptions { DeviceId = "tls1", Mqtt = new MqttOptions { Enabled = true, Port = broker.Port, Tls = true, CaFile = F("ca.pem"), OutboxDir = RepoPaths.NewTempDir() } };
        using var sink = new MqttSink(TestOptions.Wrap(good), TestOptions.Log<MqttSink>(), new PathResolver());
        await sink.StartAsync(CancellationToken.None);
        sink.PublishRaw("probe", "hello", retain: false);
        await Eventually.UntilAsync(() => sink.Outbox.Count == 0, TimeSpan.FromSeconds(15));
        Assert.True(sink.Outbox.Count == 0, $"not delivered over TLS: {sink.LastError}");
        await sink.StopAsync(CancellationToken.None);

        var untrusted = new DeviceOptions { DeviceId = "tls2", Mqtt = new MqttOptions { Enabled = true, Port = broker.Port, Tls = true, OutboxDir = RepoPaths.NewTempDir() } };
        using var bad = new MqttSink(TestOptions.Wrap(untrusted), TestOptions.Log<MqttSink>(), new PathResolver());
        await bad.StartAsync(CancellationToken.None);
        bad.PublishRaw("probe", "hello", retain: false);
        await Eventually.UntilAsync(() => bad.LastError is not null, TimeSpan.FromSeconds(10));
        Assert.NotNull(bad.LastError);
        Assert.True(bad.Outbox.Count > 0);
        await bad.StopAsync(CancellationToken.None);
    }
}
