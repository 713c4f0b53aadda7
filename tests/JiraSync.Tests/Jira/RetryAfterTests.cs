using System.Net.Http.Headers;
using JiraSync.Jira;

namespace JiraSync.Tests.Jira;

public class RetryAfterTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 5, 5, 59, 0, TimeSpan.Zero);

    private static HttpResponseHeaders Headers(params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage();
        foreach (var (name, value) in headers) response.Headers.TryAddWithoutValidation(name, value);
        return response.Headers;
    }

    [Fact]
    public void Seconds() => Assert.Equal(TimeSpan.FromSeconds(7), RetryAfter.From(Headers(("Retry-After", "7")), Now));

    [Fact]
    public void Zero_means_at_least_one_second() => Assert.Equal(TimeSpan.FromSeconds(1), RetryAfter.From(Headers(("Retry-After", "0")), Now));

    [Fact]
    public void Http_date() =>
        Assert.Equal(TimeSpan.FromSeconds(30), RetryAfter.From(Headers(("Retry-After", Now.AddSeconds(30).ToString("R"))), Now));

    [Fact]
    public void Falls_back_to_jira_cloud_iso_rate_limit_reset() =>
        Assert.Equal(TimeSpan.FromMinutes(1), RetryAfter.From(Headers(("X-RateLimit-Reset", "2026-06-05T06:00Z")), Now));

    [Fact]
    public void Nothing_usable_is_null() => Assert.Null(RetryAfter.From(Headers(("X-RateLimit-Reset", "soon")), Now));
}

public class RateLimitGateTests
{
    [Fact]
    public void A_shorter_pause_never_shortens_a_longer_one()
    {
        var gate = new RateLimitGate();
        gate.PauseFor(TimeSpan.FromSeconds(30));
        gate.PauseFor(TimeSpan.FromSeconds(1));
        Assert.True(gate.Remaining > TimeSpan.FromSeconds(25));
    }

    [Fact]
    public async Task An_open_gate_does_not_wait()
    {
        var gate = new RateLimitGate();
        Assert.Equal(TimeSpan.Zero, gate.Remaining);
        await gate.WaitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(1));
    }
}

public class JiraErrorBodyTests
{
    [Fact]
    public void Joins_error_messages_and_field_errors() =>
        Assert.Equal("Field 'x' does not exist; jql: bad query",
            JiraErrorBody.Summarize("""{"errorMessages":["Field 'x' does not exist"],"errors":{"jql":"bad query"}}"""u8));

    [Fact]
    public void Not_json_is_null() => Assert.Null(JiraErrorBody.Summarize("<html>oops</html>"u8));
}
