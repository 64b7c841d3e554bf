namespace EdgeDigits.Device.Configuration;

/// <summary>The MQTT sink (MQTTnet).</summary>
public sealed class MqttOptions
{
    /// <summary>Whether readings are published.</summary>
    public bool Enabled { get; set; }

    /// <summary>Broker host.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Broker port (1883, or 8883 with TLS).</summary>
    public int Port { get; set; } = 1883;

    /// <summary>User name, or null for anonymous.</summary>
    public string? User { get; set; }

    /// <summary>Password for <see cref="User"/>.</summary>
    public string? Password { get; set; }

    /// <summary>Connect with TLS.</summary>
    public bool Tls { get; set; }

    /// <summary>A CA certificate (PEM) the broker's certificate must chain to, or null for the system store.</summary>
    public string? CaFile { get; set; }

    /// <summary>Accept any broker certificate (test benches only).</summary>
    public bool AllowUntrustedCertificates { get; set; }

    /// <summary>First topic level: topics are <c>&lt;TopicPrefix&gt;/&lt;DeviceId&gt;/...</c>.</summary>
    public string TopicPrefix { get; set; } = "edgedigits";

    /// <summary>Publish Home Assistant discovery configs.</summary>
    public bool Discovery { get; set; } = true;

    /// <summary>Home Assistant discovery prefix.</summary>
    public string DiscoveryPrefix { get; set; } = "homeassistant";

    /// <summary>Folder of the on-disk outbox that holds messages until the broker acknowledges them.</summary>
    public string OutboxDir { get; set; } = "var/outbox";

    /// <summary>Most messages kept in the outbox; past that the oldest are dropped (and counted).</summary>
    public int OutboxMaxMessages { get; set; } = 10_000;

    /// <summary>Keep-alive in seconds.</summary>
    public int KeepAliveSeconds { get; set; } = 15;
}
