using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeDigits.Device.Configuration;
using EdgeDigits.Device.Recognition;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeDigits.Device.Mqtt;

/// <summary>
/// Publishes readings to an MQTT broker with MQTTnet. Every message goes through the <see cref="DiskOutbox"/> first and
/// one publisher loop sends them in order with QoS 1, acknowledging each only after the broker's PUBACK, so nothing is
/// lost or reordered across broker outages. Topics: <c>&lt;prefix&gt;/&lt;id&gt;/status</c> (retained online/offline,
/// with a last will), <c>/reading</c> (every reading), <c>/state</c> (retained last reading), <c>/meter</c> (retained
/// value, rate, status), plus Home Assistant discovery configs.
/// </summary>
public sealed class MqttSink : BackgroundService
{
    private readonly MqttOptions _options;
    private readonly string _deviceId;
    private readonly ILogger<MqttSink> _log;
    private readonly DiskOutbox _outbox;
    private IMqttClient? _client;

    /// <summary>Creates the sink; the outbox is opened at once so messages can queue before the broker is reached.</summary>
    public MqttSink(IOptions<DeviceOptions> options, ILogger<MqttSink> log, PathResolver paths)
    {
        _options = options.Value.Mqtt;
        _deviceId = options.Value.DeviceId;
        _log = log;
        _outbox = new DiskOutbox(paths.Resolve(_options.OutboxDir), _options.OutboxMaxMessages);
        if (_outbox.CorruptLines > 0) _log.LogWarning("MQTT outbox: skipped {Count} torn line(s) in {Dir}", _outbox.CorruptLines, _options.OutboxDir);
        if (_options.Discovery) EnqueueDiscovery(Modes.ModeCatalog.Sensors(options.Value));
    }

    /// <summary>The first topic levels of this device: <c>edgedigits/&lt;id&gt;</c>.</summary>
    public string BaseTopic => $"{_options.TopicPrefix}/{_deviceId}";

    /// <summary>True while connected to the broker.</summary>
    public bool Connected => _client?.IsConnected == true;

    /// <summary>The last connection or publish error, or null.</summary>
    public string? LastError { get; private set; }

    /// <summary>The outbox (pending count, dropped count).</summary>
    public DiskOutbox Outbox => _outbox;

    /// <summary>Messages acknowledged by the broker since start.</summary>
    public long Delivered { get; private set; }

    /// <summary>Queues a reading: <c>/reading</c> and the retained <c>/state</c>.</summary>
    public void Publish(DeviceReading reading)
    {
        var json = JsonSerializer.Serialize(reading, Web.DeviceJsonContext.Default.DeviceReading);
        _outbox.Enqueue($"{BaseTopic}/reading", json, retain: false);
        _outbox.Enqueue($"{BaseTopic}/state", json, retain: true);
    }

    /// <summary>Queues an arbitrary message under this device's topic.</summary>
    public void PublishRaw(string subTopic, string payload, bool retain) =>
        _outbox.Enqueue($"{BaseTopic}/{subTopic}", payload, retain);

    private void EnqueueDiscovery(IEnumerable<MqttSensor> modeSensors)
    {
        var device = new JsonObject { ["identifiers"] = new JsonArray(_deviceId), ["name"] = $"EdgeDigits {_deviceId}", ["manufacturer"] = "EdgeDigits", ["model"] = "digit reader" };
        MqttSensor[] common = [new("text", "Reading", "state", "{{ value_json.text }}"), new("confidence", "Confidence", "state", "{{ value_json.minConfidence }}")];
        foreach (var s in common.Concat(modeSensors))
        {
            var cfg = new JsonObject
            {
                ["name"] = s.Name,
                ["unique_id"] = $"{_deviceId}_{s.Key}",
                ["state_topic"] = $"{BaseTopic}/{s.SubTopic}",
                ["value_template"] = s.Template,
                ["availability_topic"] = $"{BaseTopic}/status",
                ["device"] = device.DeepClone(),
            };
            if (s.Unit is not null) cfg["unit_of_measurement"] = s.Unit;
            if (s.StateClass is not null) cfg["state_class"] = s.StateClass;
            if (s.DeviceClass is not null) cfg["device_class"] = s.DeviceClass;
            if (s.Precision is { } precision) cfg["suggested_display_precision"] = precision;
            _outbox.Enqueue($"{_options.DiscoveryPrefix}/sensor/{_deviceId}_{s.Key}/config", cfg.ToJsonString(), retain: true);
        }
    }

