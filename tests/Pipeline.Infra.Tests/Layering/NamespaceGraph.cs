using System.Collections.Immutable;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Pipeline.Infra.Tests.Layering;

/// <summary>
/// The dependencies between the namespaces of one compiled assembly, read from its metadata: a namespace depends on
/// another when any of its types names one of the other's types in a base type, an interface, a generic constraint, a
/// field, a method, property or event signature, an attribute (constructor and <c>typeof</c> arguments) or a method body
/// (every token the IL uses: calls, fields, <c>newobj</c>, casts, <c>ldtoken</c>, locals, and the signatures of the members
/// it calls). Nested and compiler-generated types (closures, state machines) count for the namespace of their outermost
/// type. Constants are the one blind spot: the compiler copies their values into the caller, leaving no reference.
/// </summary>
public sealed class NamespaceGraph
{
    private NamespaceGraph(IReadOnlySet<string> namespaces, IReadOnlySet<(string From, string To)> edges)
    {
        Namespaces = namespaces;
        Edges = edges;
    }

    /// <summary>Every namespace under the root that defines a type.</summary>
    public IReadOnlySet<string> Namespaces { get; }

    /// <summary>Every dependency between two different namespaces.</summary>
    public IReadOnlySet<(string From, string To)> Edges { get; }

    /// <summary>The graph as text: one <c>A -> B</c> line per edge, sorted ordinally.</summary>
    public string Format() => string.Concat(Edges.Select(e => $"{e.From} -> {e.To}\n").Order(StringComparer.Ordinal));

    /// <summary>The namespaces <paramref name="from"/> depends on directly.</summary>
    public IEnumerable<string> DependenciesOf(string from) => Edges.Where(e => e.From == from).Select(e => e.To);

