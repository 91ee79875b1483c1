using Jtai.Strategy.BuildingBlocks.Messaging;
using Jtai.Strategy.BuildingBlocks.Persistence;
using Jtai.Strategy.BuildingBlocks.Telemetry;
using Jtai.Strategy.BuildingBlocks.Text;

namespace Jtai.Strategy.BuildingBlocks.Tests;

public sealed class UnitTests
{
    [Theory]
    [InlineData("/respond/AQID.BAUG", "/respond/[redacted]")]
    [InlineData("https://meetings.test/respond/AQID.BAUG?x=1#top", "https://meetings.test/respond/[redacted]?x=1#top")]
    [InlineData("Request starting HTTP/1.1 GET http://h/respond/AQID.BAUG - -", "Request starting HTTP/1.1 GET http://h/respond/[redacted] - -")]
    [InlineData("GET /ANSWER/AQID.BAUG and /respond/x.y/extra", "GET /ANSWER/[redacted] and /respond/[redacted]/extra")]
    [InlineData("/respond/[redacted]", "/respond/[redacted]")]
    [InlineData("/api/invitations/5f1c/answer", "/api/invitations/5f1c/answer")]
    [InlineData("/respond/{token}", "/respond/[redacted]")]
    public void Secret_path_segments_are_redacted_wherever_they_appear(string text, string expected) => Assert.Equal(expected, SecretPaths.Redact(text));

    [Theory]
    [InlineData("SequenceNumber", "sequence_number")]
    [InlineData("MessageId", "message_id")]
    [InlineData("AgencyCode", "agency_code")]
    [InlineData("PK_Outbox", "pk_outbox")]
    [InlineData("HTTPStatus", "http_status")]
    [InlineData("Section47Date", "section47_date")]
    [InlineData("id", "id")]
    public void Names_map_to_snake_case(string name, string expected) => Assert.Equal(expected, ServiceDbContext.ToSnakeCase(name));

    [Fact]
    public void Broker_address_reads_credentials_port_and_virtual_host()
    {
        var address = BrokerAddress.Parse("amqp://user%40x:p%3Ass@broker.local:5673/test-vhost");

        Assert.Equal(new BrokerAddress("broker.local", 5673, "test-vhost", "user@x", "p:ss"), address);
        Assert.Equal(address, BrokerAddress.Parse(address.ToUri().ToString()));
        Assert.Equal("/", BrokerAddress.Parse("amqp://h/").VirtualHost);
        Assert.Throws<FormatException>(() => BrokerAddress.Parse("http://h/"));
    }

    [Fact]
    public void Broker_address_reads_a_clusters_nodes_in_order()
    {
        var address = BrokerAddress.Parse("amqp://meetings:pa%2Css@127.0.0.1:21672,127.0.0.1:21682,node3.local/jtai");

        Assert.True(address.IsCluster);
        Assert.Equal(("127.0.0.1", (ushort)21672, "jtai", "meetings", "pa,ss"), (address.Host, address.Port, address.VirtualHost, address.Username, address.Password));
        Assert.Equal([new BrokerNode("127.0.0.1", 21672), new BrokerNode("127.0.0.1", 21682), new BrokerNode("node3.local", 5672)], address.Nodes);
        Assert.Equal(address, BrokerAddress.Parse(address.ToConnectionString()));
        Assert.NotEqual(address, address with { OtherNodes = [] });
        Assert.Throws<InvalidOperationException>(() => address.ToUri());
        Assert.False(BrokerAddress.Parse("amqp://h:1/").IsCluster);
        Assert.ThrowsAny<FormatException>(() => BrokerAddress.Parse("amqp://u:p@h1:1,h2:port/"));
    }

