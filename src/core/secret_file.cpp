#include "core/secret_file.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "core/ids.hpp"
#include "core/logging.hpp"

namespace o4o::core {

std::string load_or_create_secret(const std::string& data_dir, const std::string& name) {
  std::filesystem::create_directories(data_dir);
  const auto path = std::filesystem::path(data_dir) / name;
  auto read_secret = [&]() -> std::string {
    std::ifstream in(path);
    std::string secret;
    if (in && std::getline(in, secret) && secret.size() >= 32) return secret;
    return {};
  };
  if (auto existing = read_secret(); !existing.empty()) return existing;
  // Written under a name of its own, then linked into place: link() fails if another process got
  // there first, and then both use the winner's secret.
  const std::string secret = random_hex(32);
  const auto tmp = path.string() + "." + random_hex(8) + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << secret << "\n";
    out.flush();
    if (!out) throw std::runtime_error("cannot write a secret to " + path.string());
  }
  ::chmod(tmp.c_str(), 0600);
  const bool won = ::link(tmp.c_str(), path.c_str()) == 0;
  ::unlink(tmp.c_str());
  if (!won) {
    if (auto winner = read_secret(); !winner.empty()) return winner;
    throw std::runtime_error("cannot create the secret file " + path.string());
  }
  log::warn("generated a secret; set it in the environment to choose one",
            {{"file", path.string()}});
  return secret;
}

}  // namespace o4o::core
