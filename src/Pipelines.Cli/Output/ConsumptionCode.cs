using System.Text;
using Microsoft.ML.Data;
using Pipelines.AutoML.Export;
using Pipelines.AutoML.Inference;
using Pipelines.Torch.Scoring;

namespace Pipelines.Cli.Output;

/// <summary>
/// Program.cs: how to use model.zip from an app, as mlnet generates it: a ModelInput class with one property per
/// column of the data file, a ModelOutput class with the prediction columns the model really has, and a
/// PredictionEngine that predicts the file's first row.
/// </summary>
internal static class ConsumptionCode
{
    public static void Write(string path, RunSettings settings, ColumnInferenceResult columns, IDataView data, ITransformer savedModel, WinningModel winner)
    {
        var inputs = InputProperties(columns);
        var outputs = OutputProperties(savedModel.GetOutputSchema(data.Schema));
        var sample = FirstRow(data, columns);
        var code = new StringBuilder();
        AppendHeader(code, settings.Command, settings.Dataset, winner, images: false);
        code.AppendLine("var engine = mlContext.Model.CreatePredictionEngine<ModelInput, ModelOutput>(model);");
        code.AppendLine();
        code.AppendLine("// The first row of the training data; the label is not needed to predict.");
        code.AppendLine("var input = new ModelInput");
        code.AppendLine("{");
        foreach (var p in inputs.Where(p => p.Column.Role != ColumnRole.Label))
            code.AppendLine($"    {p.Property} = {Literal(sample[p.Column.Name], p.Column.DataKind)},");
        code.AppendLine("};");
        code.AppendLine("ModelOutput output = engine.Predict(input);");
        code.AppendLine($"Console.WriteLine({PrintStatement(outputs)});");
        code.AppendLine();
        code.AppendLine("/// <summary>One row of the data file: the model reads the columns by these names.</summary>");
        code.AppendLine("public class ModelInput");
        code.AppendLine("{");
        foreach (var p in inputs)
        {
            var note = p.Column.Role switch
            {
                ColumnRole.Label => " // the label",
                ColumnRole.Ignore => " // not used by the model",
                _ => "",
            };
            code.AppendLine($"    [LoadColumn({p.Column.Index}), ColumnName({StringLiteral(p.Column.Name)})]");
            code.AppendLine($"    public {TypeOf(p.Column.DataKind)} {p.Property} {{ get; set; }}{Initializer(p.Column.DataKind)}{note}");
            code.AppendLine();
        }
        TrimBlankLine(code);
        code.AppendLine("}");
        code.AppendLine();
        AppendModelOutput(code, outputs, BinaryClassNames.From(columns));
        AtomicFile.WriteAllText(path, code.ToString());
    }

    /// <summary>
    /// The opening both examples share: what trained the model, the packages to reference, the usings, an MLContext
    /// (with Pipelines.Torch registered when a Torch model won) and model.zip loaded as <c>model</c>.
    /// </summary>
    internal static void AppendHeader(StringBuilder code, string command, string dataset, WinningModel winner, bool images)
    {
        code.AppendLine($"// How to use the model that `pipelines {command}` trained on {Path.GetFileName(dataset)} ({winner.Name} won).");
        code.AppendLine("// `dotnet run` in this folder builds it and predicts with ../model.zip (the build copies it next to the program).");
        code.AppendLine("// The .csproj beside it references what the model needs, at the versions the run used:");
        foreach (var package in AppPackages.For(winner, images)) code.AppendLine($"//   {package.Id} {package.Version}: {package.Why}");
        code.AppendLine("using Microsoft.ML;");
        code.AppendLine("using Microsoft.ML.Data;");
        if (images) code.AppendLine("using Pipelines.Torch.Data;");
        code.AppendLine();
        code.AppendLine("var mlContext = new MLContext();");
        if (winner.NeedsPipelinesTorch)
        {
            code.AppendLine($"// The {(winner.IsEnsemble ? "ensemble" : "Torch model")}'s output columns come from Pipelines.Torch's custom mappings: register that assembly before loading.");
            code.AppendLine("mlContext.ComponentCatalog.RegisterAssembly(typeof(Pipelines.Torch.TorchCatalog).Assembly);");
        }
        code.AppendLine("ITransformer model = mlContext.Model.Load(Path.Combine(AppContext.BaseDirectory, \"model.zip\"), out DataViewSchema inputSchema);");
    }