    [Fact]
    public void Csv_reads_quoted_fields_with_commas_quotes_and_line_breaks()
    {
        var records = Csv.Parse(new StringReader("a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n,,\n"));

        Assert.Equal(3, records.Count);
        Assert.Equal(["x, y", "say \"hi\"", "two\nlines"], records[1]);
        Assert.Equal(["", "", ""], records[2]);
        Assert.Throws<FormatException>(() => Csv.Parse(new StringReader("\"open")));
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    public void Csv_escapes_what_needs_quoting(string value, string expected) => Assert.Equal(expected, Csv.Escape(value));

    [Theory]
    [InlineData("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"")]
    [InlineData("+SUM(A1)", "'+SUM(A1)")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@cmd", "'@cmd")]
    [InlineData("\tx", "'\tx")]
    [InlineData("-3", "-3")]
    [InlineData("+0.5", "+0.5")]
    [InlineData("", "")]
    public void Csv_defuses_what_a_spreadsheet_would_run_as_a_formula_but_not_plain_numbers(string value, string expected) =>
        Assert.Equal(expected, Csv.Escape(value));

    [Fact]
    public void Csv_writer_writes_a_header_and_rows_that_read_back_the_same()
    {
        var text = new CsvWriter("a", "b").Row("x, y", null).Row("=1+1", "-7").ToString();

        Assert.EndsWith("\r\n", text);
        Assert.Equal([["a", "b"], ["x, y", ""], ["'=1+1", "-7"]], Csv.Parse(new StringReader(text)));
    }

    [Fact]
    public void Schema_names_must_be_plain_identifiers()
    {
        Assert.Throws<ArgumentException>(() => new SchemaSql("bad; DROP TABLE x"));
        Assert.Throws<ArgumentException>(() => new SchemaSql("Upper"));
        Assert.Equal("fine_1", new SchemaSql("fine_1").Schema);
    }
}

public sealed class TransientFailureTests
{
    public static TheoryData<Exception, bool> Classified => new()
    {
        { new TimeoutException(), true },
        { new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused), true },
        { new Npgsql.NpgsqlException("connect failed", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused)), true },
        { new Npgsql.PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", "57P01"), true },
        { new Npgsql.PostgresException("the database system is starting up", "FATAL", "FATAL", "57P03"), true },
        { new Npgsql.PostgresException("connection failure", "FATAL", "FATAL", "08006"), true },
        // A failover: a write on a server that became (or still is) a standby; no host of a multi-host string answered.
        { new Npgsql.PostgresException("cannot execute INSERT in a read-only transaction", "ERROR", "ERROR", "25006"), true },
        { new Npgsql.NpgsqlException("Unable to connect to a suitable host.", new AggregateException(
            new Npgsql.NpgsqlException("connect failed", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused)),
            new Npgsql.NpgsqlException("connect failed", new TimeoutException()))), true },
        { new Microsoft.EntityFrameworkCore.Storage.RetryLimitExceededException("gave up", new Npgsql.NpgsqlException("x", new TimeoutException())), true },
        { new Microsoft.EntityFrameworkCore.DbUpdateException("save failed", new Npgsql.PostgresException("x", "FATAL", "FATAL", "57P02")), true },
        { new RabbitMQ.Client.Exceptions.BrokerUnreachableException(new System.Net.Sockets.SocketException()), true },
        { new Npgsql.PostgresException("duplicate key", "ERROR", "ERROR", "23505"), false },
        { new Microsoft.EntityFrameworkCore.DbUpdateException("save failed", new Npgsql.PostgresException("x", "ERROR", "ERROR", "23503")), false },
        { new InvalidOperationException("Widget is unknown"), false },
        { new FormatException(), false },
    };

    [Theory]
    [MemberData(nameof(Classified))]
    public void Outages_are_transient_and_bugs_or_bad_data_are_not(Exception exception, bool transient) =>
        Assert.Equal(transient, Jtai.Strategy.BuildingBlocks.Resilience.TransientFailures.IsTransient(exception));

    [Fact]
    public async Task A_multi_host_connection_that_finds_no_primary_is_an_outage()
    {
        // Two closed ports: the first open fails on both hosts; the second, within the recheck time, skips both as
        // offline and finds no host at all, as during a failover before the standby is promoted.
        await using var dataSource = new Npgsql.NpgsqlDataSourceBuilder(
            "Host=127.0.0.1:1,127.0.0.1:2;Username=x;Password=x;Target Session Attributes=primary;Host Recheck Seconds=60;Timeout=2").Build();
        var first = await Assert.ThrowsAnyAsync<Npgsql.NpgsqlException>(async () => await (await dataSource.OpenConnectionAsync()).DisposeAsync());
        var second = await Assert.ThrowsAnyAsync<Npgsql.NpgsqlException>(async () => await (await dataSource.OpenConnectionAsync()).DisposeAsync());

        Assert.True(Jtai.Strategy.BuildingBlocks.Resilience.TransientFailures.IsDatabaseOutage(first), first.ToString());
        Assert.True(Jtai.Strategy.BuildingBlocks.Resilience.TransientFailures.IsDatabaseOutage(second), second.ToString());
    }

    [Fact]
    public void Only_database_outages_answer_503()
    {
        Assert.True(Jtai.Strategy.BuildingBlocks.Resilience.TransientFailures.IsDatabaseOutage(new Npgsql.NpgsqlException("x", new System.Net.Sockets.SocketException())));
        Assert.False(Jtai.Strategy.BuildingBlocks.Resilience.TransientFailures.IsDatabaseOutage(new TimeoutException()));
        Assert.False(Jtai.Strategy.BuildingBlocks.Resilience.TransientFailures.IsDatabaseOutage(new Npgsql.PostgresException("x", "ERROR", "ERROR", "40001")));
    }
}
