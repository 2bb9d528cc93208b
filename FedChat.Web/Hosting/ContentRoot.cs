namespace FedChat.Web.Hosting;

/// <summary>Works out the folder the server reads appsettings.json and wwwroot from.</summary>
public static class ContentRoot
{
    /// <summary>
    /// <c>--contentRoot</c> or <c>ASPNETCORE_CONTENTROOT</c> when given; otherwise the folder of
    /// FedChat.Web.dll. ASP.NET Core's default is the current directory, so
    /// <c>dotnet /somewhere/FedChat.Web.dll</c> started from another folder served empty files and
    /// ignored appsettings.json. Relative data directories still start from the current directory.
    /// </summary>
    public static string Resolve(string[] args)
    {
        var configured = new ConfigurationBuilder()
            .AddEnvironmentVariables("ASPNETCORE_")
            .AddCommandLine(args)
            .Build()["contentRoot"];
        return string.IsNullOrWhiteSpace(configured) ? AppContext.BaseDirectory : Path.GetFullPath(configured);
    }
}
