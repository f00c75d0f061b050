# The parts table of benchmarks/profile, from `perf script` output (one sample per paragraph): each sample counts once,
# for the first frame from the leaf that belongs to a part of the process. Kernel stacks end at libc (no frame pointers
# there), so a sample with no such frame is counted by what the kernel was doing, the first of the kernel's parts that
# any of its frames matches. us_per_command: the proxy's CPU per command, in microseconds.
BEGIN {
  RS = ""; FS = "\n"
  # The process's parts, tried in this order on each frame from the leaf; then the kernel's, on the whole stack.
  n = split("journal|user function (HTTP/2 client)|inbound (Kestrel, gRPC server)|front end (router)|entity actor|Proto.Actor|thread pool|sockets (epoll)|JIT", parts, "|")
  k = split("kernel: thread pool spinning|kernel: TCP|kernel: disk|kernel: waits", kernel, "|")
  pattern["journal"] = "libe_sqlite3|Microsoft\\.Data\\.Sqlite|SQLitePCL|Cloudstate\\.Es\\.Journal|Npgsql|Marten"
  pattern["user function (HTTP/2 client)"] = "System\\.Net\\.Http|Cloudstate\\.Es\\.Proxy\\.UserFunction|EntitySession"
  pattern["inbound (Kestrel, gRPC server)"] = "Microsoft\\.AspNetCore|Grpc\\.AspNetCore|Grpc\\.Shared|System\\.IO\\.Pipelines"
  pattern["front end (router)"] = "Cloudstate\\.Es\\.Proxy\\.(Frontend|Http)"
  pattern["entity actor"] = "Cloudstate\\.Es\\.Proxy\\.Entities|Cloudstate\\.Es\\.Snapshots"
  pattern["Proto.Actor"] = "\\[Proto\\.|Proto\\.(Actor|Cluster|Remote|Mailbox|Future|Context)"
  pattern["thread pool"] = "LowLevelLifoSemaphore|PortableThreadPool|ThreadPoolWorkQueue|WorkerThread|TimerQueue"
  pattern["sockets (epoll)"] = "SocketAsyncEngine|System\\.Net\\.Sockets|epoll"
  pattern["JIT"] = "libclrjit"
  pattern["kernel: thread pool spinning"] = "sched_yield"
  pattern["kernel: TCP"] = "tcp_|sendto|recvfrom|__send|__recv|sock_|net_rx|__dev_queue_xmit|ip_finish_output"
  pattern["kernel: disk"] = "fsync|ext4_|pwrite|pread|submit_bio|filemap|jbd2"
  pattern["kernel: waits"] = "futex|schedule"
}
{
  total++
  taken = ""
  for (i = 2; i <= NF && taken == ""; i++)
    for (p = 1; p <= n; p++)
      if ($i ~ pattern[parts[p]]) { taken = parts[p]; break }
  for (p = 1; p <= k && taken == ""; p++)
    if ($0 ~ pattern[kernel[p]]) taken = kernel[p]
  if (taken == "") taken = "runtime (GC, stubs, other)"
  count[taken]++
}
END {
  if (!total) { print "no samples"; exit 1 }
  printf "| part | share of samples | µs CPU per command |\n| --- | ---: | ---: |\n"
  for (p = 1; p <= k; p++) parts[n + p] = kernel[p]
  parts[n + k + 1] = "runtime (GC, stubs, other)"
  for (p = 1; p <= n + k + 1; p++)
    printf "| %s | %.1f %% | %.1f |\n", parts[p], 100 * count[parts[p]] / total, us_per_command * count[parts[p]] / total
  printf "| all (%d samples) | 100 %% | %.1f |\n", total, us_per_command
}
