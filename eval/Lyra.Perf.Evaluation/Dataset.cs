using System;
using System.Diagnostics;
using System.Formats.Tar;
using System.IO;
using System.IO.Compression;
using System.Linq;

namespace Lyra.Perf.Evaluation;

/// <summary>
/// A dataset is committed as one <c>NAME.tar.gz</c> (or <c>NAME.tar.xz</c>) under <c>eval/data/</c> (see <c>eval/pack-data.sh</c>) holding a
/// single folder <c>NAME/</c>; a plain folder works too. An archive is unpacked into a temporary folder, removed on
/// dispose, so the replay reads the same files either way.
/// </summary>
internal sealed class Dataset : IDisposable
{
    private readonly string? _temporary;

    private Dataset(string directory, string displayPath, string? temporary)
    {
        Directory = directory;
        DisplayPath = displayPath;
        _temporary = temporary;
    }

    /// <summary>The folder holding the dataset's files.</summary>
    public string Directory { get; }

    /// <summary>The path as given, relative to the working directory, with forward slashes (for the generated docs).</summary>
    public string DisplayPath { get; }

    /// <summary>The dataset's name: the archive's or the folder's name without extension.</summary>
    public string Name => Path.GetFileName(Directory);

    public static Dataset Open(string path)
    {
        var full = Path.GetFullPath(path);
        var display = Path.GetRelativePath(System.IO.Directory.GetCurrentDirectory(), full).Replace('\\', '/');
        if (System.IO.Directory.Exists(full))
        {
            return new Dataset(full, display, null);
        }

        var xz = full.EndsWith(".tar.xz", StringComparison.Ordinal);
        if (!File.Exists(full) || !(xz || full.EndsWith(".tar.gz", StringComparison.Ordinal) || full.EndsWith(".tgz", StringComparison.Ordinal)))
        {
            throw new FileNotFoundException($"{path}: not a dataset folder or .tar.gz / .tar.xz archive");
        }

        var temporary = Path.Combine(Path.GetTempPath(), "lyra-eval-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(temporary);
        if (xz)
        {
            // .NET reads no xz: the system's tar unpacks it (the A/B archives, packed with tar -J).
            using var tar = Process.Start(new ProcessStartInfo("tar", new[] { "-xJf", full, "-C", temporary }) { UseShellExecute = false })
                ?? throw new InvalidOperationException("could not start tar");
            tar.WaitForExit();
            if (tar.ExitCode != 0)
            {
                System.IO.Directory.Delete(temporary, recursive: true);
                throw new InvalidDataException($"{path}: tar -xJf failed with exit code {tar.ExitCode}");
            }
        }
        else
        {
            using var file = File.OpenRead(full);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            TarFile.ExtractToDirectory(gzip, temporary, overwriteFiles: false);
        }

        var folders = System.IO.Directory.GetDirectories(temporary);
        if (folders.Length != 1 || System.IO.Directory.GetFiles(temporary).Any())
        {
            System.IO.Directory.Delete(temporary, recursive: true);
            throw new InvalidDataException($"{path}: the archive must hold exactly one top-level folder (pack it with eval/pack-data.sh)");
        }

        return new Dataset(folders[0], display, temporary);
    }

    public void Dispose()
    {
        if (_temporary is not null && System.IO.Directory.Exists(_temporary))
        {
            System.IO.Directory.Delete(_temporary, recursive: true);
        }
    }
}
