// Types whose only purpose is to be read by NamespaceGraph's own tests: each namespace references the next in exactly
// one way.
namespace Pipeline.Infra.Tests.Layering.Fixtures.Callee
{
    /// <summary>Referenced from a method body only, and in a cycle with <c>Cyclic</c>.</summary>
    public sealed class Target
    {
        /// <summary>The reference back to <c>Cyclic</c>.</summary>
        public Cyclic.Back? Back { get; init; }
    }
}

namespace Pipeline.Infra.Tests.Layering.Fixtures.Cyclic
{
    /// <summary>Names <c>Callee</c> in a private field's type.</summary>
    public sealed class Back(Callee.Target? target)
    {
        private readonly Callee.Target? target = target;

        /// <summary>Whether a target was given.</summary>
        public bool HasTarget => target is not null;
    }
}

namespace Pipeline.Infra.Tests.Layering.Fixtures.Caller
{
    /// <summary>Names <c>Callee</c> only inside a method body.</summary>
    public static class Calls
    {
        /// <summary>Creates a target and keeps only its hash code.</summary>
        public static int Describe() => new Callee.Target().GetHashCode();
    }
}

namespace Pipeline.Infra.Tests.Layering.Fixtures.Attributed
{
    /// <summary>An attribute that takes a type.</summary>
    [AttributeUsage(AttributeTargets.Class)]
    public sealed class NamesTypeAttribute(Type type) : Attribute
    {
        /// <summary>The type named.</summary>
        public Type Type { get; } = type;
    }

    /// <summary>Names <c>Caller</c> only in an attribute's <c>typeof</c> argument.</summary>
    [NamesType(typeof(Caller.Calls))]
    public sealed class Annotated;
}
