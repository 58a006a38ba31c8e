namespace Pipelines.Cli.Commands;

/// <summary>
/// The options of every command that starts a search (classification, regression, image-classification). Those whose
/// meaning is the same for a data file and an image folder are declared here once; the others are declared by each
/// command's settings, which describe them for its kind of data.
/// </summary>
internal abstract class SearchSettings : CommonSettings
{
    public abstract string Dataset { get; init; }
    public abstract string? ValidationDataset { get; init; }
    public abstract string? TestDataset { get; init; }
    public abstract string? Trainers { get; init; }
    public abstract string? Metric { get; init; }
    public abstract string Pruner { get; init; }
    public abstract string? BatchSizes { get; init; }
    public abstract string? Epochs { get; init; }
    public abstract string? SearchSpace { get; init; }

    [CommandOption("--train-time <SECONDS>")]
    [Description("Time budget of the search in seconds. Default: 1800 (as mlnet), or no time limit when only --max-trials is given. A trial still running at the end is stopped.")]
    public double? TrainTime { get; init; }

    [CommandOption("-o|--output <DIR>")]
    [Description("The output folder (created if needed). Default: ./<name>. A folder that holds another run is refused unless --force.")]
    public string? Output { get; init; }

    [CommandOption("--name <NAME>")]
    [Description("The run's name: the study's name (unless --study), the default output folder and the consumption code's name. Default: SampleClassification, SampleRegression or SampleImageClassification, after the command.")]
    public string? Name { get; init; }

    [CommandOption("--storage <URL>")]
    [Description(StudyOptionText.Storage + " Default: study.db in the output folder.")]
    public string? Storage { get; init; }

    [CommandOption("--study <NAME>")]
    [Description("The study's name in the storage; `pipelines worker --study NAME` joins it. Default: the run's --name.")]
    public string? Study { get; init; }

    [CommandOption("--fidelity <FIDELITY>")]
    [Description("What the pruner's steps count for the Torch trainers: epochs (a value per epoch), or examples (the validation value four times an epoch, at the examples seen, so a pruner can stop a trial inside its first epoch). Either way every batch size is compared at equal numbers of examples.")]
    [DefaultValue("epochs")]
    public string Fidelity { get; init; } = "epochs";

    [CommandOption("--tuner <TUNER>")]
    [Description("How configurations are proposed: tpe (Tree-structured Parzen Estimator, as Optuna), random, grid, cfo (FLAML's cost-frugal local search), tpe-cost (TPE that also weighs each configuration's predicted training time).")]
    [DefaultValue("tpe")]
    public string Tuner { get; init; } = "tpe";

    [CommandOption("--max-trials <N>")]
    [Description("Stop after this many trials (pruned and failed ones count). With --train-time, whichever comes first.")]
    public int? MaxTrials { get; init; }

    [CommandOption("--parallel <N>")]
    [Description("Trials run at the same time; each gets its share of the CPU threads.")]
    [DefaultValue(1)]
    public int Parallel { get; init; } = 1;

    [CommandOption("--seed <N>")]
    [Description("Seed of the data split, the tuner and the trainers: the same seed and options give the same search.")]
    [DefaultValue(0)]
    public int Seed { get; init; }

    [CommandOption("--device <DEVICE>")]
    [Description("Where the Torch trainers (torch-mlp, torch-cnn) train: auto (a CUDA GPU when the build has one, else the CPU), cpu, cuda or cuda:N.")]
    [DefaultValue("auto")]
    public string Device { get; init; } = "auto";

    [CommandOption("--gap-penalty <LAMBDA>")]
    [Description("Optimize the metric minus LAMBDA x max(0, generalization gap) (plus, for losses), to prefer models that generalize. 0 turns it off.")]
    [DefaultValue(0.0)]
    public double GapPenalty { get; init; }

    [CommandOption("--no-refit")]
    [Description("Save the best trial's model as it was trained. Without it the best model (each member of a kept ensemble) is fitted again on the training plus validation rows before it is saved, when the time budget has room for it (predicted from its trial's time), as a user's own Fit on all the data would.")]
    public bool NoRefit { get; init; }

    [CommandOption("--force")]
    [Description("Replace a run already in the output folder (its files are deleted first).")]
    public bool Force { get; init; }
}
