using System.Reflection;
using System.Reflection.Emit;

namespace Jtai.Strategy.Meetings.Tests;

/// <summary>
/// The namespaces of the meetings service and what each uses of the others, read from the compiled
/// assembly rather than from <c>using</c> lines (which say nothing of fully qualified names and list
/// namespaces a file never uses). A type's references are its base type and interfaces, the types of
/// its fields, properties, events, method and constructor signatures and locals, and every type,
/// method and field token in its method bodies' IL (so calls, <c>new</c>, casts, <c>typeof</c> and the
/// lambdas, async state machines and expression trees the compiler nests inside the type). Generic
/// arguments, arrays and by-refs count as the types they wrap. Attributes are not read. Types the
/// compiler puts in no namespace (anonymous types) are left out; <c>Program</c> counts as the root.
/// </summary>
public sealed class ArchitectureTests
{
    private const string Service = "Jtai.Strategy.Meetings";
    private const string RootNode = "(root)";

    private static readonly Lazy<(Dictionary<string, SortedSet<string>> Edges, List<string> Unresolved)> Scan = new(ScanAssembly);

    private static Dictionary<string, SortedSet<string>> Graph => Scan.Value.Edges;

    [Fact]
    public void Every_IL_token_of_the_service_resolves()
    {
        // Otherwise a dependency could hide behind a token the scan skipped.
        Assert.Empty(Scan.Value.Unresolved);
    }

    [Fact]
    public void The_namespaces_depend_on_each_other_without_a_cycle()
    {
        var cycle = FindCycle(Graph);
        Assert.True(cycle is null, $"Namespace cycle: {string.Join(" -> ", cycle ?? [])}\n{Describe(Graph)}");
    }

    [Fact]
    public void The_domain_depends_on_nothing_else_in_the_service()
    {
        Assert.True(Graph["Domain"].Count == 0, Describe(Graph));
    }

    [Fact]
    public void Infrastructure_depends_on_the_domain_only()
    {
        Assert.True(Graph["Infrastructure"].SetEquals(["Domain"]), Describe(Graph));
    }

    [Fact]
    public void Nothing_depends_on_the_composition_root()
    {
        Assert.True(!Graph.Any(n => n.Value.Contains(RootNode)), Describe(Graph));
    }

    [Fact]
    public void The_scan_sees_dependencies_in_signatures_and_in_method_bodies()
    {
        // Known uses, so that the empty answers above mean "no dependency", not "nothing was read".
        Assert.Equal(["Convening", "Domain", "Infrastructure", "Invitations", "Recording", "Replica"], Graph.Keys.Where(k => k != RootNode).Order(StringComparer.Ordinal));
        Assert.Contains("Invitations", Graph["Convening"]); // MeetingConvener's constructor takes an InvitationIssuer
        Assert.Contains("Replica", Graph["Invitations"]); // only inside InvitationIssuer's async bodies (SpocsOfAsync)
        Assert.Contains("Recording", Graph[RootNode]); // the composition root registers the recorder and its handlers
    }

    private static (Dictionary<string, SortedSet<string>>, List<string>) ScanAssembly()
    {
        var assembly = typeof(MeetingsService).Assembly;
        var edges = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        var unresolved = new List<string>();
        foreach (var type in assembly.GetTypes())
        {
            if (NodeOf(type) is not { } from)
            {
                continue;
            }

            var targets = edges.TryGetValue(from, out var found) ? found : edges[from] = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var used in References(type, unresolved))
            {
                if (NodeOf(used) is { } to && to != from)
                {
                    targets.Add(to);
                }
            }
        }

