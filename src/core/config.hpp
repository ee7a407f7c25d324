#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace o4o::core {

// Everything the platform reads from flags and O4O_* variables (flags win), validated at start.
struct Config {
  std::string host = "127.0.0.1";
  int port = 4000;
  std::string database_url = "sqlite:./data/o4o.db";
  // PostgreSQL streaming replicas that serve the reads of requests (db/replicas.hpp), and the
  // replay lag past which one is skipped.
  std::vector<std::string> database_replica_urls;
  int replica_max_lag_ms = 1000;
  std::string redis_url;                        // empty: in-process pub/sub and limits
  std::vector<std::string> services = {"all"};  // which services this process mounts
  std::string web_root = "web/dist";
  std::string data_dir = "./data";  // where SQLite keeps its file and the JWT secret

  std::string jwt_secret;               // HS256 key (required with PostgreSQL)
  std::string jwt_algorithm = "HS256";  // HS256 | RS256
  std::string jwt_private_key_file;     // RS256: PEM, to sign (auth service)
  std::string jwt_public_key_file;      // RS256: PEM, to verify (every service)
  int64_t access_token_ttl_seconds = 900;
  int64_t refresh_token_ttl_seconds = 30 * 24 * 3600;

  int rate_limit_rps = 50;          // per client address, all routes; 0 = off
  // Exhaustion limits (issue 19; the contract's "Server behaviour").
  int streams_per_display = 4;         // signage streams per display; a new one replaces the oldest
  int max_connections_per_ip = 256;    // open connections per client address; trusted proxies exempt
  int password_hash_per_min = 60;      // password-hashing requests per address (burst, refill/min); 0 = off
  int query_timeout_ms = 2000;         // longest a statement may run
  int cache_mb = 64;                   // the read cache's bound (core/read_cache.hpp); 0 = off
  int login_max_failures = 5;       // per account and address in the window
  int login_ip_max_failures = 100;  // per address alone in the window
  int64_t login_window_seconds = 15 * 60;
  std::vector<std::string> trusted_proxies;  // IPs or CIDR ranges whose X-Forwarded-For we believe

  // Payments: which provider takes the money, and how long an order or pledge may stay unpaid.
  std::string payment_provider = "sim";  // sim | toss
  std::string toss_secret_key;           // toss: the API secret key (Basic auth)
  std::string toss_client_key;           // toss: the widget's client key
  std::string toss_api_base = "https://api.tosspayments.com";
  std::string sim_webhook_secret;   // generated into data_dir with SQLite when unset
  int64_t payment_ttl_seconds = 1800;
  int payment_timeout_ms = 10'000;  // one call to the provider, all included
  std::string public_url;           // how browsers reach this server; empty: http://host:port

  // Mail (src/mail) and accounts II. No SMTP URL: mail stays in the outbox (admins read it).
  std::string smtp_url;      // smtp://user:pass@host:587 (STARTTLS) or smtps://...:465
  std::string smtp_ca_file;  // a private certificate authority to trust
  std::string mail_from = "O4O <no-reply@o4o.local>";
  int mail_per_email_per_hour = 5;            // mails of a kind per address
  int mail_requests_per_ip_per_hour = 30;     // verify/forgot requests per client address
  bool require_verified_email = false;        // ordering, pledging, posting need a proven email
  bool creator_approval = false;              // becoming a creator needs an admin's approval

  std::string currency = "KRW";
  // The language of `o4o seed`'s demo data: "ko" (a Korean install) or "en".
  std::string seed_locale = "ko";
  int fraction_digits = 0;  // derived from the currency

  // The seller's details the web app's footer shows (Korean e-commerce law wants them on every
  // page); each empty when not configured. O4O_BUSINESS_* variables.
  struct Business {
    std::string name;                 // 상호
    std::string representative;       // 대표자
    std::string registration_number;  // 사업자등록번호
    std::string mail_order_number;    // 통신판매업 신고번호
    std::string address;
    std::string phone;
    std::string email;
  } business;
  // The platform's IANA time zone, the default of new signage schedules (O4O_TIME_ZONE); empty:
  // the web app picks Asia/Seoul in Korean and the browser's zone otherwise.
  std::string time_zone;

  std::size_t body_limit_bytes = 1024 * 1024;
  // Media uploads (the media service): where files live, and the limits of one upload.
  std::string media_dir;  // empty: <data_dir>/media
  std::uint64_t upload_limit_bytes = 10 * 1024 * 1024;         // an image upload's body
  std::uint64_t video_upload_limit_bytes = 200 * 1024 * 1024;  // a video upload's body
  int uploads_per_hour = 100;                                  // per user; 0 = no limit
  int image_decodes = 0;  // images decoded at once; 0: derived from cores
  int io_threads = 0;      // 0: one per core
  int db_workers = 0;      // 0: derived from cores
  int cpu_workers = 0;     // password hashing; 0: derived from cores
  int db_pool_size = 0;    // PostgreSQL connections; 0: derived
  int worker_spin_us = 0;  // how long an idle worker spins before it sleeps
  int shutdown_grace_seconds = 10;
  std::string log_level = "info";
  std::string otlp_endpoint;  // OTLP/HTTP base URL: spans go to <it>/v1/traces; empty: no export
  bool access_log = true;

  bool is_postgres() const { return database_url.rfind("postgres", 0) == 0; }
  // Whether this process mounts the named service ("all" mounts every one).
  bool serves(const std::string& service) const;
};

// Fraction digits of an ISO 4217 currency (KRW 0, USD 2, ...); -1 when unknown.
int currency_fraction_digits(const std::string& code);

// The services compiled into this binary, auth first: the service folders CMake found
// (generated by cmake/service_registry.cmake). --services may name only these, or "all".
std::span<const std::string_view> compiled_services();

// "a, b,c" → {"a", "b", "c"}: the form of O4O_SERVICES, --services and O4O_TRUSTED_PROXIES.
std::vector<std::string> split_list(const std::string& text);

// Reads O4O_* variables over the defaults. Flags are applied by the CLI afterwards.
Config config_from_env();
// Throws std::invalid_argument with one readable line on a bad value; fills derived fields.
void validate_config(Config& config);
// What `serve` needs beyond validate_config: with PostgreSQL, a shared JWT secret.
void require_serving_config(const Config& config);

}  // namespace o4o::core
