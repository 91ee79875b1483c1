namespace Jtai.Strategy.Web.Administration;

/// <summary>One text input of an administrator's form.</summary>
public sealed record TextField(string Id, string Name, string Label, string? Value, string? Error, string? Hint = null, string Type = "text", string? Width = null, string Autocomplete = "off");
