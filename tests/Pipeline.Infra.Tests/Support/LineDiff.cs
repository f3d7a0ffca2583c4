using System.Text;

namespace Pipeline.Infra.Tests.Support;

/// <summary>A small unified line diff (longest common subsequence), enough to read a template change in a test failure.</summary>
public static class LineDiff
{
    /// <summary>Formats the differences between two texts as unified-diff hunks with three lines of context.</summary>
    public static string Format(string expected, string actual, string expectedName, string actualName, int maxLines = 200)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        // Edit script: ' ' keep, '-' only in expected, '+' only in actual.
        var edits = new List<(char Op, string Line, int LineA, int LineB)>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                edits.Add((' ', a[x], x++, y++));
            }
            else if (y < b.Length && (x == a.Length || lcs[x, y + 1] >= lcs[x + 1, y]))
            {
                edits.Add(('+', b[y], x, y++));
            }
            else
            {
                edits.Add(('-', a[x], x++, y));
            }
        }

        var output = new StringBuilder().Append("--- ").AppendLine(expectedName).Append("+++ ").AppendLine(actualName);
        var written = 0;
        var k = 0;
        while (k < edits.Count && written < maxLines)
        {
            if (edits[k].Op == ' ')
            {
                k++;
                continue;
            }

            var start = Math.Max(0, k - 3);
            var end = k;
            // Extend the hunk while changes are within six lines of each other.
            for (var m = k; m < edits.Count && m - end <= 6; m++)
            {
                if (edits[m].Op != ' ')
                {
                    end = m;
                }
            }

            end = Math.Min(edits.Count - 1, end + 3);
            output.Append("@@ line ").Append(edits[start].LineA + 1).Append(" (").Append(expectedName).Append(") / ")
                .Append(edits[start].LineB + 1).Append(" (").Append(actualName).AppendLine(") @@");
            for (var m = start; m <= end && written < maxLines; m++, written++)
            {
                output.Append(edits[m].Op).AppendLine(edits[m].Line);
            }

            k = end + 1;
        }

        if (written >= maxLines)
        {
            output.AppendLine($"... diff truncated after {maxLines} lines");
        }

        return output.ToString();
    }
}
