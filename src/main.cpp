// o4o: serve | migrate | users create | seed | healthcheck | mcp. Flags win over O4O_* variables,
// which win over the defaults; a bad value or an unreachable database ends the process with one
// clear line.
#include <CLI/CLI.hpp>
#include <sys/stat.h>

#include <iostream>

#include "accounts/accounts.hpp"
#include "app/app.hpp"
#include "app/mcp_stdio.hpp"
#include "core/config.hpp"
#include "core/errors.hpp"
#include "core/http_client.hpp"
#include "core/logging.hpp"

namespace {

struct Flags {
  std::string host, database, redis, services, web_root, seed_locale;
  int port = 0;
};

void add_database_flag(CLI::App* cmd, Flags& f) {
  cmd->add_option("--database", f.database,
                  "sqlite:PATH or postgresql://user:pass@host:port/db (env O4O_DATABASE_URL)");
}

o4o::core::Config build_config(const Flags& f) {
  auto c = o4o::core::config_from_env();
  if (!f.host.empty()) c.host = f.host;
  if (f.port != 0) c.port = f.port;
  if (!f.database.empty()) c.database_url = f.database;
  if (!f.redis.empty()) c.redis_url = f.redis;
  if (!f.web_root.empty()) c.web_root = f.web_root;
  if (!f.seed_locale.empty()) c.seed_locale = f.seed_locale;
  if (!f.services.empty()) c.services = o4o::core::split_list(f.services);
  o4o::core::validate_config(c);
  o4o::core::log::init(c.log_level);
  return c;
}

// GET /healthz of a server on this machine: 0 when it answers 200 within 2 s, else 1. For
// container health checks, so that the image needs no curl. A server bound to every interface is
// asked on loopback.
int healthcheck(const Flags& f) {
  try {
    auto c = o4o::core::config_from_env();
    std::string host = f.host.empty() ? c.host : f.host;
    const int port = f.port != 0 ? f.port : c.port;
    if (host.empty() || host == "0.0.0.0") host = "127.0.0.1";
    if (host == "::") host = "::1";
    if (host.find(':') != std::string::npos) host = "[" + host + "]";
    o4o::core::OutboundRequest request;
    request.url = "http://" + host + ":" + std::to_string(port) + "/healthz";
    request.timeout = std::chrono::milliseconds(2'000);
    const auto response = o4o::core::http_call(request);
    if (response.status == 200) return 0;
    std::cerr << "o4o: /healthz answered " << response.status << "\n";
  } catch (const std::exception& e) {
    std::cerr << "o4o: healthcheck failed: " << e.what() << "\n";
  }
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  // Everything the server creates (the SQLite database and its journal, secrets, media, the data
  // folder) is for its own user only (issue 19).
  ::umask(077);
  CLI::App app{"O4O Platform: crowdfunding, shop, forum and digital signage in one server", "o4o"};
  app.require_subcommand(1);
  Flags flags;

  auto* serve = app.add_subcommand("serve", "Serve the API and the web app (migrates first)");
  serve->add_option("--host", flags.host, "Address to bind (env O4O_HOST, default 127.0.0.1)");
  serve->add_option("--port", flags.port, "Port (env O4O_PORT, default 4000)")
      ->check(CLI::Range(1, 65535));
  add_database_flag(serve, flags);
  serve->add_option("--redis", flags.redis,
                    "redis://[[user]:password@]host[:port] for pub/sub across instances");
  serve->add_option("--services", flags.services,
                    "Comma-separated services to mount (env O4O_SERVICES, default all)");
  serve->add_option("--web-root", flags.web_root, "Static web app folder (default web/dist)");

  auto* migrate = app.add_subcommand("migrate", "Apply database migrations and exit");
  add_database_flag(migrate, flags);

  auto* users = app.add_subcommand("users", "Manage accounts");
  users->require_subcommand(1);
  auto* create = users->add_subcommand(
      "create", "Create an account, or update an existing email's password, name and role");
  add_database_flag(create, flags);
  std::string email, password, name, role;
  create->add_option("--email", email, "Email address")->required();
  create->add_option("--password", password, "Password (8..128 characters)")->required();
  create->add_option("--name", name, "Display name")->required();
  create->add_option("--role", role, "admin, creator or user")
      ->required()
      ->check(CLI::IsMember({"admin", "creator", "user"}));

  auto* seed = app.add_subcommand("seed", "Load demo data (safe to run twice)");
  add_database_flag(seed, flags);
  seed->add_option("--locale", flags.seed_locale,
                   "Language of the demo data: ko or en (env O4O_SEED_LOCALE, default ko)")
      ->check(CLI::IsMember({"ko", "en"}));

  auto* health = app.add_subcommand(
      "healthcheck", "Exit 0 when the server's /healthz answers 200 within 2 s, else 1");
  health->add_option("--host", flags.host, "Server address (env O4O_HOST; 0.0.0.0 asks 127.0.0.1)");
  health->add_option("--port", flags.port, "Server port (env O4O_PORT, default 4000)")
      ->check(CLI::Range(1, 65535));

  auto* mcp = app.add_subcommand(
      "mcp", "Serve the MCP tools over stdio, forwarding each message to a running server's /mcp");
  o4o::app::McpBridgeOptions mcp_options;
  mcp->add_option("--url", mcp_options.url, "The server, e.g. http://127.0.0.1:4000 (env O4O_MCP_URL)")
      ->envname("O4O_MCP_URL")
      ->required();
  mcp->add_option("--token", mcp_options.token,
                  "An access or assistant token (env O4O_MCP_TOKEN); without one, read tools only")
      ->envname("O4O_MCP_TOKEN");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (health->parsed()) return healthcheck(flags);
  if (mcp->parsed()) return o4o::app::run_mcp_stdio(mcp_options, std::cin, std::cout, std::cerr);

  try {
    auto config = build_config(flags);
    if (serve->parsed()) o4o::core::require_serving_config(config);
    o4o::app::Platform platform(std::move(config));
    if (serve->parsed()) return platform.serve();
    if (migrate->parsed()) {
      std::cout << "Database is up to date.\n";
      return 0;
    }
    if (create->parsed()) {
      auto id = o4o::accounts::upsert_user(platform.context().db, platform.context().clock, email,
                                           password, name, role);
      std::cout << "User " << email << " (" << role << ") saved with id " << id << "\n";
      return 0;
    }
    if (seed->parsed()) {
      platform.seed();
      return 0;
    }
  } catch (const o4o::core::ApiError& e) {
    std::string detail;
    if (e.details().is_array())
      for (const auto& d : e.details().as_array())
        if (d.is_object() && d.as_object().contains("message"))
          detail += std::string(detail.empty() ? ": " : "; ") +
                    std::string(d.as_object().at("message").as_string());
    std::cerr << "o4o: " << e.message()
              << (e.details().is_array() && e.details().as_array().size() > 1 ? detail : "")
              << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "o4o: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
