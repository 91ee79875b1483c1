using System.Reflection;

namespace Jtai.Strategy.Contracts;

/// <summary>The assembly of every message the services exchange, as a service names it when it adds messaging.</summary>
public static class MessageContracts
{
    public static Assembly Assembly { get; } = typeof(MessageContracts).Assembly;
}
