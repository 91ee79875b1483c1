namespace Jtai.Strategy.Contracts.Meetings;

/// <summary>How an invited agency answered.</summary>
public enum InvitationAnswer
{
    AttendInPerson,
    AttendByDialIn,
    ContributeInWriting,
    Decline,
}

/// <summary>Why an invitation went to this recipient.</summary>
public enum RecipientRole
{
    /// <summary>The first available SPOC in rank order.</summary>
    Primary,

    /// <summary>Those ranked above are on cover.</summary>
    DeputyCoveringAbsence,

    /// <summary>The previous recipient did not answer in time, or could not be reached.</summary>
    DeputyAfterEscalation,
}

public enum SupersededReason
{
    NoAnswer,
    DeliveryFailed,
    Rescheduled,
    Cancelled,
}

/// <summary>What happened for one agency at the meeting.</summary>
public enum AttendanceMode
{
    AttendedInPerson,
    AttendedByDialIn,
    WrittenContributionOnly,
    Absent,
}
