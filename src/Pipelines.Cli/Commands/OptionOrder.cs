using System.Reflection;
using Spectre.Console.Cli.Help;

namespace Pipelines.Cli.Commands;

/// <summary>
/// The order --help lists options in: a command's own options first (the data, the label), then those its settings
/// share with other commands (<see cref="SearchSettings"/>, then <see cref="CommonSettings"/>). Spectre lists base
/// classes first; this turns that around without declaring any option twice.
/// </summary>
internal static class OptionOrder
{
    /// <summary>For each long option name, how deep in the settings hierarchy it is declared (deeper: more specific).</summary>
    static readonly Dictionary<string, int> Depth = typeof(OptionOrder).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(CommandSettings)))
        .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Select(p => (Option: p.GetCustomAttribute<CommandOptionAttribute>(), Depth: DepthOf(t))))
        .Where(o => o.Option != null)
        .SelectMany(o => o.Option!.LongNames.Select(name => (Name: name, o.Depth)))
        .GroupBy(o => o.Name)
        .ToDictionary(g => g.Key, g => g.Max(o => o.Depth));

    public static ICommandInfo? MostSpecificFirst(ICommandInfo? command) => command == null ? null : new Reordered(command);

    static int DepthOf(Type type)
    {
        int depth = 0;
        for (var t = type; t != null; t = t.BaseType) depth++;
        return depth;
    }

    // Options this assembly does not declare (-h, --help) keep their place at the top.
    static int OrderOf(ICommandParameter parameter) =>
        parameter is ICommandOption option && option.LongNames.Count > 0 && Depth.TryGetValue(option.LongNames[0], out int depth) ? -depth : int.MinValue;

    sealed class Reordered(ICommandInfo inner) : ICommandInfo
    {
        public string Name => inner.Name;
        public string? Description => inner.Description;
        public bool IsBranch => inner.IsBranch;
        public bool IsDefaultCommand => inner.IsDefaultCommand;
        public bool IsHidden => inner.IsHidden;
        public IReadOnlyList<ICommandParameter> Parameters { get; } = inner.Parameters.OrderBy(OrderOf).ToList();
        public ICommandInfo? Parent => inner.Parent;
        public IReadOnlyList<ICommandInfo> Commands => inner.Commands;
        public ICommandInfo? DefaultCommand => inner.DefaultCommand;
        public IReadOnlyList<string[]> Examples => inner.Examples;
    }
}
