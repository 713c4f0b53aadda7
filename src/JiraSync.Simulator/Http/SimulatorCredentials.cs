namespace JiraSync.Simulator.Http;

/// <summary>What the simulator accepts: basic user + token (password on Server), and a bearer PAT on Server.</summary>
public sealed record SimulatorCredentials(string Username, string ApiToken, string PersonalAccessToken);
