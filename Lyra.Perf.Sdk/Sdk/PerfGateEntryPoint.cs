// Supplied by Lyra.Perf.Sdk: the entry point of a benchmark project that has none of its own, and of every
// gate build, so the gate's filter, job, exporters and artifacts always reach BenchmarkDotNet.
namespace Lyra.Perf.Generated
{
    internal static class PerfGateEntryPoint
    {
        /// <summary>Set by the gate's RunBenchmarks: "Gate WARMUPS ITERATIONS" = measure with the gate's job only, the
        /// in-process job the command line describes (BenchmarkDotNet runs it beside the jobs declared on classes).</summary>
        private const string JobsVariable = "LYRA_PERF_JOBS";

        /// <summary>PerfGateExclude: globs (';'-separated, the syntax of --filter) of benchmarks not to run.</summary>
        private const string ExcludeVariable = "LYRA_PERF_EXCLUDE";

        /// <summary>The process settings this process was started with for the in-process job (empty: the gate's main
        /// process). A job setting the runtime reads at start ([GcServer(true)], environment variables) cannot take effect
        /// in a running process, so such benchmarks run in a process of their own started with it.</summary>
        private const string ProcessVariable = "LYRA_PERF_PROCESS";

        /// <summary>Written beside the results by a process that verified its settings were in effect.</summary>
        private const string InEffectFile = "lyra-perf-process-settings.txt";

        private const string Prefix = "// Lyra.Perf: ";

        private static int _warmups;
        private static int _iterations;
        private static string _process = "";

        private static readonly System.Collections.Generic.HashSet<string> Said = new System.Collections.Generic.HashSet<string>();

        public static int Main(string[] args)
        {
            var config = BenchmarkDotNet.Configs.ManualConfig.Create(BenchmarkDotNet.Configs.DefaultConfig.Instance);
            // The command line's --filter first (BenchmarkDotNet applies it too), so the lines below name only benchmarks it selects.
            var filter = Filters(args);
            if (filter.Length > 0)
            {
                config = config.AddFilter(new BenchmarkDotNet.Filters.GlobFilter(filter));
            }

            var jobs = (System.Environment.GetEnvironmentVariable(JobsVariable) ?? "").Split(' ');
            var gateJobOnly = jobs.Length == 3 && jobs[0] == "Gate" && int.TryParse(jobs[1], out _warmups) && int.TryParse(jobs[2], out _iterations);
            var exclude = (System.Environment.GetEnvironmentVariable(ExcludeVariable) ?? "").Split(';');
            exclude = System.Array.FindAll(exclude, p => p.Trim().Length > 0);
            if (exclude.Length > 0)
            {
                var excluded = new BenchmarkDotNet.Filters.GlobFilter(System.Array.ConvertAll(exclude, p => p.Trim()));
                config = config.AddFilter(new BenchmarkDotNet.Filters.SimpleFilter(b => !excluded.Predicate(b) || Say("excluded " + Name(b), false)));
            }

            if (gateJobOnly)
            {
                // Jobs declared on classes ([Config], [ShortRunJob] …) would run beside the gate's: keep the gate's only
                // and say once per class which declared job was left out (PerfGateJob=Declared keeps them).
                config = config.AddFilter(new BenchmarkDotNet.Filters.SimpleFilter(IsGateJob));
            }

            if (gateJobOnly || jobs[0] == "Declared")
            {
                _process = System.Environment.GetEnvironmentVariable(ProcessVariable) ?? "";
                config = config.AddFilter(new BenchmarkDotNet.Filters.SimpleFilter(RunsInThisProcess));
                if (_process.Length > 0)
                {
                    RecordInEffect(args);
                }
            }

            if (jobs[0].Length > 0)
            {
                // Run by the gate: also the results file it reads (the full report stays for people).
                config = config.AddExporter(new PerfGateResultsExporter());
            }

            config = BenchmarkDotNet.Configs.ConfigExtensions.AddDiagnoser(config, new PerfGateCpuDiagnoser()); // cores used and other load (LPG0225)
            BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(PerfGateEntryPoint).Assembly).Run(args, config);
            return 0;
        }

        /// <summary>The values after --filter, up to the next option.</summary>
        private static string[] Filters(string[] args)
        {
            var start = System.Array.IndexOf(args, "--filter");
            var filters = new System.Collections.Generic.List<string>();
            for (var i = start + 1; start >= 0 && i < args.Length && !args[i].StartsWith("--", System.StringComparison.Ordinal); i++)
            {
                filters.Add(args[i]);
            }

            return filters.ToArray();
        }

        private static bool Say(string line, bool result)
        {
            if (Said.Add(line))
            {
                System.Console.WriteLine(Prefix + line);
            }

            return result;
        }

        private static string Name(BenchmarkDotNet.Running.BenchmarkCase benchmark) => BenchmarkDotNet.Exporters.FullNameProvider.GetBenchmarkName(benchmark);

        private static bool IsGateJob(BenchmarkDotNet.Running.BenchmarkCase benchmark)
        {
            var job = benchmark.Job;
            if (IsInProcess(job) && job.Run.WarmupCount == _warmups && job.Run.IterationCount == _iterations)
            {
                return true;
            }

            var type = benchmark.Descriptor.Type.Namespace + "." + benchmark.Descriptor.Type.Name;
            return Say("left out declared job " + job.ResolvedId + " of " + type, false);
        }

