using System.CommandLine;
using EdgeDigits.Tool.Flash;

namespace EdgeDigits.Tool.Commands;

/// <summary><c>edgedigits flash</c>: put a model on a running board, or the whole app on a Pi OS SD card image.</summary>
public sealed class FlashCommand : Command
{
    /// <summary>Creates the command with its <c>model</c> and <c>sd</c> subcommands.</summary>
    public FlashCommand() : base("flash", "Flash a model to a running board (over SSH) or EdgeDigits onto a Raspberry Pi OS SD card image.")
    {
        Add(new ModelCommand());
        Add(new SdCommand());
    }

    /// <summary><c>edgedigits flash model --host H [--model M] [--identity KEY] [--port P]</c>.</summary>
    public sealed class ModelCommand : Command
    {
        /// <summary>The board.</summary>
        public Option<string> Host { get; } = new("--host") { Description = "The board, user@host[:port]", Required = true };

        /// <summary>The model file.</summary>
        public Option<string> Model { get; } = new("--model")
        {
            Description = "The .onnx model to push; its metadata (models/<name>.json) goes with it",
            DefaultValueFactory = _ => Path.Combine("models", "digits-int8.onnx"),
        };

        /// <summary>SSH private key.</summary>
        public Option<string?> Identity { get; } = new("--identity") { Description = "SSH private key file (ssh -i)" };

        /// <summary>SSH port.</summary>
        public Option<int?> Port { get; } = new("--port") { Description = "SSH port (overrides host:port)" };

        /// <summary>Extra ssh options.</summary>
        public Option<string[]> SshOpt { get; } = new("--ssh-opt") { Description = "Extra ssh -o option, repeatable (e.g. UserKnownHostsFile=FILE)" };

        /// <summary>The device's models folder.</summary>
        public Option<string> ModelsDir { get; } = new("--models-dir")
        {
            Description = "The device's models folder on the board (uploads go to its incoming/)",
            DefaultValueFactory = _ => "/var/lib/edgedigits/models",
        };

        /// <summary>The device's HTTP port.</summary>
        public Option<int?> HttpPort { get; } = new("--http-port") { Description = "The device's HTTP port (default: from the board's /etc/edgedigits/appsettings.json, else 5080)" };

        /// <summary>The board config read for the port.</summary>
        public Option<string> Config { get; } = new("--board-config")
        {
            Description = "The board's config file, read for EdgeDigits:Http:Url",
            DefaultValueFactory = _ => "/etc/edgedigits/appsettings.json",
        };

        /// <summary>API token.</summary>
        public Option<string?> Token { get; } = new("--token") { Description = "Bearer token when the device's config sets EdgeDigits:Http:Token" };

        /// <summary>Creates the subcommand.</summary>
        public ModelCommand() : base("model", "Copy a model + metadata to a board over SSH, then have the running device validate (load + self-test) and activate it without a restart; a rejected model leaves the old one active.")
        {
            Add(Host); Add(Model); Add(Identity); Add(Port); Add(SshOpt); Add(ModelsDir); Add(HttpPort); Add(Config); Add(Token);
            // Checked on the token: a value that does not even parse as a number gets the parser's own error.
            Port.Validators.Add(r => { if (r.Tokens.Count > 0 && int.TryParse(r.Tokens[0].Value, out var p) && p is < 1 or > 65535) r.AddError($"--port {p}: must be 1..65535"); });
            HttpPort.Validators.Add(r => { if (r.Tokens.Count > 0 && int.TryParse(r.Tokens[0].Value, out var p) && p is < 1 or > 65535) r.AddError($"--http-port {p}: must be 1..65535"); });
            SetAction(parse => Run("flash model", () =>
            {
                var result = new ModelFlasher(Console.Error).Flash(new ModelFlashRequest
                {
                    Host = parse.GetValue(Host)!,
                    Model = parse.GetValue(Model)!,
                    Identity = parse.GetValue(Identity),
                    SshPort = parse.GetValue(Port),
                    SshOptions = parse.GetValue(SshOpt) ?? [],
                    ModelsDir = parse.GetValue(ModelsDir)!,
                    HttpPort = parse.GetValue(HttpPort),
                    ConfigFile = parse.GetValue(Config)!,
                    Token = parse.GetValue(Token),
                });
                Console.WriteLine($"active on {parse.GetValue(Host)}: {result.RemotePath}");
                Console.WriteLine(result.Body);
            }));
        }
    }

