using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Pipelines.Cli.Commands;
using Pipelines.Cli.Display;
using Pipelines.Cli.Output;

namespace Pipelines.Cli;

/// <summary>
/// The `pipelines` command line: its commands, help and examples, parse errors, and Ctrl+C. The report writer is
/// passed in here, so a build that has a report library plugs it in from Program.cs.
/// </summary>
internal static class CliApp
{
    public static CommandApp Create(Terminal terminal, IReportWriter? reportWriter, IReadOnlyList<string> args)
    {
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("pipelines");
            config.UseAssemblyInformationalVersion();
            // An unknown option is an error, not an argument passed on: a typo must not start a half-hour run.
            config.UseStrictParsing();
            config.ConfigureConsole(terminal.Out);
            config.SetHelpProvider(new HelpFooter(config.Settings));
            config.Settings.Registrar.RegisterInstance(terminal);
            config.Settings.Registrar.RegisterInstance(new ReportHook(reportWriter));
            config.CancellationExitCode(ExitCodes.Interrupted);
            config.SetExceptionHandler((exception, _) => UsageError(terminal, exception, args));

            config.AddExample("classification", "--dataset", "datasets/breast-cancer.csv", "--label-col", "label", "--train-time", "60");
            config.AddExample("regression", "--dataset", "datasets/concrete.csv", "--label-col", "compressive_strength", "--max-trials", "20");
            config.AddExample("image-classification", "--dataset", "datasets/fashion-mnist-png", "--train-time", "300");
            config.AddExample("resume", "--output", "SampleClassification");

            AddCommands(config);
        });
        return app;
    }

    /// <summary>Every command with its description and examples, in the order --help lists them.</summary>
    static void AddCommands(IConfigurator config)
    {
        config.AddCommand<TrainCommand>("classification")
            .WithDescription("Find the best binary or multiclass model for a CSV/TSV file (binary or multiclass is decided from the label, as mlnet does). Trains TorchSharp networks with their batch size and epochs tuned and pruned, next to ML.NET's trainers, and writes the best model, its ONNX form, the study and a consumption example.")
            .WithExample("classification", "--dataset", "datasets/breast-cancer.csv", "--label-col", "label", "--train-time", "60")
            .WithExample("classification", "--dataset", "datasets/iris.csv", "--label-col", "species", "--trainers", "torch-mlp,fasttree", "--batch-sizes", "16..128", "--epochs", "5..50", "--pruner", "asha", "--max-trials", "30", "-o", "runs/iris")
            .WithExample("classification", "--dataset", "train.csv", "--validation-dataset", "valid.csv", "--test-dataset", "test.csv", "--label-col", "Sentiment", "--metric", "auc", "--ignore-cols", "Id,Date")
            .WithExample("classification", "--dataset", "data.tsv", "--has-header", "false", "--label-col", "0", "--tuner", "random", "--seed", "7", "--log-file-path", "run.log", "-v", "diag");
        config.AddCommand<TrainCommand>("regression")
            .WithDescription("Find the best regression model for a CSV/TSV file with a numeric label. Trains TorchSharp networks with their batch size and epochs tuned and pruned, next to ML.NET's trainers, and writes the best model, its ONNX form, the study and a consumption example.")
            .WithExample("regression", "--dataset", "datasets/concrete.csv", "--label-col", "compressive_strength", "--train-time", "120")
            .WithExample("regression", "--dataset", "datasets/concrete.csv", "--label-col", "compressive_strength", "--trainers", "torch-mlp", "--search-space", "space.json", "--tuner", "cfo", "--metric", "rmse", "--gap-penalty", "0.5", "--parallel", "2")
            .WithExample("regression", "--dataset", "datasets/diabetes.csv", "--label-col", "target", "--trainers", "torch-mlp,lightgbm", "--device", "cuda", "--pruner", "hyperband", "--epochs", "10..300", "-o", "runs/diabetes", "--force");
        config.AddCommand<ImageClassificationCommand>(ImageInput.Command)
            .WithDescription("Find the best image classifier for a folder of images with one sub-folder per class (the sub-folder names are the labels), as mlnet's image-classification. Trains TorchSharp CNNs and ResNets with batch size, epochs, learning rate, weight decay, width, depth and augmentation tuned and pruned over epochs (ASHA), and writes the best model, its ONNX form, the study and a consumption example.")
            .WithExample("image-classification", "--dataset", "datasets/fashion-mnist-png", "--train-time", "300")
            .WithExample("image-classification", "--dataset", "photos/train", "--validation-dataset", "photos/valid", "--test-dataset", "photos/test", "--image-size", "64x64", "--skip-corrupt-images", "-o", "runs/photos")
            .WithExample("image-classification", "--dataset", "digits", "--search-space", "no-flips.json", "--epochs", "5..20", "--batch-sizes", "32..128", "--max-trials", "20", "--device", "cuda")
            .WithExample("image-classification", "--dataset", "datasets/fashion-mnist-png", "--trainers", "torch-cnn,linear", "--tuner", "random", "--pruner", "hyperband", "--seed", "7", "--log-file-path", "run.log", "-v", "diag");
        config.AddCommand<ResumeCommand>("resume")
            .WithDescription("Continue an interrupted run (Ctrl+C, a crash, a budget too small) from its output folder: settings come from settings.json, finished trials from study.db, and trials whose process died are run again first. Without --train-time or --max-trials the run gets what is left of its own budget.")
            .WithExample("resume", "--output", "runs/iris")
            .WithExample("resume", "--output", "runs/iris", "--max-trials", "10")
            .WithExample("resume", "--output", "runs/iris", "--train-time", "300", "-v", "diag");
        config.AddCommand<WorkerCommand>("worker")
            .WithDescription("Join a study shared by many workers (started by classification, regression or image-classification with --storage and --study) and run its trials with the study's own settings and data until this worker's budget ends. Trials of workers that stopped are failed by their heartbeat and run again once.")
            .WithExample("worker", "--storage", "postgresql://tuner@db:5432/studies", "--study", "adult", "--train-time", "3600")
            .WithExample("worker", "--storage", "postgresql://tuner@db:5432/studies", "--study", "adult", "--max-trials", "20", "-o", "runs/adult-worker-2");
        config.AddCommand<ExportCommand>("export")
            .WithDescription("Write the best model of a shared study (model.zip, model.onnx, the consumption project, leaderboard.csv, trials.json, report.html) from any machine with the study's data: the best configuration is trained again with its recorded seed.")
            .WithExample("export", "--storage", "postgresql://tuner@db:5432/studies", "--study", "adult", "-o", "runs/adult");
        config.AddCommand<BatchSizeCommand>("batch-size")
            .WithDescription("Measure batch size: train one network at each batch size (same data, same initial weights) to a validation-loss target, and record the steps, examples and time each took, its throughput, gap and gradient noise scale B_simple. Fits the critical batch size B_crit from the steps-examples trade-off, recommends a batch size for this machine and for an accelerator, and writes batch-size.csv, batch-size.json and report.html.")
            .WithExample("batch-size", "--dataset", "datasets/adult.csv", "--label-col", "label", "--train-time", "300")
            .WithExample("batch-size", "--dataset", "datasets/breast-cancer.csv", "--label-col", "label", "--batch-sizes", "8..256", "--target", "0.15", "--search-learning-rate", "-o", "runs/bc-batch")
            .WithExample("batch-size", "--dataset", "datasets/adult.csv", "--label-col", "label", "--from-study", "runs/adult", "--trial", "12")
            .WithExample("batch-size", "--dataset", "datasets/fashion-mnist-png", "--batch-sizes", "16..1024", "--max-epochs", "20");
        config.AddCommand<ReportCommand>("report")
            .WithDescription("Rebuild the files made from a run's study without training: leaderboard.csv, trials.json and, when this build has a report writer, report.html. Works on a finished, interrupted or running run.")
            .WithExample("report", "--output", "runs/iris");
    }

    /// <summary>Runs the app with Ctrl+C and SIGTERM as a clean stop: the first asks the run to stop after its trials, the second ends the process.</summary>
    public static async Task<int> RunAsync(string[] args, IReportWriter? reportWriter)
    {
        var terminal = Terminal.Create();
        using var stop = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            // Second press: let the runtime end the process; study.db is consistent after every write.
            if (stop.IsCancellationRequested) return;
            e.Cancel = true;
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            if (stop.IsCancellationRequested) return;
            context.Cancel = true;
            stop.Cancel();
        });
        try
        {
            return await Create(terminal, reportWriter, args).RunAsync(args, stop.Token);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    static int UsageError(Terminal terminal, Exception exception, IReadOnlyList<string> args)
    {
        // Commands handle their own errors; what reaches here is the command line itself.
        if (exception is CommandParseException or CommandRuntimeException)
        {
            Reporter.Prefixed(terminal.Error, "[red]error:[/] ", Explain(exception.Message, args));
            Reporter.RawLine(terminal.Error, "Run `pipelines --help` or `pipelines <command> --help` for the commands and options.");
            return ExitCodes.UsageError;
        }
        Reporter.Prefixed(terminal.Error, "[red]error:[/] ", $"{exception.GetType().Name}: {exception.Message}");
        return ExitCodes.InternalError;
    }

    /// <summary>Spectre says "Failed to convert 'abc' to Nullable`1."; the user needs to know which option wants what.</summary>
    static string Explain(string message, IReadOnlyList<string> args)
    {
        var match = Regex.Match(message, "^Failed to convert '(?<value>.*)' to .+$");
        if (!match.Success) return message;
        var value = match.Groups["value"].Value;
        int at = args.ToList().IndexOf(value);
        var option = at > 0 && args[at - 1].StartsWith('-') ? args[at - 1] : "an option";
        return $"{option} '{value}': a number is expected.";
    }
}
