namespace JiraSync.Simulator.Control;

/// <summary>Which streams <see cref="SimulatorControl.ExpectedKeys(ExpectedStreams)"/> covers.</summary>
public enum ExpectedStreams
{
    /// <summary>singer-io tap-jira's thirteen streams (what <c>ExpectedKeys()</c> returns).</summary>
    TapJira,
    /// <summary>Those plus site metadata, agile and issue-relation streams (issue 8).</summary>
    All,
}
