using Common.Logging;
using Common.Logging.Factory;
using Microsoft.Extensions.Logging;
using CommonLevel = Common.Logging.LogLevel;

namespace FedChat.Core.Discovery;

/// <summary>
/// Routes what Makaretu.Dns.Multicast logs into our <see cref="ILogger"/>. The package writes to
/// Common.Logging, which prints nothing unless configured, so without this its errors (a socket that
/// cannot be bound, a send that fails) would be invisible.
/// </summary>
/// <remarks>
/// The package fetches its loggers once, when its classes load, so <see cref="RouteTo"/> installs the
/// adapter before the first <c>MulticastService</c> is made; its loggers then forward to whatever
/// <see cref="ILogger"/> was routed to last (one process runs one mDNS service).
/// </remarks>
public static class MdnsPackageLog
{
    private static readonly Lock Gate = new();
    private static volatile Microsoft.Extensions.Logging.ILogger? _target;
    private static bool _installed;

    /// <summary>Sends the package's log lines to <paramref name="logger"/> from now on.</summary>
    /// <param name="logger">Where to log; the package's Debug and Trace lines arrive at Debug.</param>
    public static void RouteTo(Microsoft.Extensions.Logging.ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _target = logger;
        lock (Gate)
        {
            if (!_installed)
            {
                LogManager.Adapter = new Adapter();
                _installed = true;
            }
        }
    }

    private sealed class Adapter : AbstractCachingLoggerFactoryAdapter
    {
        protected override ILog CreateLogger(string name) => new Forwarder(name);
    }

    private sealed class Forwarder(string name) : AbstractLogger
    {
        public override bool IsTraceEnabled => Enabled(Microsoft.Extensions.Logging.LogLevel.Debug);

        public override bool IsDebugEnabled => Enabled(Microsoft.Extensions.Logging.LogLevel.Debug);

        public override bool IsInfoEnabled => Enabled(Microsoft.Extensions.Logging.LogLevel.Information);

        public override bool IsWarnEnabled => Enabled(Microsoft.Extensions.Logging.LogLevel.Warning);

        public override bool IsErrorEnabled => Enabled(Microsoft.Extensions.Logging.LogLevel.Error);

        public override bool IsFatalEnabled => Enabled(Microsoft.Extensions.Logging.LogLevel.Critical);

        protected override void WriteInternal(CommonLevel level, object message, Exception exception)
        {
            if (_target is not { } logger)
            {
                return;
            }

            var mapped = level switch
            {
                CommonLevel.Fatal => Microsoft.Extensions.Logging.LogLevel.Critical,
                CommonLevel.Error => Microsoft.Extensions.Logging.LogLevel.Error,
                CommonLevel.Warn => Microsoft.Extensions.Logging.LogLevel.Warning,
                CommonLevel.Info => Microsoft.Extensions.Logging.LogLevel.Information,
                _ => Microsoft.Extensions.Logging.LogLevel.Debug,
            };

            // The message may be an object whose ToString() throws (a record type the package cannot
            // print); a log line must never take the receive loop down.
            string text;
            try
            {
                text = message?.ToString() ?? "";
            }
            catch (Exception ex)
            {
                text = $"(unprintable {message?.GetType().Name}: {ex.GetType().Name})";
            }

            logger.Log(mapped, exception, "mDNS package ({Source}): {Message}", name, text);
        }

        private static bool Enabled(Microsoft.Extensions.Logging.LogLevel level) => _target?.IsEnabled(level) == true;
    }
}
