using System.Globalization;
using System.Text;

namespace Cloudstate.Es.Proxy.Tests.Diagnostics;

/// <summary>One sample of Prometheus' text exposition format: a name, its labels and its value.</summary>
internal sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    /// <summary>Whether every label of <paramref name="labels"/> ("name=value") is on this sample with that value.</summary>
    public bool Has(params string[] labels) => labels.All(label =>
    {
        var equals = label.IndexOf('=', StringComparison.Ordinal);
        return Labels.TryGetValue(label[..equals], out var value) && value == label[(equals + 1)..];
    });
}

/// <summary>A reader of the text format (version 0.0.4): comment lines skipped, label values unescaped.</summary>
internal static class PrometheusText
{
    public static IReadOnlyList<PrometheusSample> Parse(string text)
    {
        var samples = new List<PrometheusSample>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
                continue;
            samples.Add(ParseLine(line));
        }

        return samples;
    }

    /// <summary>The samples named <paramref name="name"/> that carry <paramref name="labels"/>.</summary>
    public static IEnumerable<PrometheusSample> Named(this IEnumerable<PrometheusSample> samples, string name, params string[] labels) =>
        samples.Where(s => s.Name == name && s.Has(labels));

    private static PrometheusSample ParseLine(string line)
    {
        var position = 0;
        while (position < line.Length && line[position] != '{' && line[position] != ' ')
            position++;
        var name = line[..position];
        var labels = new Dictionary<string, string>();
        if (position < line.Length && line[position] == '{')
        {
            position++;
            while (line[position] != '}')
            {
                var equals = line.IndexOf('=', position);
                var label = line[position..equals].Trim(',', ' ');
                position = equals + 2; // past ="
                var value = new StringBuilder();
                while (line[position] != '"')
                {
                    if (line[position] == '\\')
                    {
                        position++;
                        value.Append(line[position] == 'n' ? '\n' : line[position]);
                    }
                    else
                    {
                        value.Append(line[position]);
                    }

                    position++;
                }

                labels[label] = value.ToString();
                position++; // past the closing quote
                while (line[position] is ',' or ' ')
                    position++;
            }

            position++;
        }

        var fields = line[position..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var number = fields[0] switch { "+Inf" => double.PositiveInfinity, "-Inf" => double.NegativeInfinity, var v => double.Parse(v, CultureInfo.InvariantCulture) };
        return new PrometheusSample(name, labels, number);
    }
}
