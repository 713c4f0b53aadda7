using JiraSync.Config;
using JiraSync.Errors;

namespace JiraSync.Tests.Config;

public class ConfigLoaderTests
{
    private static readonly Func<string, string?> NoEnv = _ => null;

    private static JiraSyncConfig Parse(string json, Func<string, string?>? env = null) =>
        ConfigLoader.Parse(json, "cfg.json", env ?? NoEnv);

    private static string ErrorOf(string json, Func<string, string?>? env = null)
    {
        var ex = Assert.Throws<ConfigException>(() => Parse(json, env));
        Assert.Equal(2, ex.ExitCode);
        Assert.DoesNotContain('\n', ex.Message);
        return ex.Message;
    }

    [Fact]
    public void Reads_tap_jira_keys_and_ours()
    {
        var c = Parse("""
        {
          "base_url": "https://example.atlassian.net", "username": "me@example.com", "password": "tok-123",
          "start_date": "2024-01-15T10:20:30Z", "user_agent": "acme-etl (ops@example.com)",
          "request_timeout": "120", "groups": "jira-users, admins ,", "projects": ["ABC", "XYZ"],
          "ca_cert": "/etc/ssl/ca.pem", "lookback_minutes": 30, "max_concurrency": "4", "page_size": 50,
          "destination": "duckdb:x.duckdb"
        }
        """);
        Assert.Equal(new Uri("https://example.atlassian.net/"), c.BaseUrl);
        Assert.Equal("me@example.com", c.Username);
        Assert.Equal("tok-123", c.Password);
        Assert.Equal(new DateTimeOffset(2024, 1, 15, 10, 20, 30, TimeSpan.Zero), c.StartDate);
        Assert.Equal("acme-etl (ops@example.com)", c.UserAgent);
        Assert.Equal(TimeSpan.FromSeconds(120), c.RequestTimeout);
        Assert.Equal(["jira-users", "admins"], c.Groups);
        Assert.Equal(["ABC", "XYZ"], c.Projects);
        Assert.Equal("/etc/ssl/ca.pem", c.CaCert);
        Assert.Equal(30, c.LookbackMinutes);
        Assert.Equal(4, c.MaxConcurrency);
        Assert.Equal(50, c.PageSize);
        Assert.Equal("duckdb:x.duckdb", c.Destination);
        Assert.Equal(AuthKind.Basic, AuthMode.Of(c));
    }

    [Fact]
    public void Defaults_apply_when_optional_keys_are_absent_or_zero_like_tap_jira()
    {
        var c = Parse("""{"base_url":"jira.example.com","username":"u","password":"p","request_timeout":0,"groups":""}""");
        Assert.Equal(new Uri("https://jira.example.com/"), c.BaseUrl); // bare host gets https://
        Assert.Equal(TimeSpan.FromSeconds(300), c.RequestTimeout);
        Assert.Empty(c.Groups);
        Assert.Equal(8, c.MaxConcurrency);
        Assert.True(c.StartDate < DateTimeOffset.UtcNow.AddDays(-360));
    }

