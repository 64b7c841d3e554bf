using EdgeDigits.Device.Cli;
using EdgeDigits.Device.Hosting;

// `EdgeDigits.Device read FILE...` is the one-shot reader; anything else runs the device host.
return args is ["read", ..] ? ReadCommand.Run(args[1..], Console.Out, Console.Error) : DeviceHost.Run(args);
