namespace Lyra.Core;

internal static class Placeholder
{
}
