using System.CommandLine;
using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Meters;
using EdgeDigits.Core.Preprocessing;
using EdgeDigits.Core.Recognition;

namespace EdgeDigits.Cli;

/// <summary><c>edgedigits read</c>: read the number in image and ink files.</summary>
public sealed class ReadCommand : Command
{
    /// <summary>Files and folders to read.</summary>
    public Argument<string[]> Inputs { get; } = new("inputs")
    {
        Description = "Image files (PNG/JPEG/BMP/WebP), ink JSON files, or folders of them",
        Arity = ArgumentArity.OneOrMore,
    };

    /// <summary>The model.</summary>
    public Option<string?> Model { get; } = new("--model") { Description = "ONNX model (default: models/digits-int8.onnx, else models/digits-fp32.onnx)" };

    /// <summary>The ink sequence model.</summary>
    public Option<string?> InkModel { get; } = new("--ink-model") { Description = "Ink sequence model read beside --model on ink files, their digit probabilities blended (default: models/inkseq-int8.onnx, else inkseq-fp32.onnx, when found; 'none' = the digit model alone)" };

    /// <summary>Region of interest.</summary>
    public Option<PixelRect?> Roi { get; } = new("--roi")
    {
        Description = "Read only this rectangle of each image: x,y,w,h in pixels",
        CustomParser = r =>
        {
            var text = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
            if (PixelRect.TryParse(text, out var rect, out var error)) return rect;
            r.AddError($"--roi {error}");
            return null;
        },
    };

    /// <summary>Perspective quad.</summary>
    public Option<PointF[]?> Quad { get; } = new("--quad")
    {
        Description = "Straighten a display seen at an angle: its corners TL,TR,BR,BL as x1,y1,x2,y2,x3,y3,x4,y4",
        CustomParser = r =>
        {
            var text = r.Tokens.Count > 0 ? r.Tokens[0].Value : "";
            if (PointList.TryParse(text, 4, out var points, out var error)) return points;
            r.AddError($"--quad {error}");
            return null;
        },
    };

    /// <summary>Each image is one meter digit window.</summary>
    public Option<bool> OneDigit { get; } = new("--one-digit") { Description = "Each image (or its --roi) is one meter digit window, read by the meter wheel model (default models/meter-int8.onnx): the digit, or '?' while the wheel rolls; --json adds value, roll, from, to" };

    /// <summary>Meter layout: each image is a whole meter frame.</summary>
    public Option<string?> Windows { get; } = new("--windows") { Description = "With --one-digit: a meter layout JSON (windows, reference marks, alignment; see samples/meter-frames/meter.json); each image is then a whole meter frame, aligned to the reference and read window by window (--debug-dir: the windows drawn where the alignment put them)" };

    /// <summary>Reference image override.</summary>
    public Option<string?> Reference { get; } = new("--reference") { Description = "With --windows: the reference image the frames are aligned to (default: the layout's; a layout without alignment is then registered without marks)" };

    /// <summary>JSON lines output.</summary>
    public Option<bool> Json { get; } = new("--json") { Description = "One JSON object per file: {\"file\",\"text\",\"digits\":[{\"digit\",\"confidence\",\"box\"}]}" };

    /// <summary>Debug image folder.</summary>
    public Option<string?> DebugDir { get; } = new("--debug-dir") { Description = "Write the threshold, components and crops images of each file here" };

    /// <summary>ORT threads.</summary>
    public Option<int> Threads { get; } = new("--threads") { Description = "ONNX Runtime intra-op threads", DefaultValueFactory = _ => 1 };

    /// <summary>Creates the command.</summary>
    public ReadCommand() : base("read", "Read the number in image files and ink recordings (one line per file: path, text, lowest digit confidence).")
    {
        Threads.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 0) r.AddError("--threads must not be negative"); });
        Add(Inputs);
        Add(Model);
        Add(InkModel);
        Add(Roi);
        Add(Quad);
        Add(OneDigit);
        Add(Windows);
        Add(Reference);
        Add(Json);
        Add(DebugDir);
        Add(Threads);
        SetAction(parse => Execute(new ReadRequest
        {
            Inputs = parse.GetValue(Inputs)!,
            Model = parse.GetValue(Model),
            InkModel = parse.GetValue(InkModel),
            Roi = parse.GetValue(Roi),
            Quad = parse.GetValue(Quad) is { Length: 4 } quad ? quad : null,
            Json = parse.GetValue(Json),
            DebugDir = parse.GetValue(DebugDir),
            Threads = parse.GetValue(Threads),
            OneDigit = parse.GetValue(OneDigit),
            Windows = parse.GetValue(Windows),
            Reference = parse.GetValue(Reference),
        }, Console.Out, Console.Error));
    }

    /// <summary>Runs a read request and maps the outcome to an exit code.</summary>
    public static int Execute(ReadRequest request, TextWriter output, TextWriter error)
    {
        if (request.OneDigit && (request.Quad is not null || (request.DebugDir is not null && request.Windows is null)))
        {
            error.WriteLine("edgedigits read: --one-digit takes a window as it is: --quad and --debug-dir do not apply");
            return ExitCodes.Usage;
        }
        if ((request.Windows is not null || request.Reference is not null) && (!request.OneDigit || request.Roi is not null || (request.Reference is not null && request.Windows is null)))
        {
            error.WriteLine("edgedigits read: --windows LAYOUT goes with --one-digit (no --roi), and --reference with --windows");
            return ExitCodes.Usage;
        }
        try
        {
            var summary = request.OneDigit ? WindowReadService.Run(request, output, error) : ReadService.Run(request, output, error);
            return summary.Failed == 0 ? ExitCodes.Success : ExitCodes.BadInput;
        }
        catch (Exception e) when (e is FileNotFoundException or ModelLoadException or IOException or UnauthorizedAccessException or InvalidDataException or ImageFormatException)
        {
            error.WriteLine($"edgedigits read: {e.Message.ReplaceLineEndings(" ")}");
            return ExitCodes.BadInput;
        }
    }
}
