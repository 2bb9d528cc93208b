using Microsoft.Extensions.Configuration.Memory;

namespace FedChat.Web.Hosting;

/// <summary>
/// Keeps framework chatter out of a student's terminal: EF Core's SQL, every HttpClient request
/// (NodeInfo polls, deliveries), ASP.NET Core and host start-up lines log at Warning and above, so
/// "FedChat server … is running" is the first thing printed. FedChat's own lines stay at Information.
/// </summary>
/// <remarks>
/// These are defaults, added as the lowest-priority configuration source: appsettings.json,
/// environment variables and the command line still win, e.g.
/// <c>--Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command=Information</c> shows the SQL again.
/// They hold even when appsettings.json is not found (a server started from another folder).
/// </remarks>
public static class LoggingDefaults
{
    /// <summary>The default log levels by category.</summary>
    public static readonly IReadOnlyDictionary<string, string?> Levels = new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft"] = "Warning",
        ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning",
        ["Logging:LogLevel:Microsoft.AspNetCore.DataProtection"] = "Error",
    };

    /// <summary>Adds <see cref="Levels"/> beneath every other configuration source.</summary>
    public static WebApplicationBuilder AddLoggingDefaults(this WebApplicationBuilder builder)
    {
        IConfigurationBuilder configuration = builder.Configuration;
        configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Levels });
        return builder;
    }
}