    /// <summary>Reads the graph of the namespaces named <paramref name="root"/> or starting with it and a dot.</summary>
    public static NamespaceGraph Read(string assemblyPath, string root)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var scanner = new Scanner(reader, pe, root);
        return scanner.Scan();
    }

    /// <summary>
    /// Cycles enough to name every namespace that is on one: for each such namespace the shortest closed path through it
    /// (the first namespace repeated at the end), rotated to start at its ordinally least namespace, without duplicates,
    /// in ordinal order.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        var cycles = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var component in StronglyConnectedComponents().Where(c => c.Count > 1))
        {
            foreach (var start in component)
            {
                var path = PathBack(start, component);
                var least = path.IndexOf(path.Min(StringComparer.Ordinal)!);
                List<string> rotated = [.. path.Skip(least).Take(path.Count - 1 - least), .. path.Take(least + 1)];
                cycles.TryAdd(string.Join(" -> ", rotated), rotated);
            }
        }

        return [.. cycles.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => c.Value)];
    }

    // Shortest path from start back to itself inside the component (breadth first, neighbours in ordinal order).
    private List<string> PathBack(string start, IReadOnlySet<string> component)
    {
        var previous = new Dictionary<string, string>(StringComparer.Ordinal);
        var queue = new Queue<string>();
        queue.Enqueue(start);
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            foreach (var next in DependenciesOf(node).Where(component.Contains).Order(StringComparer.Ordinal))
            {
                if (next == start)
                {
                    var path = new List<string> { start };
                    for (var at = node; at != start; at = previous[at])
                    {
                        path.Add(at);
                    }

                    path.Add(start);
                    path.Reverse();
                    return path;
                }

                if (previous.TryAdd(next, node))
                {
                    queue.Enqueue(next);
                }
            }
        }

        throw new InvalidOperationException($"{start} is in a strongly connected component but on no cycle.");
    }

    // Tarjan's algorithm.
    private List<HashSet<string>> StronglyConnectedComponents()
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var components = new List<HashSet<string>>();

        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            onStack.Add(node);
            foreach (var next in DependenciesOf(node))
            {
                if (!index.TryGetValue(next, out var visited))
                {
                    Visit(next);
                    low[node] = Math.Min(low[node], low[next]);
                }
                else if (onStack.Contains(next))
                {
                    low[node] = Math.Min(low[node], visited);
                }
            }

            if (low[node] == index[node])
            {
                var component = new HashSet<string>(StringComparer.Ordinal);
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component.Add(member);
                }
                while (member != node);
                components.Add(component);
            }
        }

        foreach (var node in Namespaces.Order(StringComparer.Ordinal).Where(n => !index.ContainsKey(n)))
        {
            Visit(node);
        }

        return components;
    }

    /// <summary>The types a signature names, as the namespaces of those defined in the scanned assembly.</summary>
    private sealed record Refs(ImmutableArray<string> Namespaces, bool IsSystemType = false)
    {
        public static readonly Refs None = new([]);

        public static Refs Of(IEnumerable<Refs> parts) => new([.. parts.SelectMany(p => p.Namespaces)]);
    }

    private sealed class Scanner(MetadataReader reader, PEReader pe, string root)
        : ISignatureTypeProvider<Refs, object?>, ICustomAttributeTypeProvider<Refs>
    {
        private static readonly Dictionary<ushort, OperandType> OperandTypes = typeof(OpCodes).GetFields()
            .Select(field => (OpCode)field.GetValue(null)!)
            .ToDictionary(code => unchecked((ushort)code.Value), code => code.OperandType);

        private readonly HashSet<(string, string)> edges = [];
        private readonly HashSet<string> namespaces = new(StringComparer.Ordinal);
        private readonly string assemblyName = reader.GetString(reader.GetAssemblyDefinition().Name);

        public NamespaceGraph Scan()
        {
            foreach (var handle in reader.TypeDefinitions)
            {
                if (NamespaceOf(handle) is { } from)
                {
                    namespaces.Add(from);
                    ScanType(from, handle);
                }
            }

            return new NamespaceGraph(namespaces, edges);
        }

        private bool IsScanned(string ns) => ns == root || ns.StartsWith(root + ".", StringComparison.Ordinal);

        // The namespace of the outermost declaring type, or null outside the root.
        private string? NamespaceOf(TypeDefinitionHandle handle)
        {
            var type = reader.GetTypeDefinition(handle);
            while (type.IsNested)
            {
                type = reader.GetTypeDefinition(type.GetDeclaringType());
            }

            var ns = reader.GetString(type.Namespace);
            return IsScanned(ns) ? ns : null;
        }

        private void Add(string from, Refs refs)
        {
            foreach (var to in refs.Namespaces.Where(to => to != from))
            {
                edges.Add((from, to));
            }
        }

        private void ScanType(string from, TypeDefinitionHandle handle)
        {
            var type = reader.GetTypeDefinition(handle);
            if (!type.BaseType.IsNil)
            {
                Add(from, TypeOf(type.BaseType));
            }

            foreach (var implementation in type.GetInterfaceImplementations())
            {
                var interfaceImplementation = reader.GetInterfaceImplementation(implementation);
                Add(from, TypeOf(interfaceImplementation.Interface));
                ScanAttributes(from, interfaceImplementation.GetCustomAttributes());
            }

            ScanAttributes(from, type.GetCustomAttributes());
            ScanGenericParameters(from, type.GetGenericParameters());
            foreach (var fieldHandle in type.GetFields())
            {
                var field = reader.GetFieldDefinition(fieldHandle);
                Add(from, field.DecodeSignature(this, null));
                ScanAttributes(from, field.GetCustomAttributes());
            }

            foreach (var propertyHandle in type.GetProperties())
            {
                var property = reader.GetPropertyDefinition(propertyHandle);
                Add(from, Of(property.DecodeSignature(this, null)));
                ScanAttributes(from, property.GetCustomAttributes());
            }

            foreach (var eventHandle in type.GetEvents())
            {
                var definition = reader.GetEventDefinition(eventHandle);
                Add(from, TypeOf(definition.Type));
                ScanAttributes(from, definition.GetCustomAttributes());
            }

            foreach (var methodHandle in type.GetMethods())
            {
                ScanMethod(from, reader.GetMethodDefinition(methodHandle));
            }
        }

        private void ScanMethod(string from, MethodDefinition method)
        {
            Add(from, Of(method.DecodeSignature(this, null)));
            ScanAttributes(from, method.GetCustomAttributes());
            ScanGenericParameters(from, method.GetGenericParameters());
            foreach (var parameter in method.GetParameters())
            {
                ScanAttributes(from, reader.GetParameter(parameter).GetCustomAttributes());
            }

            if (method.RelativeVirtualAddress == 0)
            {
                return;
            }

            var body = pe.GetMethodBody(method.RelativeVirtualAddress);
            if (!body.LocalSignature.IsNil)
            {
                var locals = reader.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(this, null);
                Add(from, Refs.Of(locals));
            }

            foreach (var region in body.ExceptionRegions.Where(r => !r.CatchType.IsNil))
            {
                Add(from, TypeOf(region.CatchType));
            }

            var il = body.GetILReader();
            while (il.RemainingBytes > 0)
            {
                ushort code = il.ReadByte();
                if (code == 0xFE)
                {
                    code = (ushort)(0xFE00 | il.ReadByte());
                }

                switch (OperandTypes[code])
                {
                    case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineSig or OperandType.InlineTok or OperandType.InlineType:
                        Add(from, EntityOf(MetadataTokens.EntityHandle(il.ReadInt32())));
                        break;
                    case OperandType.InlineNone:
                        break;
                    case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                        il.Offset += 1;
                        break;
                    case OperandType.InlineVar:
                        il.Offset += 2;
                        break;
                    case OperandType.InlineI8 or OperandType.InlineR:
                        il.Offset += 8;
                        break;
                    case OperandType.InlineSwitch:
                        il.Offset += 4 * il.ReadInt32();
                        break;
                    default:
                        il.Offset += 4;
                        break;
                }
            }
        }

        private void ScanGenericParameters(string from, GenericParameterHandleCollection parameters)
        {
            foreach (var parameterHandle in parameters)
            {
                var parameter = reader.GetGenericParameter(parameterHandle);
                ScanAttributes(from, parameter.GetCustomAttributes());
                foreach (var constraint in parameter.GetConstraints())
                {
                    Add(from, TypeOf(reader.GetGenericParameterConstraint(constraint).Type));
                }
            }
        }

        private void ScanAttributes(string from, CustomAttributeHandleCollection attributes)
        {
            foreach (var attributeHandle in attributes)
            {
                var attribute = reader.GetCustomAttribute(attributeHandle);
                Add(from, EntityOf(attribute.Constructor));
                var value = attribute.DecodeValue(this);
                Add(from, Refs.Of([.. value.FixedArguments.Select(ArgumentRefs), .. value.NamedArguments.Select(a => ArgumentRefs(new CustomAttributeTypedArgument<Refs>(a.Type, a.Value)))]));
            }
        }

        // A typeof(...) argument decodes to the named type's Refs; arrays of arguments hold further arguments.
        private static Refs ArgumentRefs(CustomAttributeTypedArgument<Refs> argument) => argument.Value switch
        {
            Refs named => named,
            ImmutableArray<CustomAttributeTypedArgument<Refs>> items => Refs.Of(items.Select(ArgumentRefs)),
            _ => Refs.None,
        };

        // What a token of a method body, or an attribute's constructor, names: the member's type and signature.
        private Refs EntityOf(EntityHandle handle)
        {
            switch (handle.Kind)
            {
                case HandleKind.TypeDefinition or HandleKind.TypeReference or HandleKind.TypeSpecification:
                    return TypeOf(handle);
                case HandleKind.MethodDefinition:
                    var method = reader.GetMethodDefinition((MethodDefinitionHandle)handle);
                    return Refs.Of([TypeOf(method.GetDeclaringType()), Of(method.DecodeSignature(this, null))]);
                case HandleKind.FieldDefinition:
                    var field = reader.GetFieldDefinition((FieldDefinitionHandle)handle);
                    return Refs.Of([TypeOf(field.GetDeclaringType()), field.DecodeSignature(this, null)]);
                case HandleKind.MemberReference:
                    var member = reader.GetMemberReference((MemberReferenceHandle)handle);
                    var parent = member.Parent.Kind is HandleKind.TypeDefinition or HandleKind.TypeReference or HandleKind.TypeSpecification or HandleKind.MethodDefinition
                        ? EntityOf(member.Parent)
                        : Refs.None;
                    var signature = member.GetKind() == MemberReferenceKind.Method
                        ? Of(member.DecodeMethodSignature(this, null))
                        : member.DecodeFieldSignature(this, null);
                    return Refs.Of([parent, signature]);
                case HandleKind.MethodSpecification:
                    var specification = reader.GetMethodSpecification((MethodSpecificationHandle)handle);
                    return Refs.Of([EntityOf(specification.Method), .. specification.DecodeSignature(this, null)]);
                case HandleKind.StandaloneSignature:
                    var standalone = reader.GetStandaloneSignature((StandaloneSignatureHandle)handle);
                    return standalone.GetKind() == StandaloneSignatureKind.Method
                        ? Of(standalone.DecodeMethodSignature(this, null))
                        : Refs.Of(standalone.DecodeLocalSignature(this, null));
                default:
                    throw new InvalidOperationException($"Unexpected token kind {handle.Kind}.");
            }
        }

        private Refs TypeOf(EntityHandle handle) => handle.Kind switch
        {
            HandleKind.TypeDefinition => GetTypeFromDefinition(reader, (TypeDefinitionHandle)handle, 0),
            HandleKind.TypeReference => GetTypeFromReference(reader, (TypeReferenceHandle)handle, 0),
            HandleKind.TypeSpecification => GetTypeFromSpecification(reader, null, (TypeSpecificationHandle)handle, 0),
            _ => throw new InvalidOperationException($"Unexpected type token kind {handle.Kind}."),
        };

        private static Refs Of(MethodSignature<Refs> signature) => Refs.Of([signature.ReturnType, .. signature.ParameterTypes]);

        public Refs GetTypeFromDefinition(MetadataReader metadata, TypeDefinitionHandle handle, byte rawTypeKind) =>
            NamespaceOf(handle) is { } ns ? new Refs([ns]) : Refs.None;

        public Refs GetTypeFromReference(MetadataReader metadata, TypeReferenceHandle handle, byte rawTypeKind)
        {
            var type = metadata.GetTypeReference(handle);
            return metadata.StringComparer.Equals(type.Namespace, "System") && metadata.StringComparer.Equals(type.Name, "Type")
                ? GetSystemType()
                : Refs.None;
        }

        public Refs GetTypeFromSpecification(MetadataReader metadata, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            metadata.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

        public Refs GetGenericInstantiation(Refs genericType, ImmutableArray<Refs> typeArguments) => Refs.Of([genericType, .. typeArguments]);

        public Refs GetArrayType(Refs elementType, ArrayShape shape) => elementType;

        public Refs GetSZArrayType(Refs elementType) => elementType;

        public Refs GetByReferenceType(Refs elementType) => elementType;

        public Refs GetPointerType(Refs elementType) => elementType;

        public Refs GetPinnedType(Refs elementType) => elementType;

        public Refs GetModifiedType(Refs modifier, Refs unmodifiedType, bool isRequired) => Refs.Of([modifier, unmodifiedType]);

        public Refs GetFunctionPointerType(MethodSignature<Refs> signature) => Of(signature);

        public Refs GetGenericMethodParameter(object? genericContext, int index) => Refs.None;

        public Refs GetGenericTypeParameter(object? genericContext, int index) => Refs.None;

        public Refs GetPrimitiveType(PrimitiveTypeCode typeCode) => Refs.None;

        public Refs GetSystemType() => new([], IsSystemType: true);

        public bool IsSystemType(Refs type) => type.IsSystemType;

        // Every enum an attribute of these assemblies takes is int-backed (the BCL's and the compiler's attributes).
        public PrimitiveTypeCode GetUnderlyingEnumType(Refs type) => PrimitiveTypeCode.Int32;

        // "Namespace.Type+Nested, Assembly, ..." for a typeof(...) argument.
        public Refs GetTypeFromSerializedName(string name)
        {
            var parts = name.Split(',', 2, StringSplitOptions.TrimEntries);
            if (parts.Length == 2 && !parts[1].StartsWith(assemblyName + ",", StringComparison.Ordinal) && parts[1] != assemblyName)
            {
                return Refs.None;
            }

            var outer = parts[0].Split('+')[0];
            var dot = outer.LastIndexOf('.');
            var ns = dot < 0 ? string.Empty : outer[..dot];
            return IsScanned(ns) ? new Refs([ns]) : Refs.None;
        }
    }
}
