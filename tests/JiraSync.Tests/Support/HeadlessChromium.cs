using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace JiraSync.Tests.Support;

/// <summary>What a page did when loaded in headless Chromium.</summary>
public sealed record PageLoad(IReadOnlyList<string> ConsoleProblems, IReadOnlyList<string> RequestedUrls, JsonElement Evaluated);

/// <summary>
/// Headless Chromium (Debian's `chromium`, installed by scripts/test-chromium.sh) driven over the DevTools protocol:
/// opens a page at a given window size, records console errors/warnings, uncaught exceptions and every URL the
/// page requests, evaluates a script in it and saves a full-page screenshot.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ClientWebSocket _socket = new();
    private readonly string _profile;
    private readonly Dictionary<int, TaskCompletionSource<JsonElement>> _pending = [];
    private readonly List<JsonElement> _events = [];
    private readonly CancellationTokenSource _stop = new();
    private Task? _reader;
    private int _nextId;

    private HeadlessChromium(Process process, string profile) { _process = process; _profile = profile; }

    public static string? FindBinary() =>
        new[] { Environment.GetEnvironmentVariable("CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }
            .FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p));

    public static async Task<HeadlessChromium> StartAsync()
    {
        var binary = FindBinary() ?? throw new InvalidOperationException("chromium is not installed: run scripts/test-chromium.sh (./run-tests does)");
        var profile = Path.Combine(Path.GetTempPath(), "jirasync-chromium-" + Guid.NewGuid().ToString("N"));
        var psi = new ProcessStartInfo(binary) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                     "--disable-extensions", "--disable-background-networking", "--remote-debugging-port=0", "--remote-allow-origins=*",
                     $"--user-data-dir={profile}", "about:blank" })
            psi.ArgumentList.Add(a);
        var process = Process.Start(psi)!;
        _ = process.StandardOutput.ReadToEndAsync();
        var chromium = new HeadlessChromium(process, profile);
        // Chromium announces its DevTools port on stderr: "DevTools listening on ws://127.0.0.1:PORT/devtools/browser/ID".
        int port;
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            while (true)
            {
                var line = await process.StandardError.ReadLineAsync(timeout.Token)
                           ?? throw new InvalidOperationException("chromium exited before opening DevTools");
                var m = Regex.Match(line, @"DevTools listening on ws://[^:]+:(\d+)/");
                if (m.Success) { port = int.Parse(m.Groups[1].Value); break; }
            }
        }
        _ = process.StandardError.ReadToEndAsync();
        using var http = new HttpClient();
        var targets = JsonDocument.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/json/list")).RootElement;
        var page = targets.EnumerateArray().First(t => t.GetProperty("type").GetString() == "page");
        await chromium._socket.ConnectAsync(new Uri(page.GetProperty("webSocketDebuggerUrl").GetString()!), CancellationToken.None);
        chromium._reader = chromium.ReadLoopAsync();
        return chromium;
    }

    /// <summary>Loads <paramref name="file"/> at the given CSS-pixel width, evaluates <paramref name="script"/> (its
    /// value comes back as JSON) and writes a full-page PNG to <paramref name="screenshot"/>.</summary>
    public async Task<PageLoad> LoadAsync(string file, int width, int height, bool mobile, string script, string screenshot)
    {
        lock (_events) _events.Clear();
        await SendAsync("Runtime.enable");
        await SendAsync("Log.enable");
        await SendAsync("Network.enable");
        await SendAsync("Page.enable");
        await SendAsync("Emulation.setDeviceMetricsOverride", new JsonObject { ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = 1, ["mobile"] = mobile });
        await SendAsync("Page.navigate", new JsonObject { ["url"] = new Uri(file).AbsoluteUri });
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!HasEvent("Page.loadEventFired"))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{file} did not finish loading");
            await Task.Delay(50);
        }
        var evaluated = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = script, ["returnByValue"] = true });
        var value = evaluated.GetProperty("result").GetProperty("value");
        var shot = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png", ["captureBeyondViewport"] = true });
        await File.WriteAllBytesAsync(screenshot, Convert.FromBase64String(shot.GetProperty("data").GetString()!));

        var problems = new List<string>();
        var urls = new List<string>();
        lock (_events)
            foreach (var e in _events)
            {
                var method = e.GetProperty("method").GetString();
                var p = e.GetProperty("params");
                switch (method)
                {
                    case "Runtime.consoleAPICalled" when p.GetProperty("type").GetString() is "error" or "warning" or "assert":
                        problems.Add("console." + p.GetProperty("type").GetString() + ": " + p.GetProperty("args").ToString());
                        break;
                    case "Runtime.exceptionThrown":
                        problems.Add("exception: " + p.GetProperty("exceptionDetails").ToString());
                        break;
                    case "Log.entryAdded" when p.GetProperty("entry").GetProperty("level").GetString() is "error" or "warning":
                        problems.Add("log: " + p.GetProperty("entry").GetProperty("text").GetString());
                        break;
                    case "Network.requestWillBeSent":
                        urls.Add(p.GetProperty("request").GetProperty("url").GetString()!);
                        break;
                }
            }
        return new PageLoad(problems, urls, value.Clone());
    }

    private bool HasEvent(string method)
    {
        lock (_events) return _events.Any(e => e.GetProperty("method").GetString() == method);
    }

    private async Task<JsonElement> SendAsync(string method, JsonObject? parameters = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var tcs = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_pending) _pending[id] = tcs;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
        return await tcs.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[1 << 16];
        var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open && !_stop.IsCancellationRequested)
            {
                var r = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (r.MessageType == WebSocketMessageType.Close) break;
                message.Write(buffer, 0, r.Count);
                if (!r.EndOfMessage) continue;
                var doc = JsonDocument.Parse(message.ToArray()).RootElement.Clone();
                message.SetLength(0);
                if (doc.TryGetProperty("id", out var idProp))
                {
                    TaskCompletionSource<JsonElement>? tcs;
                    lock (_pending) _pending.Remove(idProp.GetInt32(), out tcs);
                    if (doc.TryGetProperty("error", out var err)) tcs?.TrySetException(new InvalidOperationException(err.ToString()));
                    else tcs?.TrySetResult(doc.GetProperty("result"));
                }
                else lock (_events) _events.Add(doc);
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested) { }
        catch (WebSocketException) { }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        await _process.WaitForExitAsync();
        if (_reader is not null) await _reader.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { });
        _socket.Dispose();
        try { Directory.Delete(_profile, recursive: true); } catch (IOException) { }
    }
}
