using JiraSync.Config;
using JiraSync.Simulator;

namespace JiraSync.Tests.Support;

public static class SimulatorConfigExtensions
{
    /// <summary>A JiraSyncConfig for a running simulator (basic auth, its CA as ca_cert), built directly
    /// without a file. For Server mode with a personal access token, pass <paramref name="usePat"/>.</summary>
    public static JiraSyncConfig ClientConfig(this JiraSimulator sim, int maxConcurrency = 4, bool usePat = false) => new()
    {
        BaseUrl = sim.BaseUrl,
        Username = usePat ? null : sim.Username,
        Password = usePat ? null : sim.ApiToken,
        PersonalAccessToken = usePat ? sim.PersonalAccessToken : null,
        CaCert = sim.CaCertPath,
        StartDate = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero),
        MaxConcurrency = maxConcurrency,
        RequestTimeout = TimeSpan.FromSeconds(20),
    };
}
