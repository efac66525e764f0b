using System.Globalization;
using Lyra.Perf.Engine.Options;

namespace Lyra.Perf.Engine.Sharding;

/// <summary>PerfGateShard=K/N: this job is shard <see cref="Index"/> of <see cref="Count"/> (1-based).</summary>
public sealed record ShardSpec(int Index, int Count)
{
    /// <summary>More shards than this is a typo, not a CI matrix.</summary>
    public const int MaxCount = 256;

    public static ShardSpec Parse(string? text)
    {
        var parts = (text ?? "").Trim().Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            && int.TryParse(parts[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            && count >= 1 && count <= MaxCount && index >= 1 && index <= count)
        {
            return new ShardSpec(index, count);
        }

        throw SettingParser.Invalid("PerfGateShard", text, $"K/N with 1 ≤ K ≤ N ≤ {MaxCount}, e.g. 2/4 (in a GitHub matrix: ${{{{ matrix.shard }}}}/4)");
    }

    public string Label => $"shard {Index} of {Count}";

    public override string ToString() => Index.ToString(CultureInfo.InvariantCulture) + "/" + Count.ToString(CultureInfo.InvariantCulture);
}
