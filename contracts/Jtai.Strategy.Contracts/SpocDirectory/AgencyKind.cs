namespace Jtai.Strategy.Contracts.SpocDirectory;

/// <summary>What kind of partner an agency is; drives invitee suggestions and metrics grouping.</summary>
public enum AgencyKind
{
    Police,
    Health,
    SocialCare,
    Probation,
    Education,
    Gp,
    YouthJustice,
    MentalHealth,
    SubstanceMisuse,
    Advocacy,
    DomesticAbuse,
    Other,
}
