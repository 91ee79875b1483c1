using Jtai.Strategy.Contracts.SpocDirectory;

namespace Jtai.Strategy.Meetings.Domain;

/// <summary>What the case says, in coded form: the inputs of the suggestion rules.</summary>
public sealed record CaseFacts(
    ChildAgeBand AgeBand,
    bool UnbornChild,
    bool AdultKnownToProbation,
    bool KnownToYos,
    bool GpPilot,
    string? ReferrerAgencyCode,
    ConcernCategory Concern);

/// <summary>An agency as the replica knows it.</summary>
public sealed record AgencyEntry(string Code, string Name, AgencyKind Kind, bool Active);
