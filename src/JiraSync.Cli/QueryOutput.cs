using System.Text.Json;
using JiraSync.Querying;
using Spectre.Console;

namespace JiraSync.Cli;

/// <summary>The output forms of `jirasync query`.</summary>
public enum QueryFormat { Table, Csv, Json }

/// <summary>Writes a query's rows as a Spectre table, RFC 4180 CSV (header line, then one line per row) or a JSON
/// array of objects (JSON columns embedded as JSON). CSV and JSON stream; the table holds at most
/// <see cref="MaxTableRows"/> rows.</summary>
public static class QueryOutput
{
    /// <summary>A table is laid out in memory; past this many rows a note points to CSV or JSON.</summary>
    public const int MaxTableRows = 1000;

    /// <summary>Writes <paramref name="result"/> to <paramref name="stdout"/> as UTF-8: a table (at most <see cref="MaxTableRows"/>
    /// rows laid out), RFC 4180 CSV with a header row, or a JSON array of objects keyed by column name.</summary>
    /// <param name="stdout">The output stream (not closed).</param>
    /// <param name="result">Columns and rows from the destination.</param>
    /// <param name="format">Table, CSV or JSON.</param>
    /// <param name="ct">Stops writing.</param>
    public static async Task WriteAsync(Stream stdout, QueryResult result, QueryFormat format, CancellationToken ct)
    {
        await using var output = Text(stdout);
        var columns = result.Columns;
        switch (format)
        {
            case QueryFormat.Csv:
                await output.WriteLineAsync(string.Join(',', columns.Select(c => Csv(c.Name))));
                while (await result.ReadAsync(ct) is { } row)
                    await output.WriteLineAsync(string.Join(',', row.Select(v => Csv(QueryValue.ToText(v)))));
                break;
            case QueryFormat.Json:
                await using (var w = new Utf8JsonWriter(stdout, JsonOptions))
                {
                    w.WriteStartArray();
                    while (await result.ReadAsync(ct) is { } row)
                    {
                        w.WriteStartObject();
                        for (var i = 0; i < columns.Count; i++) { w.WritePropertyName(columns[i].Name); QueryValue.Write(w, row[i], columns[i].IsJson); }
                        w.WriteEndObject();
                        if (w.BytesPending > 64 * 1024) await w.FlushAsync(ct);
                    }
                    w.WriteEndArray();
                }
                await output.WriteLineAsync();
                break;
            default:
                var table = new Table().Border(TableBorder.Rounded);
                foreach (var c in columns)
                {
                    var column = new TableColumn(Markup.Escape(c.Name));
                    if (c.IsNumeric) column.RightAligned();
                    table.AddColumn(column);
                }
                var rows = 0;
                var more = false;
                while (await result.ReadAsync(ct) is { } row)
                {
                    if (rows == MaxTableRows) { more = true; break; }
                    table.AddRow(row.Select(v => Markup.Escape(QueryValue.ToText(v))).ToArray());
                    rows++;
                }
                var console = Console(output);
                console.Write(table);
                console.WriteLine(more ? $"first {MaxTableRows:N0} rows shown; --format csv or json prints them all" : $"{rows:N0} row(s)");
                break;
        }
    }

    /// <summary>Readable JSON: indented, and non-ASCII text and quotes inside strings left as they are (still valid JSON).</summary>
    private static readonly JsonWriterOptions JsonOptions = new() { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>`jirasync query` without SQL: tables (with rows) and views.</summary>
    public static void Tables(Stream stdout, IReadOnlyList<TableInfo> tables, string destination, QueryFormat format)
    {
        using var output = Text(stdout);
        switch (format)
        {
            case QueryFormat.Csv:
                output.WriteLine("name,type,rows");
                foreach (var t in tables) output.WriteLine($"{Csv(t.Name)},{Kind(t)},{t.Rows}");
                break;
            case QueryFormat.Json:
                using (var w = new Utf8JsonWriter(stdout, JsonOptions))
                {
                    w.WriteStartArray();
                    foreach (var t in tables)
                    {
                        w.WriteStartObject();
                        w.WriteString("name", t.Name);
                        w.WriteString("type", Kind(t));
                        if (t.Rows is { } n) w.WriteNumber("rows", n); else w.WriteNull("rows");
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                }
                output.WriteLine();
                break;
            default:
                var console = Console(output);
                if (tables.Count == 0) { console.WriteLine($"No tables in {destination} yet."); return; }
                var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(destination))
                    .AddColumn("name").AddColumn("type").AddColumn(new TableColumn("rows").RightAligned());
                foreach (var t in tables) table.AddRow(Markup.Escape(t.Name), Kind(t), t.Rows is { } n ? $"{n:N0}" : "");
                console.Write(table);
                break;
        }
    }

    private static string Kind(TableInfo t) => t.IsView ? "view" : "table";

    /// <summary>RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled.</summary>
    private static string Csv(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;

    /// <summary>A Spectre console on <paramref name="output"/>; when it is not a terminal, as wide as $COLUMNS or 160.</summary>
    private static IAnsiConsole Console(TextWriter output)
    {
        var redirected = System.Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect });
        if (redirected)
            console.Profile.Width = int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var cols) && cols >= 40 ? cols : 160;
        return console;
    }

    private static StreamWriter Text(Stream stdout) => new(stdout, new System.Text.UTF8Encoding(false), 64 * 1024, leaveOpen: true) { NewLine = "\n" };
}
