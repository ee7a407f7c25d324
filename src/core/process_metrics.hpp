#pragma once
// Metrics about the process and its machine rather than its requests, in Prometheus text format:
// the standard process_* family (as the client libraries name them), free space under the data
// directory, and the build (o4o_build_info{version,commit} 1).
#include <string>

namespace o4o::core {

// process_cpu_seconds_total, process_resident_memory_bytes, process_virtual_memory_bytes,
// process_open_fds, process_max_fds, process_start_time_seconds (Linux /proc).
std::string render_process_metrics();
// o4o_data_dir_free_bytes and o4o_data_dir_size_bytes (the file system holding data_dir).
std::string render_disk_metrics(const std::string& data_dir);
std::string render_build_info();

// What the build stamped in (CMake: O4O_VERSION, O4O_COMMIT).
const char* build_version();
const char* build_commit();

}  // namespace o4o::core
