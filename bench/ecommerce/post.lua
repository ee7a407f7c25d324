-- wrk script for bench/ecommerce/orders-wrk.mjs: every request is a POST with its own
-- Idempotency-Key and one of the accounts' bearer tokens, as a shop's clients send them.
--   BENCH_KIND=order: 80 % one unit of BENCH_HOT, 10 % two units, 10 % a basket of BENCH_SIDE and
--                     BENCH_HOT (the mix of bench/ecommerce/bench.mjs);
--   BENCH_KIND=pledge: a pledge of 1 to 100 to the project in the URL.
-- BENCH_TOKENS: comma-separated access tokens; BENCH_RUN: a prefix that makes the keys unique.
-- At the end it prints one line "RESULT {json}" with the answers by status and the latency
-- percentiles in ms (wrk's --latency table stops at p99).
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

local tokens, kind, hot, side, run
-- Globals, so that done() can read them from each thread (thread:get).
n, c201, c409, other = 0, 0, 0, 0

function init(args)
  tokens = {}
  for t in string.gmatch(os.getenv("BENCH_TOKENS") or "", "[^,]+") do tokens[#tokens + 1] = t end
  kind = os.getenv("BENCH_KIND") or "order"
  hot = os.getenv("BENCH_HOT")
  side = os.getenv("BENCH_SIDE")
  run = os.getenv("BENCH_RUN") or tostring(os.time())
end

local function order_body(k)
  local m = k % 10
  if m == 0 then
    return '{"items":[{"productId":"' .. side .. '","quantity":1},{"productId":"' .. hot .. '","quantity":1}]}'
  elseif m == 1 then
    return '{"items":[{"productId":"' .. hot .. '","quantity":2}]}'
  end
  return '{"items":[{"productId":"' .. hot .. '","quantity":1}]}'
end

function request()
  n = n + 1
  local body = kind == "pledge" and ('{"amount":' .. (1 + n % 100) .. '}') or order_body(n)
  return wrk.format("POST", nil, {
    ["Authorization"] = "Bearer " .. tokens[1 + (n + tid) % #tokens],
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = run .. "-" .. tid .. "-" .. n,
  }, body)
end

function response(status, headers, body)
  if status == 201 then c201 = c201 + 1
  elseif status == 409 then c409 = c409 + 1
  else
    other = other + 1
    if other <= 2 then io.stderr:write("unexpected " .. status .. " " .. string.sub(body, 1, 200) .. "\n") end
  end
end

function done(summary, latency, requests)
  local a201, a409, aother = 0, 0, 0
  for _, t in ipairs(threads) do
    a201 = a201 + t:get("c201")
    a409 = a409 + t:get("c409")
    aother = aother + t:get("other")
  end
  local function ms(p) return latency:percentile(p) / 1000 end
  io.write(string.format(
    'RESULT {"s201":%d,"s409":%d,"other":%d,"errors":%d,"seconds":%.3f,"p50":%.2f,"p90":%.2f,"p99":%.2f,"p999":%.2f,"max":%.2f}\n',
    a201, a409, aother,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.duration / 1e6, ms(50), ms(90), ms(99), ms(99.9), latency.max / 1000))
end
