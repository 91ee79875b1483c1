namespace Jtai.Strategy.Meetings.Domain;

// Coded lists, so that thresholds, delays and refusals can be compared across teams (the inspectors
// found thresholds applied inconsistently) and so that what leaves the service is a code, never
// free text that might name a child. Each coded reason may carry text; the text stays in this service.

/// <summary>What the concern is about.</summary>
public enum ConcernCategory
{
    DomesticAbuse,
    PhysicalAbuse,
    SexualAbuse,
    EmotionalAbuse,
    Neglect,
    Exploitation,
    Other,
}

/// <summary>Why the section 47 threshold (potential risk of significant harm) is met.</summary>
public enum ThresholdReason
{
    InjuryOrHarmObserved,
    DisclosureByChild,
    RepeatIncidentsCumulativeRisk,
    RiskToUnbornChild,
    ParentalCapacityToProtect,
    ExploitationRisk,
    Other,
}

/// <summary>Why a manager decided not to convene a strategy meeting.</summary>
public enum NotConveneReason
{
    ThresholdNotMet,
    SingleAgencyAssessment,
    EarlyHelpOffered,
    ExistingPlanAddressesRisk,
    FurtherInformationNeeded,
    Other,
}

/// <summary>Why a meeting starts later than the convening limit after the decision.</summary>
public enum DelayReason
{
    PartnerAvailability,
    AwaitingInformation,
    WeekendOrBankHoliday,
    FamilyCircumstances,
    Other,
}

public enum RescheduleReason
{
    PartnerAvailability,
    NewInformation,
    BridgeUnavailable,
    Other,
}

public enum CancelReason
{
    ThresholdNoLongerMet,
    DuplicateMeeting,
    EnteredInError,
    ChildProtectionConferenceInstead,
    Other,
}

public enum DeclineReason
{
    NoInvolvementWithFamily,
    NoInformationHeld,
    NoOneAvailable,
    Other,
}

/// <summary>Why a manager removed a suggested agency.</summary>
public enum RemovalReason
{
    NoInvolvementWithFamily,
    InformationAlreadyShared,
    RepresentedByAnotherAgency,
    Other,
}

/// <summary>The child's age band: enough for suggesting invitees, never a date of birth.</summary>
public enum ChildAgeBand
{
    Unborn,
    UnderFive,
    FiveToTen,
    ElevenToFifteen,
    SixteenToSeventeen,
}
