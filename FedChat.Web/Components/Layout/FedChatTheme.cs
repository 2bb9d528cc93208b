using MudBlazor;

namespace FedChat.Web.Components.Layout;

/// <summary>
/// FedChat's colours and type, light and dark, for <c>MudThemeProvider</c>. Every text colour here
/// keeps a contrast of at least 4.5:1 on its background (WCAG AA), checked by the axe browser tests.
/// </summary>
public static class FedChatTheme
{
    /// <summary>The cookie that keeps this browser's choice ("light" or "dark").</summary>
    public const string CookieName = "fedchat-theme";

    /// <summary>The name of the cascading value that says whether the dark theme is on.</summary>
    public const string CascadeName = "DarkMode";

    /// <summary>Gets the theme.</summary>
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#3949ab",
            Secondary = "#00796b",
            Tertiary = "#6a1b9a",
            Success = "#2e7d32",
            Info = "#0277bd",
            Warning = "#8a5300",
            Error = "#c62828",
            AppbarBackground = "#283593",
            Background = "#f5f6fa",
            TextSecondary = "rgba(0,0,0,0.68)",
            DrawerBackground = "#ffffff",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#9fa8da",
            PrimaryContrastText = "#1a1a2e",
            Secondary = "#80cbc4",
            SecondaryContrastText = "#102020",
            Tertiary = "#ce93d8",
            Success = "#81c784",
            SuccessContrastText = "#102010",
            Info = "#81d4fa",
            InfoContrastText = "#0a1a24",
            Warning = "#ffb74d",
            WarningContrastText = "#241600",
            Error = "#ef9a9a",
            ErrorContrastText = "#2a0a0a",
            AppbarBackground = "#1e2233",
            Background = "#14161f",
            Surface = "#1e2130",
            DrawerBackground = "#1a1d2a",
            TextPrimary = "rgba(255,255,255,0.92)",
            TextSecondary = "rgba(255,255,255,0.74)",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica", "Arial", "sans-serif"] },
        },
    };
}
