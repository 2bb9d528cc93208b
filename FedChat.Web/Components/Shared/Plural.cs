namespace FedChat.Web.Components.Shared;

/// <summary>English singular or plural by count, so pages say "1 follower" and "2 followers", never "1 follower(s)".</summary>
public static class Plural
{
    /// <summary>Picks <paramref name="one"/> for a count of 1, <paramref name="many"/> otherwise (0 followers, 2 followers).</summary>
    /// <param name="count">How many.</param>
    /// <param name="one">The word for one.</param>
    /// <param name="many">The word for any other number.</param>
    /// <returns>The word to use after the number.</returns>
    public static string Of(int count, string one, string many) => count == 1 ? one : many;
}
