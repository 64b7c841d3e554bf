using System.Collections.Concurrent;
using System.Text;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeDigits.Device.Tests.TestInfrastructure;

/// <summary>A real MQTT subscriber that records every message it receives (persistent session, QoS 1).</summary>
public sealed class MqttRecorder : IAsyncDisposable
{
    private readonly IMqttClient _client;
    private readonly MqttClientOptions _options;
    private readonly string _filter;

    public ConcurrentQueue<(string Topic, string Payload, bool Retain)> Messages { get; } = new();

    private MqttRecorder(int port, string filter)
    {
        _filter = filter;
        _client = new MqttClientFactory().CreateMqttClient();
        _options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("recorder-" + Guid.NewGuid().ToString("N")[..8])
            .WithCleanSession(false).WithSessionExpiryInterval(3600).Build();
        _client.ApplicationMessageReceivedAsync += e =>
        {
            Messages.Enqueue((e.ApplicationMessage.Topic, Encoding.UTF8.GetString(e.ApplicationMessage.Payload), e.ApplicationMessage.Retain));
            return Task.CompletedTask;
        };
    }

    public static async Task<MqttRecorder> StartAsync(int port, string filter)
    {
        var r = new MqttRecorder(port, filter);
        await r.ConnectAsync();
        await r._client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce).Build());
        return r;
    }

    /// <summary>Connects (again), retrying while the broker is coming up.</summary>
    public async Task ConnectAsync()
    {
        for (var i = 0; ; i++)
        {
            try { await _client.ConnectAsync(_options); return; }
            catch (Exception) when (i < 100) { await Task.Delay(100); }
        }
    }

    public List<(string Topic, string Payload, bool Retain)> On(string topicSuffix) => Messages.Where(m => m.Topic.EndsWith(topicSuffix, StringComparison.Ordinal)).ToList();

    public async Task WaitForAsync(Func<MqttRecorder, bool> condition, TimeSpan timeout)
    {
        var end = DateTime.UtcNow + timeout;
        while (!condition(this))
        {
            if (DateTime.UtcNow > end) throw new TimeoutException($"condition not met; received {Messages.Count} message(s): {string.Join(" | ", Messages.Select(m => m.Topic).Take(20))}");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try { if (_client.IsConnected) await _client.DisconnectAsync(); } catch (Exception) { }
        _client.Dispose();
    }
}
