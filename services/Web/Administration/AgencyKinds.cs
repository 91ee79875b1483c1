namespace Jtai.Strategy.Web.Administration;

/// <summary>The directory's kinds of agency (its API's names) in the administrator's words, in the order the form lists them.</summary>
public static class AgencyKinds
{
    public static IReadOnlyList<(string Value, string Words)> All { get; } =
    [
        ("Police", "Police"),
        ("Health", "Health"),
        ("SocialCare", "Social care"),
        ("Probation", "Probation"),
        ("Education", "Education"),
        ("Gp", "GP practice"),
        ("YouthJustice", "Youth justice"),
        ("MentalHealth", "Mental health"),
        ("SubstanceMisuse", "Substance misuse"),
        ("Advocacy", "Advocacy"),
        ("DomesticAbuse", "Domestic abuse"),
        ("Other", "Other"),
    ];

    public static string WordsFor(string kind) => All.FirstOrDefault(k => k.Value == kind).Words ?? kind;

    /// <summary>A kind the form did not offer goes as missing, so the directory's "kind is required" speaks for it.</summary>
    public static string? Known(string? kind) => All.Any(k => k.Value == kind) ? kind : null;
}
