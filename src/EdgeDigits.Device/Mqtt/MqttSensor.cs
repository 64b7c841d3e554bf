namespace EdgeDigits.Device.Mqtt;

/// <summary>A Home Assistant sensor announced by discovery: a value read from one of this device's topics.</summary>
/// <param name="Key">Unique within the device (<c>&lt;id&gt;_&lt;key&gt;</c>).</param>
/// <param name="Name">Shown in Home Assistant.</param>
/// <param name="SubTopic">The state topic under <c>&lt;prefix&gt;/&lt;id&gt;/</c>.</param>
/// <param name="Template">The value template, e.g. <c>{{ value_json.text }}</c>.</param>
/// <param name="Unit">unit_of_measurement, when any.</param>
/// <param name="StateClass">state_class, when any.</param>
/// <param name="DeviceClass">device_class, when any.</param>
/// <param name="Precision">suggested_display_precision (decimals shown), when any.</param>
public sealed record MqttSensor(string Key, string Name, string SubTopic, string Template, string? Unit = null, string? StateClass = null, string? DeviceClass = null, int? Precision = null);
