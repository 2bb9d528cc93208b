using System.Globalization;

namespace FedChat.Circuits;

/// <summary>CPU time of a process's descendants, from Linux's <c>/proc</c> (proc(5)): <c>stat</c> field 4 is the parent, 14 and 15 user and system time.</summary>
internal static class ProcessTree
{
    // USER_HZ: 100 on every Linux the project runs on (getconf CLK_TCK).
    private const double TicksPerSecond = 100;

    /// <summary>The CPU seconds used so far by every living descendant of <paramref name="root"/>, leaving out <paramref name="except"/> and its own descendants.</summary>
    public static double CpuSecondsOfDescendants(int root, int? except)
    {
        var children = new Dictionary<int, List<int>>();
        var ticks = new Dictionary<int, long>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (IOException)
            {
                continue; // it ended while we looked
            }
            // The command name (field 2) is in parentheses and may hold spaces: count fields after its ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
            ticks[pid] = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            (children.TryGetValue(parent, out var list) ? list : children[parent] = []).Add(pid);
        }
        long total = 0;
        var stack = new Stack<int>(children.GetValueOrDefault(root) ?? []);
        while (stack.TryPop(out var pid))
        {
            if (pid == except)
            {
                continue;
            }
            total += ticks.GetValueOrDefault(pid);
            foreach (var child in children.GetValueOrDefault(pid) ?? [])
            {
                stack.Push(child);
            }
        }
        return total / TicksPerSecond;
    }
}