    [Theory]
    [InlineData("2024-01-15", "2024-01-15T00:00:00+00:00")]
    [InlineData("2024-01-15T10:20:30Z", "2024-01-15T10:20:30+00:00")]
    [InlineData("2024-01-15T10:20:30.123+0000", "2024-01-15T10:20:30.123+00:00")]
    [InlineData("2024-01-15T10:20:30+02:00", "2024-01-15T10:20:30+02:00")]
    [InlineData("2024-01-15T10:20:30", "2024-01-15T10:20:30+00:00")]
    [InlineData("2024-01-15T10:20Z", "2024-01-15T10:20:00+00:00")]
    public void Start_date_accepts_iso_dates_and_date_times(string text, string expected)
    {
        var c = Parse($$"""{"base_url":"https://j.example.com","username":"u","password":"p","start_date":"{{text}}"}""");
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), c.StartDate);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture).Offset, c.StartDate.Offset);
    }

    [Theory]
    [InlineData("15/01/2024")]
    [InlineData("yesterday")]
    [InlineData("2024-13-01")]
    public void Bad_start_date_is_one_line_naming_file_and_key(string text)
    {
        var message = ErrorOf($$"""{"base_url":"https://j.example.com","username":"u","password":"p","start_date":"{{text}}"}""");
        Assert.StartsWith("cfg.json: \"start_date\"", message);
        Assert.Contains(text, message);
    }

    [Fact]
    public void Env_references_are_substituted_in_any_string()
    {
        var env = new Dictionary<string, string> { ["JIRA_HOST"] = "j.example.com", ["JIRA_TOKEN"] = "s3cret-token", ["N"] = "3" };
        var c = Parse("""{"base_url":"https://${JIRA_HOST}/jira","username":"u","password":"${JIRA_TOKEN}","max_concurrency":"${N}","projects":["${N}X"]}""",
            name => env.GetValueOrDefault(name));
        Assert.Equal(new Uri("https://j.example.com/jira/"), c.BaseUrl);
        Assert.Equal("s3cret-token", c.Password);
        Assert.Equal(3, c.MaxConcurrency);
        Assert.Equal(["3X"], c.Projects);
    }

    [Fact]
    public void Missing_env_variable_names_it()
    {
        var message = ErrorOf("""{"base_url":"https://j.example.com","username":"u","password":"${JIRA_API_TOKEN}"}""");
        Assert.Equal("cfg.json: \"password\" refers to environment variable JIRA_API_TOKEN, which is not set", message);
    }

    [Theory]
    [InlineData("http://jira.example.com")]
    [InlineData("HTTP://jira.example.com/")]
    public void Plain_http_is_refused_with_the_reason(string url)
    {
        var message = ErrorOf($$"""{"base_url":"{{url}}","username":"u","password":"p"}""");
        Assert.Contains("\"base_url\"", message);
        Assert.Contains("plain HTTP would expose credentials", message);
    }

    [Fact]
    public void Credentials_in_the_url_are_refused_without_echoing_them()
    {
        var message = ErrorOf("""{"base_url":"http://bob:hunter22@jira.example.com","username":"u","password":"p"}""");
        Assert.DoesNotContain("hunter22", message);
        message = ErrorOf("""{"base_url":"https://bob:hunter22@jira.example.com","username":"u","password":"p"}""");
        Assert.DoesNotContain("hunter22", message);
    }

    [Fact]
    public void Missing_base_url_is_named()
    {
        Assert.StartsWith("cfg.json: \"base_url\" is missing", ErrorOf("""{"username":"u","password":"p"}"""));
    }

    [Fact]
    public void Not_json_reports_one_based_line_and_position()
    {
        var message = ErrorOf("{\n  \"base_url\": \"https://j\",\n  \"username\" \"u\"\n}");
        Assert.StartsWith("config file cfg.json is not valid JSON (line 3, position 14)", message);
    }

    [Fact]
    public void Not_json_quoting_a_line_break_is_still_one_line()
    {
        var message = ErrorOf("nope\n");
        Assert.StartsWith("config file cfg.json is not valid JSON (line 1, position ", message);
        Assert.DoesNotContain('\n', message);
    }

    [Fact]
    public void Top_level_must_be_an_object()
    {
        Assert.Contains("must hold a JSON object", ErrorOf("""["base_url"]"""));
    }

    [Theory]
    [InlineData("\"max_concurrency\":\"lots\"", "cfg.json: \"max_concurrency\" must be a whole number, got \"lots\"")]
    [InlineData("\"max_concurrency\":0", "cfg.json: \"max_concurrency\" must be between 1 and 64, got 0")]
    [InlineData("\"page_size\":2.5", "cfg.json: \"page_size\" must be a whole number, got \"2.5\"")]
    [InlineData("\"request_timeout\":\"soon\"", "cfg.json: \"request_timeout\" must be a number of seconds, got \"soon\"")]
    [InlineData("\"lookback_minutes\":true", "cfg.json: \"lookback_minutes\" must be a number, not a boolean")]
    [InlineData("\"username\":42", "cfg.json: \"username\" must be a string, not a number")]
    [InlineData("\"groups\":{\"a\":1}", "cfg.json: \"groups\" must be an array of strings or a comma-separated string, not an object")]
    public void Malformed_values_name_the_key(string pair, string expected)
    {
        var json = "{\"base_url\":\"https://j.example.com\",\"password\":\"p\"," + pair + (pair.StartsWith("\"username\"") ? "" : ",\"username\":\"u\"") + "}";
        Assert.Equal(expected, ErrorOf(json));
    }

    [Fact]
    public void Missing_credentials_say_what_to_set()
    {
        var message = ErrorOf("""{"base_url":"https://j.example.com"}""");
        Assert.StartsWith("cfg.json: no credentials", message);
        Assert.Contains("personal_access_token", message);
    }

    [Theory]
    [InlineData("""{"username":"u"}""", "\"password\" is missing")]
    [InlineData("""{"password":"p"}""", "\"username\" is missing")]
    [InlineData("""{"username":"u","password":"p","personal_access_token":"t"}""", "ambiguous")]
    [InlineData("""{"access_token":"a"}""", "need \"cloud_id\"")]
    [InlineData("""{"cloud_id":"abc-123","refresh_token":"r"}""", "\"oauth_client_id\", \"oauth_client_secret\"")]
    public void Incomplete_or_mixed_auth_is_refused(string auth, string expected)
    {
        var json = auth.Replace("{", "{\"base_url\":\"https://j.example.com\",");
        var message = ErrorOf(json);
        Assert.Contains(expected, message);
        Assert.DoesNotContain("\"p\"", message);
    }

    [Fact]
    public void Pat_and_oauth_are_recognised()
    {
        Assert.Equal(AuthKind.PersonalAccessToken, AuthMode.Of(Parse("""{"base_url":"https://j.example.com","personal_access_token":"pat"}""")));
        var oauth = Parse("""{"cloud_id":"11223344-a1b2-c3d4","access_token":"at","refresh_token":"rt","oauth_client_id":"id","oauth_client_secret":"sec"}""");
        Assert.Equal(AuthKind.OAuth, AuthMode.Of(oauth));
        Assert.Equal(new Uri("https://api.atlassian.com/ex/jira/11223344-a1b2-c3d4/"), oauth.BaseUrl);
    }

    [Fact]
    public void Secrets_include_the_basic_auth_header_value()
    {
        var c = Parse("""{"base_url":"https://j.example.com","username":"me","password":"pw-secret"}""");
        Assert.Contains("pw-secret", c.Secrets());
        Assert.Contains(Convert.ToBase64String("me:pw-secret"u8.ToArray()), c.Secrets());
    }

    [Fact]
    public void Unreadable_file_is_named()
    {
        var path = Path.Combine(Path.GetTempPath(), $"jirasync-missing-{Guid.NewGuid():N}.json");
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path));
        Assert.Equal($"cannot read config file {path}: no such file", ex.Message);
    }

    [Fact]
    public void Relative_ca_cert_is_resolved_against_the_config_directory()
    {
        var dir = Directory.CreateTempSubdirectory("jirasync-cfg-").FullName;
        try
        {
            var path = Path.Combine(dir, "config.json");
            File.WriteAllText(path, """{"base_url":"https://j.example.com","username":"u","password":"p","ca_cert":"certs/ca.pem"}""");
            Assert.Equal(Path.Combine(dir, "certs", "ca.pem"), ConfigLoader.Load(path).CaCert);
        }
        finally { Directory.Delete(dir, true); }
    }
}