    /// <summary><c>edgedigits flash sd --image FILE.img | --boot DIR --root DIR [--profile P] --publish-dir DIR</c>.</summary>
    public sealed class SdCommand : Command
    {
        /// <summary>The Pi OS image.</summary>
        public Option<string?> Image { get; } = new("--image") { Description = "A Raspberry Pi OS (64-bit) disk image, changed in place without mounting" };

        /// <summary>Boot partition folder.</summary>
        public Option<string?> Boot { get; } = new("--boot") { Description = "The card's FAT boot partition as a folder (with --root, instead of --image)" };

        /// <summary>Root partition folder.</summary>
        public Option<string?> Root { get; } = new("--root") { Description = "The card's ext4 root partition as a folder" };

        /// <summary>Device profile.</summary>
        public Option<string> Profile { get; } = new("--profile")
        {
            Description = "Profile the board boots into: Kiosk, Meter, Sorter or Simulator",
            DefaultValueFactory = _ => "Kiosk",
        };

        /// <summary>The linux-arm64 publish.</summary>
        public Option<string> PublishDir { get; } = new("--publish-dir")
        {
            Description = "A self-contained linux-arm64 publish of EdgeDigits.Device (dotnet publish src/EdgeDigits.Device -c Release -r linux-arm64 --self-contained -o DIR)",
            Required = true,
        };

        /// <summary>A board config file.</summary>
        public Option<string?> Config { get; } = new("--config") { Description = "Install this file as /etc/edgedigits/appsettings.json (default: keep the card's, or seed an empty override)" };

        /// <summary>Release name.</summary>
        public Option<string?> Version { get; } = new("--version") { Description = "Release folder name under /opt/edgedigits/releases (default sd-<content hash>)" };

        /// <summary>Creates the subcommand.</summary>
        public SdCommand() : base("sd", "Install EdgeDigits onto a Raspberry Pi OS SD card image: boot config (SPI, I2C, LCD/touch pins, camera), the app in /opt/edgedigits, its enabled systemd unit and the profile — so the board runs EdgeDigits on first boot.")
        {
            Add(Image); Add(Boot); Add(Root); Add(Profile); Add(PublishDir); Add(Config); Add(Version);
            Validators.Add(r =>
            {
                var image = r.GetValue(Image) is not null;
                var boot = r.GetValue(Boot) is not null;
                var root = r.GetValue(Root) is not null;
                if (image && (boot || root)) r.AddError("use either --image or --boot with --root, not both");
                else if (!image && !(boot && root)) r.AddError("give --image FILE.img, or both --boot DIR and --root DIR");
            });
            SetAction(parse => Run("flash sd", () =>
            {
                var result = new SdCardFlasher(Console.Error).Flash(new SdFlashRequest
                {
                    Image = parse.GetValue(Image),
                    BootDir = parse.GetValue(Boot),
                    RootDir = parse.GetValue(Root),
                    Profile = parse.GetValue(Profile)!,
                    PublishDir = parse.GetValue(PublishDir)!,
                    ConfigFile = parse.GetValue(Config),
                    Version = parse.GetValue(Version),
                });
                Console.WriteLine($"flashed release {result.Version} ({result.FileCount} files, {result.Bytes / 1048576.0:F1} MB{(result.ReleaseWasPresent ? ", already present" : "")})");
            }));
        }
    }

    private static int Run(string name, Action work) =>
        CommandRunner.Run(name, work, ex => ex is FlashException f ? f.ExitCode : null);

}
