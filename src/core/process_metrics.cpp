#include "core/process_metrics.hpp"

#include <fmt/format.h>
#include <sys/resource.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>

namespace o4o::core {

namespace {

// Seconds since the epoch at which the machine booted (/proc/stat "btime").
long long boot_time() {
  std::ifstream in("/proc/stat");
  std::string key;
  long long value = 0;
  while (in >> key) {
    if (key == "btime" && in >> value) return value;
    in.ignore(1 << 16, '\n');
  }
  return 0;
}

void gauge(std::string& out, std::string_view name, std::string_view type, std::string_view help,
           double value) {
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n{} {}\n", name, help, name, type, name, value);
}

}  // namespace

std::string render_process_metrics() {
  std::string out;
  // /proc/self/stat: fields after the command's closing parenthesis; utime, stime are 14 and 15,
  // starttime 22, vsize 23, rss 24 (pages), counting from 1 at the pid.
  std::ifstream stat_file("/proc/self/stat");
  std::string stat((std::istreambuf_iterator<char>(stat_file)), std::istreambuf_iterator<char>());
  const auto close = stat.rfind(')');
  if (close != std::string::npos) {
    std::istringstream fields(stat.substr(close + 2));
    std::string f[22];
    for (auto& x : f) fields >> x;
    // f[0] is field 3 (state).
    const double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
    const double utime = std::stod(f[11]), stime = std::stod(f[12]);
    const double start_ticks = std::stod(f[19]);
    const double vsize = std::stod(f[20]), rss_pages = std::stod(f[21]);
    gauge(out, "process_cpu_seconds_total", "counter", "User and system CPU time spent in seconds.",
          (utime + stime) / ticks);
    gauge(out, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.",
          rss_pages * static_cast<double>(::sysconf(_SC_PAGESIZE)));
    gauge(out, "process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.", vsize);
    gauge(out, "process_start_time_seconds", "gauge",
          "Start time of the process since unix epoch in seconds.",
          static_cast<double>(boot_time()) + start_ticks / ticks);
  }
  std::error_code ec;
  double fds = 0;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
    ++fds;
  gauge(out, "process_open_fds", "gauge", "Number of open file descriptors.", fds);
  if (rlimit lim{}; ::getrlimit(RLIMIT_NOFILE, &lim) == 0)
    gauge(out, "process_max_fds", "gauge", "Maximum number of open file descriptors.",
          static_cast<double>(lim.rlim_cur));
  return out;
}

std::string render_disk_metrics(const std::string& data_dir) {
  std::string out;
  struct statvfs fs {};
  // A data directory not made yet (PostgreSQL with nothing stored locally) is on the file system
  // of its nearest existing parent.
  std::filesystem::path dir = data_dir.empty() ? "." : data_dir;
  while (::statvfs(dir.c_str(), &fs) != 0) {
    if (!dir.has_parent_path() || dir.parent_path() == dir) return out;
    dir = dir.parent_path();
  }
  const auto block = static_cast<double>(fs.f_frsize);
  gauge(out, "o4o_data_dir_free_bytes", "gauge",
        "Bytes free for the server under its data directory.",
        static_cast<double>(fs.f_bavail) * block);
  gauge(out, "o4o_data_dir_size_bytes", "gauge",
        "Size in bytes of the file system that holds the data directory.",
        static_cast<double>(fs.f_blocks) * block);
  return out;
}

std::string render_build_info() {
  return fmt::format(
      "# HELP o4o_build_info The running build: 1, labelled by version and commit.\n"
      "# TYPE o4o_build_info gauge\n"
      "o4o_build_info{{version=\"{}\",commit=\"{}\"}} 1\n",
      build_version(), build_commit());
}

}  // namespace o4o::core