public class UnknownConfigKeyTests
{
    [Fact]
    public void Unknown_keys_are_reported_by_name_only()
    {
        var dir = Directory.CreateTempSubdirectory("jirasync-cfg-").FullName;
        try
        {
            var path = Path.Combine(dir, "config.json");
            File.WriteAllText(path, """{"base_url":"https://j.example.com","username":"u","password":"pw-Secret","max_concurency":"2"}""");
            var log = new JiraSync.Logging.MemoryLog();
            var config = ConfigLoader.Load(path, log: log);
            Assert.Equal(8, config.MaxConcurrency);
            var line = Assert.Single(log.Lines);
            Assert.Equal($"WARNING config {path}: unknown key \"max_concurency\" is ignored", line);
        }
        finally { Directory.Delete(dir, true); }
    }
}

public class SecretHandlingTests
{
    [Fact]
    public void Secrets_are_used_exactly_as_given_not_trimmed()
    {
        var c = ConfigLoader.Parse("""{"base_url":"https://j.example.com","username":" me ","password":" pass word "}""", "cfg.json", _ => null);
        Assert.Equal("me", c.Username);
        Assert.Equal(" pass word ", c.Password);
    }

    [Theory]
    [InlineData("postgres://loader:pg-S3cret@db.example:5432/warehouse", "pg-S3cret")]
    [InlineData("Host=db.example;Username=loader;Password=pg-S3cret;Database=w", "pg-S3cret")]
    [InlineData("host=db.example user=loader password='pg-S3cret' dbname=w", "pg-S3cret")]
    public void A_password_inside_the_destination_is_a_secret(string destination, string password)
    {
        var c = new JiraSyncConfig { BaseUrl = new Uri("https://j.example.com/"), Destination = destination };
        Assert.Contains(password, c.Secrets());
    }

    [Fact]
    public void A_destination_without_password_adds_no_secret()
    {
        var c = new JiraSyncConfig { BaseUrl = new Uri("https://j.example.com/"), Destination = "duckdb:jirasync.duckdb" };
        Assert.Empty(c.Secrets());
    }
}
