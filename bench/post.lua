-- wrk script for bench/run: POSTs one JSON endpoint of auth-service.
--   BENCH_KIND           token (auth/token) or signin (user/clientcheckcredentials)
--   BENCH_CLIENT_ID      the bench partner
--   BENCH_CLIENT_SECRET  its secret (token only)
--   BENCH_USERS          signin: user ids bench-user-1..N, picked at random (default 1000)
-- Every request carries a random X-Forwarded-For: the gateway trusts it from loopback, so the
-- load looks like many clients and its per-client rate limit (50 r/s) is exercised, not hit.
-- Sent direct too, where auth-service ignores it, so both runs build the same requests.

local kind = os.getenv("BENCH_KIND") or "token"
local client_id = os.getenv("BENCH_CLIENT_ID")
local secret = os.getenv("BENCH_CLIENT_SECRET") or ""
local users = tonumber(os.getenv("BENCH_USERS") or "1000")
local path = kind == "signin" and "/user/clientcheckcredentials" or "/auth/token"
local token_body = string.format('{"client_id":"%s","client_secret":"%s"}', client_id, secret)
local headers = { ["Content-Type"] = "application/json" }

local created = 0
function setup(thread)
  created = created + 1
  thread:set("thread_no", created)
end

function init(args)
  math.randomseed(os.time() * 1000 + (thread_no or 0))
end

function request()
  headers["X-Forwarded-For"] = string.format("10.%d.%d.%d",
    math.random(0, 255), math.random(0, 255), math.random(1, 254))
  local body = token_body
  if kind == "signin" then
    body = string.format('{"client_id":"%s","user_id":"bench-user-%d"}',
      client_id, math.random(1, users))
  end
  return wrk.format("POST", path, headers, body)
end

-- One machine-readable line for bench/run; latencies in ms.
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d rps=%.1f p50=%.2f p90=%.2f p99=%.2f max=%.2f non2xx=%d socket_errors=%d\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    e.status, e.connect + e.read + e.write + e.timeout))
end
