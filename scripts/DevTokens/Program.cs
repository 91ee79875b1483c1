using Jtai.Strategy.BuildingBlocks.Security;

// Usage: dev-token --role Administrator [--role Masdg] [--agency DURHAM-POLICE] [--team FF-EASINGTON]
//                  [--subject alice] [--name "Alice Admin"] [--email alice@durham.example] [--hours 8]
// Prints a JWT signed with the development key (Auth:DevelopmentSigningKey, or JTAI_DEV_SIGNING_KEY).
var roles = new List<string>();
string? agency = null, team = null, subject = null, name = null, email = null;
var hours = 8.0;
for (var i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    switch (args[i])
    {
        case "--role": roles.Add(Next()); break;
        case "--agency": agency = Next(); break;
        case "--team": team = Next(); break;
        case "--subject": subject = Next(); break;
        case "--name": name = Next(); break;
        case "--email": email = Next(); break;
        case "--hours": hours = double.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
        default:
            Console.Error.WriteLine($"Unknown argument {args[i]}. Roles: {string.Join(", ", JtaiRoles.All)}.");
            return 2;
    }
}

var unknown = roles.Where(r => !JtaiRoles.All.Contains(r)).ToList();
if (roles.Count == 0 || unknown.Count > 0)
{
    Console.Error.WriteLine($"Give at least one --role from: {string.Join(", ", JtaiRoles.All)}.");
    return 2;
}

if (roles.Contains(JtaiRoles.Spoc) && agency is null)
{
    Console.Error.WriteLine("A Spoc token needs --agency CODE (the agency the SPOC acts for).");
    return 2;
}

var key = Environment.GetEnvironmentVariable("JTAI_DEV_SIGNING_KEY") ?? DevelopmentTokens.DevelopmentSigningKey;
Console.WriteLine(DevelopmentTokens.Mint(subject ?? $"dev-{roles[0].ToLowerInvariant()}", roles, agency, team, name, TimeSpan.FromHours(hours), key, email: email));
return 0;
