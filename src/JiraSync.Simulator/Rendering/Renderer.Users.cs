using System.Text.Json;
using JiraSync.Simulator.Model;

namespace JiraSync.Simulator.Rendering;

public sealed partial class Renderer
{
    /// <summary>A user: Cloud shows accountId/accountType (key and name are not sent); Server shows key/name.
    /// Email is absent when the profile hides it (spec: "may be null/absent under profile privacy").</summary>
    public void User(Utf8JsonWriter w, SimUser u, bool brief = false) =>
        Fragment(w, brief ? "user-brief" : "user", u.Index, inner => WriteUser(inner, u, brief));

    private void WriteUser(Utf8JsonWriter w, SimUser u, bool brief)
    {
        w.WriteStartObject();
        if (Cloud)
        {
            w.WriteString("self", $"{Api}user?accountId={u.AccountId}");
            w.WriteString("accountId", u.AccountId);
            w.WriteString("accountType", u.AccountType);
        }
        else
        {
            w.WriteString("self", $"{Api}user?username={Uri.EscapeDataString(u.Name)}");
            w.WriteString("key", u.Key);
            w.WriteString("name", u.Name);
        }
        if (u.Email is not null) w.WriteString("emailAddress", u.Email);
        AvatarUrls(w, "user", 10000 + u.Index);
        w.WriteString("displayName", u.DisplayName);
        w.WriteBoolean("active", u.Active);
        if (!brief)
        {
            w.WriteString("timeZone", u.TimeZone);
            if (Cloud) w.WriteString("locale", "en_US");
        }
        w.WriteEndObject();
    }

    public void UserOrNull(Utf8JsonWriter w, string name, int index)
    {
        w.WritePropertyName(name);
        if (index < 0) w.WriteNullValue();
        else User(w, Store.UserAt(index), brief: false);
    }

    /// <summary>GET myself: the user plus groups/applicationRoles summaries; on Cloud key and name are empty strings.</summary>
    public void Myself(Utf8JsonWriter w)
    {
        var u = Store.Me;
        w.WriteStartObject();
        w.WriteString("self", Cloud ? $"{Api}user?accountId={u.AccountId}" : $"{Api}user?username={u.Name}");
        if (Cloud)
        {
            w.WriteString("accountId", u.AccountId);
            w.WriteString("accountType", u.AccountType);
            w.WriteString("key", "");
            w.WriteString("name", "");
        }
        else
        {
            w.WriteString("key", u.Key);
            w.WriteString("name", u.Name);
        }
        if (u.Email is not null) w.WriteString("emailAddress", u.Email);
        AvatarUrls(w, "user", 10000);
        w.WriteString("displayName", u.DisplayName);
        w.WriteBoolean("active", true);
        w.WriteString("timeZone", Store.Options.TimeZone);
        w.WriteString("locale", "en_US");
        w.WriteStartObject("groups"); w.WriteNumber("size", ReferenceData.Groups.Length); w.WriteStartArray("items"); w.WriteEndArray(); w.WriteEndObject();
        w.WriteStartObject("applicationRoles"); w.WriteNumber("size", 1); w.WriteStartArray("items"); w.WriteEndArray(); w.WriteEndObject();
        w.WriteString("expand", "groups,applicationRoles");
        w.WriteEndObject();
    }
}
