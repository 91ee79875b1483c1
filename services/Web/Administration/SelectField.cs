namespace Jtai.Strategy.Web.Administration;

/// <summary>One GOV.UK select of an administrator's form: its options as (value, words), the first one a prompt when Prompt is set.</summary>
public sealed record SelectField(string Id, string Name, string Label, string? Value, string? Error, IReadOnlyList<(string Value, string Words)> Options, string? Prompt = null, string? Hint = null);
