namespace Pipelines.Cli.Tests.Reliability;

/// <summary>
/// User mistakes found before the output folder is touched: each is exit 1 with a message that names the option,
/// file, line or value and the fix, and the folder is not created (so a corrected run needs no --force).
/// </summary>
public sealed class BadInputTests : IDisposable
{
    readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    string Out => _temp.File("out");

    ToolResult Classify(string dataset, string label, params string[] more) =>
        Tool.Run(new[] { "classification", "--dataset", dataset, "--label-col", label, "--trainers", "linear", "--max-trials", "1", "-o", Out }.Concat(more).ToArray());

    void AssertUntouched(ToolResult result) => Assert.False(Directory.Exists(Out), $"the output folder was created.{Environment.NewLine}{result}");

    /// <summary>60 rows of a numeric feature whose header cell is quoted and holds a comma, a category, and a yes/no label.</summary>
    IEnumerable<string> Rows(int count, int seed)
    {
        var random = new Random(seed);
        yield return "\"size, cm\",kind,label";
        for (int i = 0; i < count; i++)
            yield return $"{random.NextDouble():0.000},{(random.Next(2) == 0 ? "x" : "y")},{(random.Next(2) == 0 ? "yes" : "no")}";
    }

    [Fact]
    public void TheLabelInIgnoreColsIsNamedWithTheFix()
    {
        var result = Classify(Tool.Dataset("iris.csv"), "species", "--ignore-cols", "species,sepal_width");
        result.AssertOneClearError(1, "'species'", "is the label", "--ignore-cols");
        AssertUntouched(result);
    }

    [Fact]
    public void AFileWithOnlyTheLabelFailsBeforeTheFolderIsClaimed()
    {
        var result = Classify(_temp.Write("only-label.csv", new[] { "label", "1", "0", "1", "0", "1", "0" }), "label");
        result.AssertOneClearError(1, "No feature columns", "only-label.csv");
        Assert.DoesNotContain("(Parameter", result.StdErr);
        AssertUntouched(result);
    }

    [Fact]
    public void FeaturesThatAreAllConstantFailBeforeTheFolderIsClaimed()
    {
        var result = Classify(_temp.Write("constant.csv", new[] { "a,b,label", "1,2,1", "1,2,0", "1,2,1", "1,2,0", "1,2,1", "1,2,0" }), "label");
        result.AssertOneClearError(1, "No feature columns", "every sampled row holds '1'");
        AssertUntouched(result);
    }

    [Fact]
    public void AValidationFileWithAQuotedHeaderCellHoldingACommaIsRead()
    {
        var train = _temp.Write("train.csv", Rows(60, 1));
        var validation = _temp.Write("valid.csv", Rows(20, 2));
        Classify(train, "label", "--validation-dataset", validation).AssertExitCode(0);
    }

    [Fact]
    public void AValidationLabelTheTrainingDataLacksIsNamedWithItsLine()
    {
        var train = _temp.Write("train.csv", Rows(60, 1));
        var validation = _temp.Write("valid.csv", Rows(20, 2).Append("0.5,x,maybe"));
        var result = Classify(train, "label", "--validation-dataset", validation);
        result.AssertOneClearError(1, "--validation-dataset", "line 22", "'maybe'", "does not have");
        AssertUntouched(result);
    }

    [Fact]
    public void AValidationCategoryTheTrainingDataLacksIsAWarningNamingTheColumnAndLine()
    {
        var train = _temp.Write("train.csv", Rows(60, 1));
        var validation = _temp.Write("valid.csv", Rows(20, 2).Append("0.5,z,yes").Append("0.7,w,no").Append("0.1,z,no"));
        var result = Classify(train, "label", "--validation-dataset", validation);
        result.AssertExitCode(0);
        foreach (var part in new[] { "--validation-dataset", "'kind'", "2 value(s)", "3 row(s)", "'z' on line 22" })
            Assert.Contains(part, result.StdErr + result.StdOut);
    }

    [Fact]
    public void ATestLabelTheTrainingDataLacksIsNamedWithItsLine()
    {
        var train = _temp.Write("train.csv", Rows(60, 1));
        var test = _temp.Write("test.csv", Rows(5, 3).Append("").Append("0.5,y,perhaps"));
        var result = Classify(train, "label", "--test-dataset", test);
        result.AssertOneClearError(1, "--test-dataset", "line 8", "'perhaps'");
        AssertUntouched(result);
    }

    [Fact]
    public void AMalformedValueInASearchSpaceFileIsNamed()
    {
        var space = _temp.Write("space.json", new[] { """{"linear": {"l2_regularization": {"type": "double", "min": "abc", "max": 1}}}""" });
        var result = Classify(Tool.Dataset("iris.csv"), "species", "--search-space", space);
        result.AssertOneClearError(1, "--search-space", "min", "a number is required");
        AssertUntouched(result);
    }
}
