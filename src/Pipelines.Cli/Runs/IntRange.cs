using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipelines.Cli.Runs;

/// <summary>
/// An integer range written MIN..MAX, or one value (MIN = MAX), as --batch-sizes and --epochs take it: parsed once
/// from the command line, and kept in settings.json in the same text form.
/// </summary>
[JsonConverter(typeof(Json))]
internal readonly record struct IntRange(int Min, int Max)
{
    public static IntRange Parse(string text, string option)
    {
        var parts = text.Split("..", StringSplitOptions.TrimEntries);
        if (parts.Length is 1 or 2 && parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            int min = int.Parse(parts[0], CultureInfo.InvariantCulture);
            int max = int.Parse(parts[^1], CultureInfo.InvariantCulture);
            if (min < 1) throw CliException.Input($"{option} {text}: values must be at least 1.");
            if (min > max) throw CliException.Input($"{option} {text}: the minimum {min} is greater than the maximum {max}.");
            return new IntRange(min, max);
        }
        throw CliException.Input($"{option} '{text}' is not a range: write MIN..MAX (for example 16..1024) or one whole number.");
    }

    public override string ToString() => Min == Max ? Min.ToString(CultureInfo.InvariantCulture) : $"{Min}..{Max}";

    sealed class Json : JsonConverter<IntRange>
    {
        public override IntRange Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.GetString() ?? "";
            try
            {
                return Parse(text, "range");
            }
            catch (CliException e)
            {
                throw new JsonException(e.Message);
            }
        }

        public override void Write(Utf8JsonWriter writer, IntRange value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
    }
}
