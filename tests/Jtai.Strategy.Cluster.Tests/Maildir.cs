using MimeKit;

namespace Jtai.Strategy.Cluster.Tests;

/// <summary>An e-mail as the SMTP sink stored it: the headers the test matches on.</summary>
public sealed record SunkEmail(string MessageId, string Recipient, string Subject);

/// <summary>
/// Reads the SMTP sink's Maildir (aiosmtpd's Mailbox handler, started by scripts/infra.sh): each file once, its headers
/// only. The sink is shared by runs, so the test keeps only the e-mails to its own recipients.
/// </summary>
public sealed class Maildir(string root, Func<string, bool> ours)
{
    private readonly Dictionary<string, SunkEmail?> read = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<SunkEmail>> EmailsAsync()
    {
        foreach (var folder in new[] { "new", "cur" })
        {
            var directory = Path.Combine(root, folder);
            if (!Directory.Exists(directory))
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(directory))
            {
                var name = Path.GetFileName(file).Split(':')[0];
                if (read.ContainsKey(name))
                {
                    continue;
                }

                try
                {
                    await using var stream = File.OpenRead(file);
                    var headers = await HeaderList.LoadAsync(stream);
                    var to = headers[HeaderId.To] is { } value ? InternetAddressList.Parse(value).Mailboxes.FirstOrDefault()?.Address : null;
                    read[name] = to is not null && ours(to)
                        ? new SunkEmail(headers[HeaderId.MessageId] ?? string.Empty, to.ToLowerInvariant(), headers[HeaderId.Subject] ?? string.Empty)
                        : null;
                }
                catch (IOException)
                {
                    // Being written or moved: read on the next pass.
                }
            }
        }

        return [.. read.Values.OfType<SunkEmail>()];
    }
}
