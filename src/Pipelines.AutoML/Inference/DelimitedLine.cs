using System.Text;

namespace Pipelines.AutoML.Inference;

/// <summary>Splits a line into fields the way ML.NET's TextLoader does, so inference sees the columns the loader will.</summary>
internal static class DelimitedLine
{
    /// <summary>
    /// Every separator character ends a field (runs of spaces are not merged, as in ML.NET), spaces before a field
    /// are skipped (", " files), and a field that starts with a double quote runs to the closing quote, with ""
    /// standing for a quote inside it. Fields come back without the spaces around them; <paramref name="padded"/>
    /// tells whether any field had some.
    /// </summary>
    public static string[] Split(string line, char separator, out bool padded)
    {
        var fields = new List<string>();
        Scan(line, separator, fields, out padded);
        return fields.ToArray();
    }

    /// <summary>The number of fields <see cref="Split"/> would return, without building them.</summary>
    public static int CountFields(string line, char separator, out bool padded) => Scan(line, separator, null, out padded);

    static int Scan(string line, char separator, List<string>? fields, out bool padded)
    {
        padded = false;
        int count = 0, i = 0;
        while (true)
        {
            int start = i;
            if (separator != ' ')
                while (i < line.Length && line[i] == ' ') i++;
            padded |= i > start;

            string? quotedText = null;
            if (i < line.Length && line[i] == '"') quotedText = ReadQuoted(line, ref i, fields is not null);

            int end = line.IndexOf(separator, i);
            if (end < 0) end = line.Length;
            int contentEnd = end;
            while (contentEnd > i && char.IsWhiteSpace(line[contentEnd - 1])) contentEnd--;
            padded |= quotedText is null && contentEnd < end;
            fields?.Add(quotedText is null ? line[i..contentEnd] : quotedText + line[i..contentEnd]);
            count++;

            if (end >= line.Length) return count;
            i = end + 1;
        }
    }

    /// <summary>Reads a quoted field starting at the quote; leaves <paramref name="i"/> just after the closing quote.</summary>
    static string ReadQuoted(string line, ref int i, bool build)
    {
        var text = build ? new StringBuilder() : null;
        i++;
        while (i < line.Length)
        {
            char ch = line[i];
            if (ch == '"')
            {
                if (i + 1 < line.Length && line[i + 1] == '"') { text?.Append('"'); i += 2; continue; }
                i++;
                break;
            }
            text?.Append(ch);
            i++;
        }
        return text?.ToString() ?? "";
    }
}
