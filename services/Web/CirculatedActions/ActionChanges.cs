using System.Globalization;
using Jtai.Strategy.Web.Apis;

namespace Jtai.Strategy.Web.CirculatedActions;

/// <summary>How one agreed action differs between a version and the one before it.</summary>
public sealed record ActionChange(int Number, string Kind, string Text);

/// <summary>
/// What an amendment changed, action by action. The meetings service keeps each version's complete, numbered list
/// (an amendment sends the whole list again), not a list of edits, so the page compares the two lists by number:
/// an action only in the new list was added, only in the old one removed, in both with another description, owner,
/// due date or status changed.
/// </summary>
public static class ActionChanges
{
    public static IReadOnlyList<ActionChange> Between(IReadOnlyList<RecordedAction> before, IReadOnlyList<RecordedAction> after)
    {
        var old = before.ToDictionary(a => a.Number);
        var now = after.ToDictionary(a => a.Number);
        var changes = new List<ActionChange>();
        foreach (var number in old.Keys.Union(now.Keys).Order())
        {
            var was = old.GetValueOrDefault(number);
            var @is = now.GetValueOrDefault(number);
            if (was is null)
            {
                changes.Add(new(number, "Added", Describe(@is!)));
            }
            else if (@is is null)
            {
                changes.Add(new(number, "Removed", Describe(was)));
            }
            else if (was != @is)
            {
                var parts = new List<string>();
                if (was.Description != @is.Description)
                {
                    parts.Add($"what: “{was.Description}” is now “{@is.Description}”");
                }

                if (was.OwnerAgencyCode != @is.OwnerAgencyCode)
                {
                    parts.Add($"owner: {was.OwnerAgencyCode} is now {@is.OwnerAgencyCode}");
                }

                if (was.DueDate != @is.DueDate)
                {
                    parts.Add($"due: {Date(was.DueDate)} is now {Date(@is.DueDate)}");
                }

                if (was.Status != @is.Status)
                {
                    parts.Add($"status: {StatusText(was.Status)} is now {StatusText(@is.Status)}");
                }

                changes.Add(new(number, "Changed", string.Join("; ", parts)));
            }
        }

        return changes;
    }

    public static string Date(DateOnly date) => date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    public static string StatusText(string status) => status switch
    {
        "Open" => "open",
        "InProgress" => "in progress",
        "Completed" => "completed",
        "Cancelled" => "cancelled",
        _ => status,
    };

    private static string Describe(RecordedAction action) => $"{action.Description} ({action.OwnerAgencyCode}, by {Date(action.DueDate)})";
}
