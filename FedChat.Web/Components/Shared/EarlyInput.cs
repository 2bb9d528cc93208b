using Microsoft.JSInterop;

namespace FedChat.Web.Components.Shared;

/// <summary>
/// What <c>fedchat.takeEarlyInput</c> (wwwroot/js/fedchat.js) answers: the values typed into boxes marked
/// <c>data-keep-early</c> before the page was live, by element id, and the id of the box that had the focus.
/// Going live, Blazor draws those boxes again, empty; <see cref="TakeBackAsync"/> puts it all back.
/// </summary>
/// <param name="Values">The values by element id.</param>
/// <param name="Focused">The id of the element that had the focus, or null.</param>
public sealed record EarlyInput(Dictionary<string, string> Values, string? Focused)
{
    /// <summary>
    /// Hands what was typed into <paramref name="elementId"/> before the page was live to <paramref name="keep"/>
    /// (if anything was), then gives the focus back to the box that had it. Call it once, after the first live render.
    /// </summary>
    public static async Task TakeBackAsync(IJSRuntime js, string elementId, Action<string> keep)
    {
        var early = await js.InvokeAsync<EarlyInput?>("fedchat.takeEarlyInput", new object[] { new[] { elementId } });
        if (early is null)
        {
            return;
        }
        if (early.Values.TryGetValue(elementId, out var typed) && typed.Length > 0)
        {
            keep(typed);
        }
        if (early.Focused is { } id)
        {
            await js.InvokeVoidAsync("fedchat.focus", id);
        }
    }
}