    /// <summary>ModelOutput; with <paramref name="classNames"/> (a binary text label) the comments say which class is which.</summary>
    internal static void AppendModelOutput(StringBuilder code, List<(string Name, string Type)> outputs, BinaryClassNames? classNames = null)
    {
        code.AppendLine("/// <summary>The model's predictions.</summary>");
        code.AppendLine("public class ModelOutput");
        code.AppendLine("{");
        foreach (var (name, type) in outputs)
        {
            var note = (name, classNames) switch
            {
                (ScoringColumns.PredictedLabel, { } c) => $" // {StringLiteral(c.Positive)} or {StringLiteral(c.Negative)}",
                (ScoringColumns.Probability, { } c) => $" // the probability of {StringLiteral(c.Positive)}",
                _ => "",
            };
            code.AppendLine($"    [ColumnName(\"{name}\")] public {type} {name} {{ get; set; }}{(type == "string" ? " = \"\";" : type == "float[]" ? " = [];" : "")}{note}");
        }
        code.AppendLine("}");
    }

    static List<(InferredColumn Column, string Property)> InputProperties(ColumnInferenceResult columns)
    {
        var used = new HashSet<string>(StringComparer.Ordinal) { "ModelInput", "ModelOutput" };
        return columns.Columns.OrderBy(c => c.Index).Select(c => (c, Unique(Identifier(c.Name), used))).ToList();
    }

    /// <summary>The prediction columns a PredictionEngine can fill, with their C# types.</summary>
    internal static List<(string Name, string Type)> OutputProperties(DataViewSchema schema)
    {
        var result = new List<(string, string)>();
        foreach (var name in new[] { ScoringColumns.PredictedLabel, ScoringColumns.Score, ScoringColumns.Probability })
        {
            var type = schema.GetColumnOrNull(name)?.Type switch
            {
                BooleanDataViewType => "bool",
                NumberDataViewType n when n.RawType == typeof(float) => "float",
                TextDataViewType => "string",
                KeyDataViewType => "uint",
                VectorDataViewType v when v.ItemType.RawType == typeof(float) => "float[]",
                _ => null,
            };
            if (type != null) result.Add((name, type));
        }
        return result;
    }

    internal static string PrintStatement(List<(string Name, string Type)> outputs) =>
        "$\"" + string.Join(", ", outputs.Select(o => o.Type == "float[]" ? $"{o.Name}: [{{string.Join(\", \", output.{o.Name})}}]" : $"{o.Name}: {{output.{o.Name}}}")) + "\"";

    /// <summary>The first data row's values by column name, as the loader reads them.</summary>
    static Dictionary<string, object?> FirstRow(IDataView data, ColumnInferenceResult columns)
    {
        var first = new MLContext().Data.TakeRows(data, 1);
        var values = new Dictionary<string, object?>();
        foreach (var c in columns.Columns)
            values[c.Name] = c.DataKind switch
            {
                DataKind.Single => first.GetColumn<float>(c.Name).FirstOrDefault(),
                DataKind.Boolean => first.GetColumn<bool>(c.Name).FirstOrDefault(),
                _ => first.GetColumn<string>(c.Name).FirstOrDefault(),
            };
        return values;
    }

    static string TypeOf(DataKind kind) => kind switch
    {
        DataKind.Single => "float",
        DataKind.Boolean => "bool",
        _ => "string",
    };

    static string Initializer(DataKind kind) => kind is DataKind.Single or DataKind.Boolean ? "" : " = \"\";";

    static string Literal(object? value, DataKind kind) => kind switch
    {
        DataKind.Single => value is float f && float.IsFinite(f) ? f.ToString("R", CultureInfo.InvariantCulture) + "F" : "float.NaN",
        DataKind.Boolean => value is true ? "true" : "false",
        _ => StringLiteral(value as string ?? ""),
    };

    internal static string StringLiteral(string text)
    {
        var builder = new StringBuilder("\"");
        foreach (var ch in text)
            builder.Append(ch switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(ch) => $"\\u{(int)ch:x4}",
                _ => ch.ToString(),
            });
        return builder.Append('"').ToString();
    }

    /// <summary>
    /// A C# property name for a column, as mlnet makes one: the words of the name in PascalCase, split at anything a
    /// C# identifier cannot hold ("mean_radius" and "mean radius" become MeanRadius, "x.box" XBox, "größe" Größe); a
    /// name starting with a digit gets a Col prefix. Two names that give the same one are told apart by
    /// <see cref="Unique"/>; [ColumnName] keeps the file's name.
    /// </summary>
    internal static string Identifier(string name)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        foreach (var ch in name)
        {
            if (IsIdentifierPart(ch) && ch != '_') word.Append(ch);
            else if (word.Length > 0) { words.Add(word.ToString()); word.Clear(); }
        }
        if (word.Length > 0) words.Add(word.ToString());
        var text = string.Concat(words.Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
        if (text.Length == 0) return "Column";
        return char.IsLetter(text[0]) ? text : "Col" + text;
    }

    /// <summary>Letters, digits, combining marks and letter-numbers: what C# allows inside an identifier (besides '_').</summary>
    static bool IsIdentifierPart(char ch) => char.IsLetterOrDigit(ch) || char.GetUnicodeCategory(ch) is
        UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.LetterNumber or UnicodeCategory.ConnectorPunctuation;

    static string Unique(string name, HashSet<string> used)
    {
        var candidate = name;
        for (int n = 2; !used.Add(candidate); n++) candidate = name + n.ToString(CultureInfo.InvariantCulture);
        return candidate;
    }

    static void TrimBlankLine(StringBuilder code)
    {
        var newline = Environment.NewLine;
        if (code.Length >= 2 * newline.Length && code.ToString(code.Length - 2 * newline.Length, 2 * newline.Length) == newline + newline)
            code.Length -= newline.Length;
    }
}
