namespace Cloudstate.Es.Load;

/// <summary>
/// Once a second: commands so far, the rate of the last second, errors (and the proxy's CPU and memory when
/// sampled). Redrawn in place on a terminal, one plain line per second when the output is redirected.
/// </summary>
internal sealed class ProgressLine : IDisposable
{
    private readonly Func<(long Completed, long Errors)> counters;
    private readonly ProcessSampler? sampler;
    private readonly Timer timer;
    private readonly bool redraw = !Console.IsOutputRedirected;
    private readonly Lock gate = new();
    private long previous;
    private int seconds;
    private bool stopped;

    public ProgressLine(Func<(long Completed, long Errors)> counters, ProcessSampler? sampler)
    {
        this.counters = counters;
        this.sampler = sampler;
        timer = new Timer(_ => Tick(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    private void Tick()
    {
        lock (gate)
        {
            if (stopped)
                return;
            var (completed, errors) = counters();
            seconds++;
            var line = $"{seconds,4} s  commands {completed,9:N0}  rate {completed - previous,7:N0}/s  errors {errors:N0}";
            if (sampler is not null)
            {
                var (cpu, rss) = sampler.Sample();
                line += $"  proxy cpu {cpu,4:F0} %  rss {rss,5:F0} MB";
            }

            previous = completed;
            Console.Write(redraw ? $"\r{line}" : $"{line}\n");
        }
    }

    /// <summary>Stops the ticks and ends the redrawn line, so what follows starts on a line of its own.</summary>
    public void Stop()
    {
        lock (gate)
        {
            if (stopped)
                return;
            stopped = true;
            timer.Dispose();
            if (redraw && seconds > 0)
                Console.WriteLine();
        }
    }

    public void Dispose() => Stop();
}
