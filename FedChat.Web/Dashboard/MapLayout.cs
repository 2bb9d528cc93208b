namespace FedChat.Web.Dashboard;

/// <summary>A point on the map, in SVG user units; this server sits at (0, 0).</summary>
/// <param name="X">Right of the centre.</param>
/// <param name="Y">Below the centre.</param>
public readonly record struct MapPoint(double X, double Y);

/// <summary>
/// Where each server sits on the map. Servers go on rings (ellipses, to fill a wide screen) around
/// this server, inner rings first. Within a ring a server prefers the slot picked by a stable hash
/// of its URL, so it tends to land in the same place on every laptop and after a restart.
/// </summary>
/// <remarks>
/// A slot, once given, is kept: a server joining or leaving never makes the others jump, which
/// matters on a projector where people follow "their" node. One instance is shared by every page
/// (a singleton), so everyone sees the same map.
/// </remarks>
public sealed class MapLayout
{
    /// <summary>The radius of a server's circle; slots are always further apart than two of these.</summary>
    public const double NodeRadius = 30;

    /// <summary>The radius of this server's own circle in the middle.</summary>
    public const double SelfRadius = 44;

    // The rings: the first is 200 units from the centre (vertically; 1.55 times that horizontally),
    // each next one 180 further out, with 6 more slots than the one inside it. Chosen so that no two
    // servers' labels (a name of up to 14 characters, the status line, the traffic badge) overlap when
    // every slot is full: FacilitatorLayoutBrowserTests measures it with 3, 30 and 50 servers.
    private const double FirstRing = 200;
    private const double RingGap = 180;
    private const double Stretch = 1.55;
    private const int FirstRingSlots = 6;
    private const int MoreSlotsPerRing = 6;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, (int Ring, int Slot)> _placed = new(StringComparer.Ordinal);

    /// <summary>
    /// Places every server in <paramref name="keys"/>: servers placed before stay where they were;
    /// new ones get a free slot, in the order given. Servers no longer listed free their slot.
    /// </summary>
    /// <param name="keys">The servers' keys (<c>http://host:port</c>), oldest first.</param>
    /// <returns>Where each one goes.</returns>
    public IReadOnlyDictionary<string, MapPoint> Arrange(IEnumerable<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var wanted = keys.Distinct(StringComparer.Ordinal).ToList();
        lock (_gate)
        {
            foreach (var gone in _placed.Keys.Except(wanted).ToList())
            {
                _placed.Remove(gone);
            }

            foreach (var key in wanted.Where(k => !_placed.ContainsKey(k)))
            {
                _placed[key] = FreeSlotFor(key);
            }

            return wanted.ToDictionary(k => k, k => PointOf(_placed[k].Ring, _placed[k].Slot), StringComparer.Ordinal);
        }
    }

    /// <summary>Gets how many rings are in use, at least one: the map's size follows it.</summary>
    public int RingsInUse
    {
        get
        {
            lock (_gate)
            {
                return _placed.Count == 0 ? 1 : _placed.Values.Max(p => p.Ring) + 1;
            }
        }
    }

    /// <summary>The SVG <c>viewBox</c> that shows <paramref name="rings"/> rings with room for the labels under the nodes.</summary>
    /// <param name="rings">The number of rings, see <see cref="RingsInUse"/>.</param>
    /// <returns>e.g. <c>-657 -390 1314 860</c>.</returns>
    public static string ViewBox(int rings)
    {
        var (halfWidth, top, bottom) = Extent(rings);
        return FormattableString.Invariant($"{-halfWidth:0} {-top:0} {2 * halfWidth:0} {top + bottom:0}");
    }

    // How far the map reaches from the centre: left/right, up and down. ViewBox and StrangersPoint share it.
    private static (double HalfWidth, double Top, double Bottom) Extent(int rings)
    {
        // At least two rings (16 servers), so the map does not zoom as the first servers arrive.
        var outer = FirstRing + (RingGap * (Math.Max(rings, 2) - 1));
        var halfWidth = (outer * Stretch) + 130; // room for a name under the rightmost node
        var top = outer + NodeRadius + 20;
        var bottom = outer + NodeRadius + 90;    // room for three lines of label
        return (halfWidth, top, bottom);
    }

    /// <summary>
    /// Where the "strangers" node goes: the bottom left corner of <see cref="ViewBox"/>, outside every
    /// ring, so it never takes a server's place. It stands for senders that are not on the map.
    /// </summary>
    /// <param name="rings">The number of rings, see <see cref="RingsInUse"/>.</param>
    /// <returns>The point.</returns>
    public static MapPoint StrangersPoint(int rings)
    {
        // The corner of the view box, minus room for the node and its two lines of label.
        var (halfWidth, _, bottom) = Extent(rings);
        return new MapPoint(-halfWidth + 80, bottom - 90);
    }

    /// <summary>The number of slots on ring <paramref name="ring"/> (0 is the innermost).</summary>
    /// <param name="ring">The ring.</param>
    /// <returns>6, 12, 18, ...</returns>
    public static int SlotsOn(int ring) => FirstRingSlots + (MoreSlotsPerRing * ring);

    /// <summary>Where slot <paramref name="slot"/> of ring <paramref name="ring"/> is.</summary>
    /// <param name="ring">The ring, 0 innermost.</param>
    /// <param name="slot">The slot on the ring, clockwise from the top.</param>
    /// <returns>The point.</returns>
    public static MapPoint PointOf(int ring, int slot)
    {
        var radius = FirstRing + (RingGap * ring);
        // Every other ring is turned by half a slot, so nodes on neighbouring rings do not line up.
        var turn = ring % 2 == 1 ? 0.5 : 0;
        var angle = (2 * Math.PI * (slot + turn) / SlotsOn(ring)) - (Math.PI / 2);
        return new MapPoint(Math.Round(radius * Stretch * Math.Cos(angle), 1), Math.Round(radius * Math.Sin(angle), 1));
    }

    // The innermost ring with room; on it, the hashed slot or the next free one clockwise.
    private (int Ring, int Slot) FreeSlotFor(string key)
    {
        for (var ring = 0; ; ring++)
        {
            var slots = SlotsOn(ring);
            var taken = _placed.Values.Where(p => p.Ring == ring).Select(p => p.Slot).ToHashSet();
            if (taken.Count >= slots)
            {
                continue;
            }

            var slot = (int)(StableHash(key) % (uint)slots);
            while (taken.Contains(slot))
            {
                slot = (slot + 1) % slots;
            }
            return (ring, slot);
        }
    }

    // FNV-1a: string.GetHashCode() changes on every start, and places must not.
    private static uint StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }
        return hash;
    }
}