    private MqttClientOptions BuildOptions()
    {
        var b = new MqttClientOptionsBuilder()
            .WithTcpServer(_options.Host, _options.Port)
            .WithClientId($"edgedigits-{_deviceId}")
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(_options.KeepAliveSeconds))
            .WithTimeout(TimeSpan.FromSeconds(5))
            .WithCleanSession(true)
            .WithWillTopic($"{BaseTopic}/status").WithWillPayload("offline"u8.ToArray()).WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        if (_options.User is not null) b.WithCredentials(_options.User, _options.Password ?? "");
        if (_options.Tls)
        {
            b.WithTlsOptions(t =>
            {
                t.UseTls();
                if (_options.AllowUntrustedCertificates)
                {
                    t.WithCertificateValidationHandler(_ => true);
                }
                else if (_options.CaFile is not null)
                {
                    var ca = X509CertificateLoader.LoadCertificateFromFile(_options.CaFile);
                    t.WithTrustChain([ca]);
                }
            });
        }
        return b.Build();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var factory = new MqttClientFactory();
        _client = factory.CreateMqttClient();
        var options = BuildOptions();
        var backoff = TimeSpan.FromMilliseconds(200);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!_client.IsConnected)
                {
                    var result = await _client.ConnectAsync(options, stoppingToken).ConfigureAwait(false);
                    if (result.ResultCode != MqttClientConnectResultCode.Success)
                        throw new InvalidOperationException($"broker refused the connection: {result.ResultCode}");
                    _log.LogInformation("MQTT connected to {Host}:{Port}; {Count} message(s) waiting in the outbox", _options.Host, _options.Port, _outbox.Count);
                    LastError = null;
                    backoff = TimeSpan.FromMilliseconds(200);
                    await _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"{BaseTopic}/status").WithPayload("online")
                        .WithRetainFlag().WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), stoppingToken).ConfigureAwait(false);
                }
                var next = _outbox.Peek();
                if (next is null)
                {
                    await _outbox.WaitAsync(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(false);
                    continue;
                }
                var msg = new MqttApplicationMessageBuilder().WithTopic(next.Topic).WithPayload(next.Payload)
                    .WithRetainFlag(next.Retain).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
                var pub = await _client.PublishAsync(msg, stoppingToken).ConfigureAwait(false);
                if (!pub.IsSuccess) throw new InvalidOperationException($"broker rejected {next.Topic}: {pub.ReasonCode}");
                _outbox.Ack(next.Seq);
                Delivered++;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                if (LastError != ex.Message) _log.LogWarning("MQTT {Host}:{Port}: {Error}; {Count} message(s) kept in the outbox", _options.Host, _options.Port, ex.Message, _outbox.Count);
                LastError = ex.Message;
                try { await Task.Delay(backoff, stoppingToken).ConfigureAwait(false); } catch (OperationCanceledException) { break; }
                backoff = TimeSpan.FromMilliseconds(Math.Min(backoff.TotalMilliseconds * 2, 5000));
            }
        }
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (_client?.IsConnected == true)
        {
            try
            {
                await _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"{BaseTopic}/status").WithPayload("offline")
                    .WithRetainFlag().WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken).ConfigureAwait(false);
                await _client.DisconnectAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) { _log.LogDebug("MQTT disconnect: {Error}", ex.Message); }
        }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _client?.Dispose();
        _outbox.Dispose();
        base.Dispose();
    }
}
