-- wrk script: POST /api/v1/auth/login with the benchmark account (see run.sh).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = string.format('{"email":"%s","password":"%s"}',
  os.getenv("BENCH_EMAIL") or "bench@example.com",
  os.getenv("BENCH_PASSWORD") or "Bench-Login-Pass-2024")
