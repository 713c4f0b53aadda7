using System.Globalization;
using System.Net;
using System.Text;

namespace JiraSync.Runs.Report;

/// <summary>One named row of values in a bar chart, one value per category.</summary>
internal sealed record ChartSeries(string Name, string Color, IReadOnlyList<double> Values);

/// <summary>
/// A bar chart as inline SVG (stacked or side by side), drawn here so the report page needs no script or download.
/// The SVG scales with its container (viewBox) and is sized so its text stays legible on a phone. Every bar is a
/// rect of class "mark" carrying its value in data-value and a tooltip title, which the browser test counts.
/// </summary>
public static class SvgBarChart
{
    private const double W = 440, H = 250, Left = 50, Right = 8, Top = 10, Bottom = 62;

    /// <summary>The chart as one HTML <c>figure</c>: caption, SVG, and a legend when there is more than one series
    /// (or no bar at all).</summary>
    /// <param name="id">The figure's HTML id.</param>
    /// <param name="title">Caption above the chart.</param>
    /// <param name="categories">X-axis labels, one per bar group.</param>
    /// <param name="series">The bars: each series has one value per category.</param>
    /// <param name="stacked">Stack the series in one bar per category instead of side by side.</param>
    /// <param name="format">Formats a value for the axis and tooltips.</param>
    /// <param name="empty">Text shown under the empty axes when no value is drawn.</param>
    internal static string Render(string id, string title, IReadOnlyList<string> categories, IReadOnlyList<ChartSeries> series,
        bool stacked, Func<double, string> format, string empty = "No data yet.")
    {
        var n = categories.Count;
        var plotW = W - Left - Right;
        var plotH = H - Top - Bottom;
        var max = n == 0 ? 0 : stacked
            ? Enumerable.Range(0, n).Max(i => series.Sum(s => s.Values[i]))
            : series.SelectMany(s => s.Values).DefaultIfEmpty(0).Max();
        var (step, top) = Scale(max);
        var sb = new StringBuilder();   // the SVG's content; the figure around it is written once the bars are counted
        var marks = 0;

        for (var v = 0.0; v <= top + step / 2; v += step)
        {
            var y = Top + plotH - v / top * plotH;
            sb.Append(Fmt($"<line class=\"grid\" x1=\"{Left}\" x2=\"{W - Right}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\"/>"));
            sb.Append(Fmt($"<text class=\"ylab\" x=\"{Left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\">{Enc(format(v))}</text>"));
        }

        var band = n == 0 ? plotW : plotW / n;
        var labelEvery = Math.Max(1, (int)Math.Ceiling(n / 10.0));
        for (var i = 0; i < n; i++)
        {
            var x0 = Left + i * band;
            if (stacked)
            {
                var w = band * 0.7;
                var baseline = 0.0;
                foreach (var s in series)
                {
                    var value = s.Values[i];
                    if (value <= 0) continue;
                    var y1 = Top + plotH - (baseline + value) / top * plotH;
                    var h = Math.Max(1, value / top * plotH);
                    sb.Append(Bar(x0 + (band - w) / 2, y1, w, h, s, categories[i], value, format));
                    baseline += value;
                    marks++;
                }
            }
            else
            {
                var w = band * 0.8 / Math.Max(1, series.Count);
                for (var k = 0; k < series.Count; k++)
                {
                    var value = series[k].Values[i];
                    if (value <= 0) continue;
                    var h = Math.Max(1, value / top * plotH);
                    sb.Append(Bar(x0 + band * 0.1 + k * w, Top + plotH - h, w, h, series[k], categories[i], value, format));
                    marks++;
                }
            }
            if (i % labelEvery == 0)
            {
                var lx = x0 + band / 2;
                var ly = Top + plotH + 12;
                sb.Append(Fmt($"<text class=\"xlab\" x=\"{lx:0.#}\" y=\"{ly:0.#}\" text-anchor=\"end\" transform=\"rotate(-35 {lx:0.#} {ly:0.#})\">{Enc(categories[i])}</text>"));
            }
        }
        sb.Append(Fmt($"<line class=\"axis\" x1=\"{Left}\" x2=\"{W - Right}\" y1=\"{Top + plotH}\" y2=\"{Top + plotH}\"/>"));
        sb.Insert(0, Fmt($"<figure class=\"chart\" id=\"{id}\" data-chart=\"{id}\" data-marks=\"{marks}\"><figcaption>{Enc(title)}</figcaption><svg viewBox=\"0 0 {W} {H}\" role=\"img\" aria-label=\"{Enc(title)}\" preserveAspectRatio=\"xMidYMid meet\">"));
        sb.Append("</svg>");
        if (marks == 0) sb.Append($"<p class=\"empty\">{Enc(empty)}</p>");
        if (series.Count > 1 || marks == 0)
        {
            sb.Append("<ul class=\"legend\">");
            foreach (var s in series) sb.Append($"<li><span style=\"background:{s.Color}\"></span>{Enc(s.Name)}</li>");
            sb.Append("</ul>");
        }
        sb.Append("</figure>");
        return sb.ToString();
    }

    private static string Bar(double x, double y, double w, double h, ChartSeries s, string category, double value, Func<double, string> format) =>
        Fmt($"<rect class=\"mark\" x=\"{x:0.##}\" y=\"{y:0.##}\" width=\"{w:0.##}\" height=\"{h:0.##}\" fill=\"{s.Color}\" data-value=\"{value}\"><title>{Enc(category)} · {Enc(s.Name)}: {Enc(format(value))}</title></rect>");

    /// <summary>A round step (1, 2 or 5 times a power of ten) giving about four grid lines, and the axis top.</summary>
    internal static (double Step, double Top) Scale(double max)
    {
        if (max <= 0) return (1, 4);
        var raw = max / 4;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var norm = raw / magnitude;
        var step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * magnitude;
        return (step, Math.Ceiling(max / step) * step);
    }

    /// <summary>Compact numbers for axes: 950, 1.2k, 3.4M.</summary>
    /// <param name="v">A non-negative value.</param>
    public static string Compact(double v) => v switch
    {
        >= 1e9 => (v / 1e9).ToString("0.#", CultureInfo.InvariantCulture) + "G",
        >= 1e6 => (v / 1e6).ToString("0.#", CultureInfo.InvariantCulture) + "M",
        >= 1e4 => (v / 1e3).ToString("0", CultureInfo.InvariantCulture) + "k",
        >= 1e3 => (v / 1e3).ToString("0.#", CultureInfo.InvariantCulture) + "k",
        _ => v.ToString("0.##", CultureInfo.InvariantCulture),
    };

    private static string Fmt(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
    private static string Enc(string s) => WebUtility.HtmlEncode(s);
}
