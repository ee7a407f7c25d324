#include "core/config.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/network_v4.hpp>
#include <boost/asio/ip/network_v6.hpp>
#include <algorithm>
#include <cstdlib>
#include <stdexcept>
#include <thread>

#include "core/pubsub.hpp"
#include "core/whole_number.hpp"

namespace o4o::core {

bool Config::serves(const std::string& service) const {
  for (const auto& s : services)
    if (s == "all" || s == service) return true;
  return false;
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : text + ",") {
    if (c == ',' || c == ' ') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  return out;
}

int currency_fraction_digits(const std::string& code) {
  static const std::pair<const char*, int> table[] = {
      {"KRW", 0}, {"JPY", 0}, {"VND", 0}, {"CLP", 0}, {"ISK", 0}, {"USD", 2}, {"EUR", 2},
      {"GBP", 2}, {"CNY", 2}, {"CAD", 2}, {"AUD", 2}, {"CHF", 2}, {"SEK", 2}, {"NOK", 2},
      {"DKK", 2}, {"SGD", 2}, {"HKD", 2}, {"TWD", 2}, {"INR", 2}, {"NZD", 2}, {"MXN", 2},
      {"BRL", 2}, {"PLN", 2}, {"THB", 2}, {"KWD", 3}, {"BHD", 3}, {"JOD", 3}, {"TND", 3}};
  for (const auto& [c, d] : table)
    if (code == c) return d;
  return -1;
}

namespace {
int parse_int(const std::string& name, const std::string& value, int min, int max) {
  if (auto n = whole_number(value, min, max)) return *n;
  throw std::invalid_argument(name + " must be an integer from " + std::to_string(min) + " to " +
                              std::to_string(max) + " (got \"" + value + "\")");
}

int64_t parse_int64(const std::string& name, const std::string& value, int64_t min, int64_t max) {
  if (auto n = whole_number(value, min, max)) return *n;
  throw std::invalid_argument(name + " must be an integer from " + std::to_string(min) + " to " +
                              std::to_string(max) + " (got \"" + value + "\")");
}

const char* env(const char* name) {
  const char* v = std::getenv(name);
  return (v && *v) ? v : nullptr;
}
}  // namespace

Config config_from_env() {
  Config c;
  if (auto v = env("O4O_HOST")) c.host = v;
  if (auto v = env("O4O_PORT")) c.port = parse_int("O4O_PORT", v, 1, 65535);
  if (auto v = env("O4O_DATABASE_URL")) c.database_url = v;
  if (auto v = env("O4O_DATABASE_REPLICA_URLS")) c.database_replica_urls = split_list(v);
  if (auto v = env("O4O_REPLICA_MAX_LAG_MS"))
    c.replica_max_lag_ms = parse_int("O4O_REPLICA_MAX_LAG_MS", v, 10, 600'000);
  if (auto v = env("O4O_REDIS_URL")) c.redis_url = v;
  if (auto v = env("O4O_SERVICES")) c.services = split_list(v);
  if (auto v = env("O4O_WEB_ROOT")) c.web_root = v;
  if (auto v = env("O4O_JWT_SECRET")) c.jwt_secret = v;
  if (auto v = env("O4O_JWT_ALGORITHM")) c.jwt_algorithm = v;
  if (auto v = env("O4O_JWT_PRIVATE_KEY_FILE")) c.jwt_private_key_file = v;
  if (auto v = env("O4O_JWT_PUBLIC_KEY_FILE")) c.jwt_public_key_file = v;
  if (auto v = env("O4O_ACCESS_TOKEN_TTL"))
    c.access_token_ttl_seconds = parse_int("O4O_ACCESS_TOKEN_TTL", v, 10, 86400);
  if (auto v = env("O4O_RATE_LIMIT_RPS"))
    c.rate_limit_rps = parse_int("O4O_RATE_LIMIT_RPS", v, 0, 1'000'000);
  if (auto v = env("O4O_STREAMS_PER_DISPLAY"))
    c.streams_per_display = parse_int("O4O_STREAMS_PER_DISPLAY", v, 1, 100'000);
  if (auto v = env("O4O_MAX_CONNECTIONS_PER_IP"))
    c.max_connections_per_ip = parse_int("O4O_MAX_CONNECTIONS_PER_IP", v, 1, 1'000'000);
  if (auto v = env("O4O_PASSWORD_HASH_PER_MIN"))
    c.password_hash_per_min = parse_int("O4O_PASSWORD_HASH_PER_MIN", v, 0, 1'000'000);
  if (auto v = env("O4O_QUERY_TIMEOUT_MS"))
    c.query_timeout_ms = parse_int("O4O_QUERY_TIMEOUT_MS", v, 10, 3'600'000);
  if (auto v = env("O4O_CACHE_MB")) c.cache_mb = parse_int("O4O_CACHE_MB", v, 0, 1'000'000);
  if (auto v = env("O4O_LOGIN_MAX_FAILURES"))
    c.login_max_failures = parse_int("O4O_LOGIN_MAX_FAILURES", v, 1, 1'000'000);
  if (auto v = env("O4O_LOGIN_IP_MAX_FAILURES"))
    c.login_ip_max_failures = parse_int("O4O_LOGIN_IP_MAX_FAILURES", v, 1, 1'000'000);
  if (auto v = env("O4O_LOGIN_WINDOW_SECONDS"))
    c.login_window_seconds = parse_int("O4O_LOGIN_WINDOW_SECONDS", v, 1, 86400);
  if (auto v = env("O4O_TRUSTED_PROXIES")) c.trusted_proxies = split_list(v);
  if (auto v = env("O4O_CURRENCY")) c.currency = v;
  if (auto v = env("O4O_SEED_LOCALE")) c.seed_locale = v;
  if (auto v = env("O4O_BUSINESS_NAME")) c.business.name = v;
  if (auto v = env("O4O_BUSINESS_REPRESENTATIVE")) c.business.representative = v;
  if (auto v = env("O4O_BUSINESS_REGISTRATION_NUMBER")) c.business.registration_number = v;
  if (auto v = env("O4O_BUSINESS_MAIL_ORDER_NUMBER")) c.business.mail_order_number = v;
  if (auto v = env("O4O_BUSINESS_ADDRESS")) c.business.address = v;
  if (auto v = env("O4O_BUSINESS_PHONE")) c.business.phone = v;
  if (auto v = env("O4O_BUSINESS_EMAIL")) c.business.email = v;
  if (auto v = env("O4O_TIME_ZONE")) c.time_zone = v;
  if (auto v = env("O4O_PAYMENT_PROVIDER")) c.payment_provider = v;
  if (auto v = env("O4O_TOSS_SECRET_KEY")) c.toss_secret_key = v;
  if (auto v = env("O4O_TOSS_CLIENT_KEY")) c.toss_client_key = v;
  if (auto v = env("O4O_TOSS_API_BASE")) c.toss_api_base = v;
  if (auto v = env("O4O_SIM_WEBHOOK_SECRET")) c.sim_webhook_secret = v;
  if (auto v = env("O4O_PAYMENT_TTL"))
    c.payment_ttl_seconds = parse_int("O4O_PAYMENT_TTL", v, 1, 30 * 86400);
  if (auto v = env("O4O_PAYMENT_TIMEOUT_MS"))
    c.payment_timeout_ms = parse_int("O4O_PAYMENT_TIMEOUT_MS", v, 100, 120'000);
  if (auto v = env("O4O_PUBLIC_URL")) c.public_url = v;
  if (auto v = env("O4O_SMTP_URL")) c.smtp_url = v;
  if (auto v = env("O4O_SMTP_CA_FILE")) c.smtp_ca_file = v;
  if (auto v = env("O4O_MAIL_FROM")) c.mail_from = v;
  if (auto v = env("O4O_MAIL_PER_EMAIL_PER_HOUR"))
    c.mail_per_email_per_hour = parse_int("O4O_MAIL_PER_EMAIL_PER_HOUR", v, 1, 1'000'000);
  if (auto v = env("O4O_MAIL_REQUESTS_PER_IP_PER_HOUR"))
    c.mail_requests_per_ip_per_hour =
        parse_int("O4O_MAIL_REQUESTS_PER_IP_PER_HOUR", v, 1, 1'000'000);
  if (auto v = env("O4O_REQUIRE_VERIFIED_EMAIL"))
    c.require_verified_email = parse_int("O4O_REQUIRE_VERIFIED_EMAIL", v, 0, 1) == 1;
  if (auto v = env("O4O_CREATOR_APPROVAL"))
    c.creator_approval = parse_int("O4O_CREATOR_APPROVAL", v, 0, 1) == 1;
  if (auto v = env("O4O_BODY_LIMIT"))
    c.body_limit_bytes = static_cast<std::size_t>(parse_int("O4O_BODY_LIMIT", v, 1024, 1 << 30));
  if (auto v = env("O4O_MEDIA_DIR")) c.media_dir = v;
  if (auto v = env("O4O_UPLOAD_LIMIT"))
    c.upload_limit_bytes =
        static_cast<std::uint64_t>(parse_int64("O4O_UPLOAD_LIMIT", v, 1024, int64_t(1) << 32));
  if (auto v = env("O4O_VIDEO_UPLOAD_LIMIT"))
    c.video_upload_limit_bytes = static_cast<std::uint64_t>(
        parse_int64("O4O_VIDEO_UPLOAD_LIMIT", v, 1024, int64_t(1) << 36));
  if (auto v = env("O4O_UPLOADS_PER_HOUR"))
    c.uploads_per_hour = parse_int("O4O_UPLOADS_PER_HOUR", v, 0, 1'000'000);
  if (auto v = env("O4O_IMAGE_DECODES")) c.image_decodes = parse_int("O4O_IMAGE_DECODES", v, 0, 64);
  if (auto v = env("O4O_IO_THREADS")) c.io_threads = parse_int("O4O_IO_THREADS", v, 0, 256);
  if (auto v = env("O4O_DB_WORKERS")) c.db_workers = parse_int("O4O_DB_WORKERS", v, 0, 512);
  if (auto v = env("O4O_CPU_WORKERS")) c.cpu_workers = parse_int("O4O_CPU_WORKERS", v, 0, 256);
  if (auto v = env("O4O_DB_POOL_SIZE")) c.db_pool_size = parse_int("O4O_DB_POOL_SIZE", v, 0, 512);
  if (auto v = env("O4O_WORKER_SPIN_US"))
    c.worker_spin_us = parse_int("O4O_WORKER_SPIN_US", v, 0, 10'000);
  if (auto v = env("O4O_LOG_LEVEL")) c.log_level = v;
  if (auto v = env("O4O_OTLP_ENDPOINT")) c.otlp_endpoint = v;
  if (auto v = env("O4O_ACCESS_LOG"))
    c.access_log = std::string(v) != "0" && std::string(v) != "false";
  return c;
}

void require_serving_config(const Config& c) {
  if (c.is_postgres() && c.jwt_algorithm == "HS256" && c.jwt_secret.empty())
    throw std::invalid_argument(
        "O4O_JWT_SECRET is required with PostgreSQL (every instance must share it)");
  if (c.is_postgres() && c.payment_provider == "sim" && c.sim_webhook_secret.empty())
    throw std::invalid_argument(
        "O4O_SIM_WEBHOOK_SECRET is required with PostgreSQL (every instance must share it)");
}

void validate_config(Config& c) {
  if (c.port < 1 || c.port > 65535) throw std::invalid_argument("port must be 1..65535");
  boost::system::error_code ec;
  boost::asio::ip::make_address(c.host, ec);
  if (ec) throw std::invalid_argument("host must be an IP address (got \"" + c.host + "\")");
  if (c.database_url.rfind("sqlite:", 0) != 0 && c.database_url.rfind("postgresql://", 0) != 0 &&
      c.database_url.rfind("postgres://", 0) != 0)
    // Only the scheme is echoed: the rest may hold a password.
    throw std::invalid_argument(
        "database URL must be sqlite:PATH or postgresql://... (got one starting \"" +
        c.database_url.substr(0, c.database_url.find(':')) + ":\")");
  if (c.database_url.rfind("sqlite:", 0) == 0) {
    std::string path = c.database_url.substr(7);
    if (path.empty()) throw std::invalid_argument("sqlite: URL needs a file path");
    auto slash = path.find_last_of('/');
    c.data_dir = slash == std::string::npos ? "." : path.substr(0, slash == 0 ? 1 : slash);
  }
  for (const auto& r : c.database_replica_urls) {
    if (!c.is_postgres())
      throw std::invalid_argument("O4O_DATABASE_REPLICA_URLS needs a PostgreSQL database URL");
    if (r.rfind("postgresql://", 0) != 0 && r.rfind("postgres://", 0) != 0)
      // Never echoed: it may hold a password.
      throw std::invalid_argument("O4O_DATABASE_REPLICA_URLS entries must be postgresql:// URLs");
  }
  if (!c.otlp_endpoint.empty() && c.otlp_endpoint.rfind("http://", 0) != 0 &&
      c.otlp_endpoint.rfind("https://", 0) != 0)
    throw std::invalid_argument("O4O_OTLP_ENDPOINT must be an http:// or https:// URL");
  if (!c.redis_url.empty()) parse_redis_url(c.redis_url);  // says what is wrong, at start
  if (c.services.empty()) throw std::invalid_argument("services list is empty");
  for (const auto& s : c.services) {
    const auto known = compiled_services();
    if (s == "all" || std::find(known.begin(), known.end(), s) != known.end()) continue;
    std::string list = "all";
    for (auto k : known) list += ", " + std::string(k);
    throw std::invalid_argument("unknown service \"" + s + "\" (known: " + list + ")");
  }
  if (c.jwt_algorithm != "HS256" && c.jwt_algorithm != "RS256")
    throw std::invalid_argument("O4O_JWT_ALGORITHM must be HS256 or RS256");
  if (c.jwt_algorithm == "RS256" && c.jwt_public_key_file.empty())
    throw std::invalid_argument("RS256 needs O4O_JWT_PUBLIC_KEY_FILE");
  if (!c.jwt_secret.empty() && c.jwt_secret.size() < 32)
    throw std::invalid_argument("O4O_JWT_SECRET must be at least 32 characters");
  for (const auto& p : c.trusted_proxies) {
    boost::system::error_code e1, e2, e3;
    boost::asio::ip::make_address(p, e1);
    boost::asio::ip::make_network_v4(p, e2);
    boost::asio::ip::make_network_v6(p, e3);
    if (e1 && e2 && e3)
      throw std::invalid_argument("O4O_TRUSTED_PROXIES entry \"" + p + "\" is not an IP or CIDR");
  }
  if (c.seed_locale != "ko" && c.seed_locale != "en")
    throw std::invalid_argument("O4O_SEED_LOCALE must be ko or en");
  if (c.currency.size() != 3) throw std::invalid_argument("O4O_CURRENCY must be an ISO 4217 code");
  int digits = currency_fraction_digits(c.currency);
  if (digits < 0)
    throw std::invalid_argument("O4O_CURRENCY \"" + c.currency + "\" is not supported");
  c.fraction_digits = digits;
  if (c.payment_provider != "sim" && c.payment_provider != "toss")
    throw std::invalid_argument("O4O_PAYMENT_PROVIDER must be sim or toss");
  if (c.payment_provider == "toss" && (c.toss_secret_key.empty() || c.toss_client_key.empty()))
    throw std::invalid_argument("toss needs O4O_TOSS_SECRET_KEY and O4O_TOSS_CLIENT_KEY");
  if (c.toss_api_base.rfind("http://", 0) != 0 && c.toss_api_base.rfind("https://", 0) != 0)
    throw std::invalid_argument("O4O_TOSS_API_BASE must be an http:// or https:// URL");
  while (!c.public_url.empty() && c.public_url.back() == '/') c.public_url.pop_back();
  if (!c.public_url.empty() && c.public_url.rfind("http://", 0) != 0 &&
      c.public_url.rfind("https://", 0) != 0)
    throw std::invalid_argument("O4O_PUBLIC_URL must be an http:// or https:// URL");
  if (!c.smtp_url.empty() && c.smtp_url.rfind("smtp://", 0) != 0 &&
      c.smtp_url.rfind("smtps://", 0) != 0)
    // Never echoed: it may hold a password.
    throw std::invalid_argument("O4O_SMTP_URL must be an smtp:// or smtps:// URL");
  if (c.mail_from.find_first_of("\r\n") != std::string::npos || c.mail_from.find('@') == std::string::npos)
    throw std::invalid_argument("O4O_MAIL_FROM must be an address (\"Name <a@b.c>\" or a@b.c)");
  static const char* levels[] = {"trace", "debug", "info", "warn", "error"};
  bool level_ok = false;
  for (auto l : levels) level_ok = level_ok || c.log_level == l;
  if (!level_ok) throw std::invalid_argument("log level must be trace, debug, info, warn or error");
  int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (c.io_threads == 0) c.io_threads = cores;
  // SQLite answers from memory in microseconds, and every worker beyond the core count costs
  // wake-ups and context switches: on 2 cores, 2 workers serve product reads at ~27k/s with a p99
  // of 6 ms, 8 workers at ~15k/s and 11 ms (bench/RESULTS.md). PostgreSQL workers wait on the
  // network, so more of them keep the connections busy.
  if (c.db_workers == 0)
    c.db_workers = c.is_postgres() ? std::max(4, cores * 4) : std::max(2, cores);
  // One core stays free of hashing so that a burst of logins cannot stall the IO threads.
  if (c.cpu_workers == 0) c.cpu_workers = std::max(1, cores - 1);
  if (c.db_pool_size == 0) c.db_pool_size = c.db_workers + 2;
  if (c.media_dir.empty()) c.media_dir = c.data_dir + "/media";
  // An image decode holds a CPU worker and up to ~100 MB; half the cores keep logins moving.
  if (c.image_decodes == 0) c.image_decodes = std::max(1, cores / 2);
}

}  // namespace o4o::core
