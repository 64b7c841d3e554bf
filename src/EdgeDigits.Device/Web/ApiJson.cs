using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using EdgeDigits.Device.Mqtt;
using EdgeDigits.Device.Recognition;
using Microsoft.AspNetCore.Http;

namespace EdgeDigits.Device.Web;

/// <summary>The body of every API error: <c>{"error": "..."}</c>.</summary>
public sealed record ApiError([property: JsonPropertyName("error")] string Error);

/// <summary>
/// JSON answers of the API through source-generated serializers: the small board build is trimmed and has no
/// reflection-based serializer, so every body is a typed record, a reading, or a <see cref="JsonObject"/>.
/// </summary>
public static class ApiJson
{
    /// <summary><c>{"error": message}</c> with <paramref name="status"/>.</summary>
    public static IResult Error(string message, int status) => Results.Json(new ApiError(message), DeviceJsonContext.Default.ApiError, statusCode: status);

    /// <summary><paramref name="body"/> with <paramref name="status"/> (200 unless given).</summary>
    public static IResult Object(JsonObject body, int status = StatusCodes.Status200OK) => Results.Json(body, DeviceJsonContext.Default.JsonObject, statusCode: status);
}

/// <summary>Source-generated JSON for what the device writes: readings (MQTT, API), outbox lines, API bodies.</summary>
[JsonSerializable(typeof(DeviceReading))]
[JsonSerializable(typeof(IReadOnlyList<DeviceReading>))]
[JsonSerializable(typeof(OutboxEntry))]
[JsonSerializable(typeof(ApiError))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(string[]))]
public sealed partial class DeviceJsonContext : JsonSerializerContext;
