-- wrk script: GET /healthz paced at one request per connection every PACE_MS milliseconds, so that
-- the measuring client does not itself take the CPU away from the server (wrk otherwise sends as
-- fast as it can, and on 2 cores its own load would dominate the latency it reports).
local pace = tonumber(os.getenv("PACE_MS") or "10")
function delay()
  return pace
end