        private static bool IsInProcess(BenchmarkDotNet.Jobs.Job job) =>
            job.Infrastructure.Toolchain is BenchmarkDotNet.Toolchains.InProcess.Emit.InProcessEmitToolchain
            || job.Infrastructure.Toolchain is BenchmarkDotNet.Toolchains.InProcess.NoEmit.InProcessNoEmitToolchain;

        /// <summary>A benchmark whose in-process job needs other process settings than this process's runs in a process
        /// started with them (the gate starts one per distinct set, after this one): said here, one line per benchmark.</summary>
        private static bool RunsInThisProcess(BenchmarkDotNet.Running.BenchmarkCase benchmark)
        {
            var needed = IsInProcess(benchmark.Job) ? ProcessSettings(benchmark.Job) : "";
            if (needed == _process)
            {
                return true;
            }

            if (_process.Length == 0)
            {
                Say("own process " + needed + " " + Name(benchmark), false);
            }

            return false;
        }

        /// <summary>The job's settings the runtime reads at process start, as the environment variables that set them:
        /// "NAME=value;…" sorted, with '%', ';', ' ' and control characters written as %XX.</summary>
        private static string ProcessSettings(BenchmarkDotNet.Jobs.Job job)
        {
            var variables = new System.Collections.Generic.SortedDictionary<string, string>(System.StringComparer.Ordinal);
            var gc = job.Environment.Gc;
            if (gc.HasValue(BenchmarkDotNet.Jobs.GcMode.ServerCharacteristic))
            {
                variables["DOTNET_gcServer"] = gc.Server ? "1" : "0";
            }

            if (gc.HasValue(BenchmarkDotNet.Jobs.GcMode.ConcurrentCharacteristic))
            {
                variables["DOTNET_gcConcurrent"] = gc.Concurrent ? "1" : "0";
            }

            if (gc.HasValue(BenchmarkDotNet.Jobs.GcMode.CpuGroupsCharacteristic))
            {
                variables["DOTNET_GCCpuGroup"] = gc.CpuGroups ? "1" : "0";
            }

            if (gc.HasValue(BenchmarkDotNet.Jobs.GcMode.NoAffinitizeCharacteristic))
            {
                variables["DOTNET_GCNoAffinitize"] = gc.NoAffinitize ? "1" : "0";
            }

            if (gc.HasValue(BenchmarkDotNet.Jobs.GcMode.RetainVmCharacteristic))
            {
                variables["DOTNET_GCRetainVM"] = gc.RetainVm ? "1" : "0";
            }

            if (gc.HasValue(BenchmarkDotNet.Jobs.GcMode.HeapCountCharacteristic))
            {
                variables["DOTNET_GCHeapCount"] = gc.HeapCount.ToString("x", System.Globalization.CultureInfo.InvariantCulture);
            }

            if (gc.HasValue(BenchmarkDotNet.Jobs.GcMode.HeapAffinitizeMaskCharacteristic))
            {
                variables["DOTNET_GCHeapAffinitizeMask"] = gc.HeapAffinitizeMask.ToString("x", System.Globalization.CultureInfo.InvariantCulture);
            }

            if (job.Environment.HasValue(BenchmarkDotNet.Jobs.EnvironmentMode.EnvironmentVariablesCharacteristic))
            {
                foreach (var variable in job.Environment.EnvironmentVariables)
                {
                    variables[variable.Key] = variable.Value;
                }
            }

            var text = new System.Text.StringBuilder();
            foreach (var pair in variables)
            {
                text.Append(text.Length == 0 ? "" : ";").Append(Escape(pair.Key)).Append('=').Append(Escape(pair.Value));
            }

            return text.ToString();
        }

        private static string Escape(string value)
        {
            var text = new System.Text.StringBuilder();
            foreach (var c in value)
            {
                if (c == '%' || c == ';' || c == ' ' || c == '=' || char.IsControl(c))
                {
                    text.Append('%').Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
                }
                else
                {
                    text.Append(c);
                }
            }

            return text.ToString();
        }

        /// <summary>In a process started for a set of settings: check they are in effect (the GC modes as the runtime
        /// reports them, every variable in the environment) and say so in a file beside the results; the gate records
        /// such settings in the baseline only then.</summary>
        private static void RecordInEffect(string[] args)
        {
            var artifacts = System.Array.IndexOf(args, "--artifacts");
            if (artifacts < 0 || artifacts + 1 >= args.Length)
            {
                return;
            }

            var lines = new System.Collections.Generic.List<string>();
            foreach (var setting in _process.Split(';'))
            {
                var equals = setting.IndexOf('=');
                var name = System.Uri.UnescapeDataString(setting.Substring(0, equals));
                var value = System.Uri.UnescapeDataString(setting.Substring(equals + 1));
                var inEffect = System.Environment.GetEnvironmentVariable(name) == value;
                if (name == "DOTNET_gcServer")
                {
                    inEffect &= System.Runtime.GCSettings.IsServerGC == (value == "1");
                }
                else if (name == "DOTNET_gcConcurrent")
                {
                    inEffect &= (System.Runtime.GCSettings.LatencyMode != System.Runtime.GCLatencyMode.Batch) == (value == "1");
                }

                if (!inEffect)
                {
                    System.Console.WriteLine(Prefix + "not in effect: " + name + "=" + value);
                    return;
                }

                lines.Add(name + "=" + value);
            }

            System.IO.Directory.CreateDirectory(args[artifacts + 1]);
            System.IO.File.WriteAllLines(System.IO.Path.Combine(args[artifacts + 1], InEffectFile), lines);
        }
    }
}