        return (edges, unresolved);
    }

    /// <summary>The service namespace a type belongs to, relative to the service's own; null outside the service.</summary>
    private static string? NodeOf(Type type)
    {
        var outer = type;
        while (outer.DeclaringType is { } declaring)
        {
            outer = declaring;
        }

        var ns = outer.Namespace;
        if (ns is null)
        {
            return outer.Assembly == typeof(MeetingsService).Assembly && outer.Name == "Program" ? RootNode : null;
        }

        return ns == Service ? RootNode : ns.StartsWith(Service + ".", StringComparison.Ordinal) ? ns[(Service.Length + 1)..] : null;
    }

    private const BindingFlags Declared = BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;

    private static IEnumerable<Type> References(Type type, List<string> unresolved)
    {
        var found = new List<Type>();
        if (type.BaseType is { } baseType)
        {
            found.Add(baseType);
        }

        found.AddRange(type.GetInterfaces());
        found.AddRange(type.GetFields(Declared).Select(f => f.FieldType));
        found.AddRange(type.GetProperties(Declared).Select(p => p.PropertyType));
        found.AddRange(type.GetEvents(Declared).Select(e => e.EventHandlerType!));
        var methods = type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared));
        foreach (var method in methods)
        {
            if (method is MethodInfo info)
            {
                found.Add(info.ReturnType);
            }

            found.AddRange(method.GetParameters().Select(p => p.ParameterType));
            if (method.GetMethodBody() is { } body)
            {
                found.AddRange(body.LocalVariables.Select(l => l.LocalType));
                found.AddRange(BodyReferences(method, body.GetILAsByteArray() ?? [], unresolved));
            }
        }

        return found.SelectMany(Expand);
    }

    /// <summary>A type and what it is built from: generic arguments, element types.</summary>
    private static IEnumerable<Type> Expand(Type type)
    {
        if (type.IsGenericParameter)
        {
            yield break;
        }

        if (type.HasElementType)
        {
            foreach (var inner in Expand(type.GetElementType()!))
            {
                yield return inner;
            }

            yield break;
        }

        yield return type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        if (type.IsConstructedGenericType)
        {
            foreach (var inner in type.GetGenericArguments().SelectMany(Expand))
            {
                yield return inner;
            }
        }
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>Walks the IL one instruction at a time and resolves every type, method and field token.</summary>
    private static IEnumerable<Type> BodyReferences(MethodBase method, byte[] il, List<string> unresolved)
    {
        var found = new List<Type>();
        var typeArgs = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var at = 0;
        while (at < il.Length)
        {
            short value = il[at++];
            if (value == 0xFE)
            {
                value = unchecked((short)(0xFE00 | il[at++]));
            }

            var opCode = OpCodesByValue[value];
            switch (opCode.OperandType)
            {
                case OperandType.InlineType or OperandType.InlineTok or OperandType.InlineMethod or OperandType.InlineField:
                    var token = BitConverter.ToInt32(il, at);
                    try
                    {
                        switch (method.Module.ResolveMember(token, typeArgs, methodArgs))
                        {
                            case Type t:
                                found.Add(t);
                                break;
                            case MethodBase m:
                                found.Add(m.DeclaringType!);
                                if (m is MethodInfo mi)
                                {
                                    found.Add(mi.ReturnType);
                                    found.AddRange(mi.IsGenericMethod ? mi.GetGenericArguments() : []);
                                }

                                found.AddRange(m.GetParameters().Select(p => p.ParameterType));
                                break;
                            case FieldInfo f:
                                found.Add(f.DeclaringType!);
                                found.Add(f.FieldType);
                                break;
                        }
                    }
                    catch (Exception ex) when (ex is ArgumentException or BadImageFormatException or TypeLoadException or FileNotFoundException)
                    {
                        unresolved.Add($"{method.DeclaringType}.{method.Name}: token 0x{token:X8} ({ex.GetType().Name})");
                    }

                    at += 4;
                    break;
                case OperandType.InlineSwitch:
                    at += 4 + (4 * BitConverter.ToInt32(il, at));
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    at += 8;
                    break;
                case OperandType.InlineBrTarget or OperandType.InlineI or OperandType.InlineSig or OperandType.InlineString or OperandType.ShortInlineR:
                    at += 4;
                    break;
                case OperandType.InlineVar:
                    at += 2;
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    at += 1;
                    break;
            }
        }

        return found;
    }

    /// <summary>A cycle as the path that closes it, or null: depth-first, colouring nodes on the current path.</summary>
    private static List<string>? FindCycle(Dictionary<string, SortedSet<string>> graph)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        var path = new List<string>();

        List<string>? Visit(string node)
        {
            if (path.IndexOf(node) is var open and >= 0)
            {
                return [.. path.Skip(open), node];
            }

            if (!done.Add(node))
            {
                return null;
            }

            path.Add(node);
            foreach (var next in graph.GetValueOrDefault(node) ?? [])
            {
                if (Visit(next) is { } cycle)
                {
                    return cycle;
                }
            }

            path.RemoveAt(path.Count - 1);
            return null;
        }

        return graph.Keys.Order(StringComparer.Ordinal).Select(Visit).FirstOrDefault(c => c is not null);
    }

    private static string Describe(Dictionary<string, SortedSet<string>> graph) =>
        string.Join("\n", graph.OrderBy(n => n.Key, StringComparer.Ordinal).Select(n => $"{n.Key} -> {string.Join(", ", n.Value)}"));
}
