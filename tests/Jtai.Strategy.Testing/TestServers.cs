namespace Jtai.Strategy.Testing;

/// <summary>Where the real test servers are: the environment (see docs/conventions.md), else the private loopback defaults.</summary>
public static class TestServers
{
    public static string Postgres =>
        Environment.GetEnvironmentVariable("ConnectionStrings__Postgres") ?? "Host=127.0.0.1;Port=27432;Username=jtai;Password=jtai-dev;Database=jtai";

    public static string RabbitMq =>
        Environment.GetEnvironmentVariable("ConnectionStrings__RabbitMq") ?? "amqp://guest:guest@127.0.0.1:27672/";

    public static Uri RabbitMqManagement =>
        new(Environment.GetEnvironmentVariable("JTAI_RABBITMQ_MANAGEMENT") ?? "http://guest:guest@127.0.0.1:27673");
}
