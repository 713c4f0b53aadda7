using System.Reflection;
using System.Reflection.Emit;

namespace JiraSync.Tests.Architecture;

/// <summary>
/// The library's folders depend on each other in one direction only (DESIGN.md, "Layout"): read from the compiled
/// assembly (signatures, locals and every type, method or field the IL touches), so a fully qualified name or a
/// lambda cannot slip a reference past the check.
/// </summary>
public class LayeringTests
{
    /// <summary>Each folder (namespace under JiraSync.) and the folders it may use. A sub-namespace follows its
    /// longest listed prefix. Bottom to top: errors and logging; config; Singer messages; the Jira client; streams
    /// (the tap); loading (knows Singer, not Jira: any tap's output loads by the same rules); run history; the
    /// destination backends (each owns its data, state, run history and lock); scheduling; the sync workflow.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Json"] = [],
        ["Errors"] = ["Json"],
        ["Logging"] = ["Json", "Errors"],
        ["Singer"] = ["Json", "Errors", "Logging"],
        ["Config"] = ["Json", "Errors", "Logging", "Singer"],
        ["Jira"] = ["Json", "Errors", "Logging", "Config", "Singer"],
        ["Streams"] = ["Json", "Errors", "Logging", "Config", "Singer", "Jira"],
        ["Loading"] = ["Json", "Errors", "Logging", "Singer"],
        ["Analytics"] = ["Json", "Errors", "Logging", "Singer", "Loading"],
        ["Reconciliation"] = ["Json", "Errors", "Logging", "Config", "Singer", "Jira", "Streams", "Loading"],
        ["Runs"] = ["Json", "Errors", "Logging", "Config", "Singer", "Jira", "Loading", "Reconciliation"],
        ["Loading.Destinations"] = ["Json", "Errors", "Logging", "Singer", "Loading", "Runs", "Reconciliation"],
        ["Scheduling"] = ["Json", "Errors", "Logging", "Runs"],
        ["Querying"] = ["Json", "Errors", "Logging", "Config", "Singer", "Loading", "Loading.Destinations", "Runs"],
        ["Sync"] = ["Json", "Errors", "Logging", "Config", "Singer", "Jira", "Streams", "Loading", "Analytics", "Runs", "Loading.Destinations", "Scheduling", "Querying", "Reconciliation"],
    };

    /// <summary>References against the layering that are being removed, each with where and why. Empty is the goal.</summary>
    private static readonly HashSet<(string From, string To)> BeingRemoved =
    [
    ];

    [Fact]
    public void Every_folder_uses_only_the_folders_below_it()
    {
        var violations = References()
            .Where(r => !Allowed[r.From].Contains(r.To) && !BeingRemoved.Contains((r.From, r.To)))
            .Select(r => $"{r.From} -> {r.To} (in {r.Where})")
            .Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.True(violations.Count == 0, "references against the layering:\n" + string.Join("\n", violations.Take(30)));
    }

    [Fact]
    public void The_allowed_directions_have_no_cycle_and_name_every_folder()
    {
        // Every folder of the assembly has a rule (a new folder must be placed in the layering on purpose).
        var folders = typeof(JiraSync.Loading.Loader).Assembly.GetTypes().Select(t => t.Namespace).OfType<string>()
            .Where(n => n.StartsWith("JiraSync.", StringComparison.Ordinal)).Select(Folder).Distinct().ToList();
        Assert.All(folders, f => Assert.True(f is not null, "a namespace outside the layering"));
        // Depth-first search over the allowed edges: a back edge is a cycle.
        var state = new Dictionary<string, int>();
        void Visit(string n, List<string> path)
        {
            state[n] = 1;
            foreach (var m in Allowed[n])
            {
                Assert.True(state.GetValueOrDefault(m) != 1, "cycle: " + string.Join(" -> ", path.Append(n).Append(m)));
                if (state.GetValueOrDefault(m) == 0) Visit(m, [.. path, n]);
            }
            state[n] = 2;
        }
        foreach (var n in Allowed.Keys) if (state.GetValueOrDefault(n) == 0) Visit(n, []);
    }

    private static string? Folder(string? ns)
    {
        if (ns is null || !ns.StartsWith("JiraSync.", StringComparison.Ordinal)) return null;
        var rest = ns["JiraSync.".Length..];
        var match = Allowed.Keys.Where(k => rest == k || rest.StartsWith(k + ".", StringComparison.Ordinal)).MaxBy(k => k.Length);
        return match ?? throw new Xunit.Sdk.XunitException($"namespace {ns} has no place in the layering: add it to LayeringTests.Allowed");
    }

    private sealed record Reference(string From, string To, string Where);

    private static IEnumerable<Reference> References()
    {
        var assembly = typeof(JiraSync.Loading.Loader).Assembly;
        foreach (var type in assembly.GetTypes())
        {
            if (Folder(OuterNamespace(type)) is not { } from) continue;
            foreach (var used in UsedTypes(type))
                if (used.Assembly == assembly && Folder(OuterNamespace(used)) is { } to && to != from)
                    yield return new Reference(from, to, type.FullName ?? type.Name);
        }
    }

    /// <summary>The namespace of the outermost declaring type (compiler-made nested types have none of their own).</summary>
    private static string? OuterNamespace(Type t)
    {
        while (t.DeclaringType is not null) t = t.DeclaringType;
        return t.Namespace;
    }

    private const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static IEnumerable<Type> UsedTypes(Type type)
    {
        var found = new HashSet<Type>();
        void Add(Type? t)
        {
            if (t is null || t.IsGenericParameter) return;
            if (t.HasElementType) { Add(t.GetElementType()); return; }
            if (t.IsGenericType && !t.IsGenericTypeDefinition)
            {
                foreach (var a in t.GetGenericArguments()) Add(a);
                t = t.GetGenericTypeDefinition();
            }
            found.Add(t);
        }
        Add(type.BaseType);
        foreach (var i in type.GetInterfaces()) Add(i);
        foreach (var f in type.GetFields(All)) Add(f.FieldType);
        foreach (var p in type.GetProperties(All)) Add(p.PropertyType);
        foreach (var m in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)))
        {
            if (m is MethodInfo mi) Add(mi.ReturnType);
            foreach (var p in m.GetParameters()) Add(p.ParameterType);
            var body = m.GetMethodBody();
            if (body is null) continue;
            foreach (var l in body.LocalVariables) Add(l.LocalType);
            foreach (var t in IlReferences(m, body.GetILAsByteArray() ?? [])) Add(t);
        }
        return found;
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    /// <summary>Declaring types of the methods, fields and types the IL refers to.</summary>
    private static IEnumerable<Type> IlReferences(MethodBase method, byte[] il)
    {
        var module = method.Module;
        var typeArgs = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var i = 0; i < il.Length;)
        {
            var code = il[i] == 0xFE ? OpCodesByValue[(short)(0xFE00 | il[i + 1])] : OpCodesByValue[il[i]];
            i += code.Size;
            switch (code.OperandType)
            {
                case OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok:
                    var token = BitConverter.ToInt32(il, i);
                    MemberInfo? member = null;
                    try { member = module.ResolveMember(token, typeArgs, methodArgs); }
                    catch (ArgumentException) { }
                    if (member is Type t) yield return t;
                    else if (member?.DeclaringType is { } declaring) yield return declaring;
                    if (member is MethodInfo mi) yield return mi.ReturnType;
                    i += 4;
                    break;
                case OperandType.InlineSwitch:
                    i += 4 + 4 * BitConverter.ToInt32(il, i);
                    break;
                case OperandType.InlineNone: break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar: i += 1; break;
                case OperandType.InlineVar: i += 2; break;
                case OperandType.InlineI8 or OperandType.InlineR: i += 8; break;
                default: i += 4; break;
            }
        }
    }
}
