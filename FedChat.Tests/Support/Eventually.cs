namespace FedChat.Tests.Support;

/// <summary>
/// Waits for something another server does in the background (a delivery, an Accept), by checking
/// a condition every 50 ms up to a deadline. Bounded: it fails with a message instead of hanging.
/// </summary>
internal static class Eventually
{
    public static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        var value = await read();
        while (!done(value))
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting for {what}; last value: {value}");
            }
            await Task.Delay(50);
            value = await read();
        }
        return value;
    }
}
