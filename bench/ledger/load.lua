-- wrk script for bench/ledger/run: one loyalty or payment endpoint, tokens rotated per request.
--   LEDGER_KIND    earn | burn | giftlist | userinfo | charges | card
--   LEDGER_TOKENS  file of user tokens, one a line (user k is line k: bench-u-k); for userinfo the
--                  user ids bench-u-1..N are rotated instead and LEDGER_SERVER_TOKEN is sent
--   LEDGER_SERVER_TOKEN  userinfo only
--   LEDGER_GIFT    burn: the gift id        LEDGER_CARD  card: the card id
--   LEDGER_RATE    optional: total requests/s to pace to (p99 at a given rate; see below), with
--   LEDGER_THREADS the -t given to wrk
--
-- Pacing (LEDGER_RATE set): each wrk thread keeps a schedule of send slots at rate/threads per
-- second, and delay() holds a free connection until the next slot (clock_gettime through LuaJIT's
-- FFI). Latency is wrk's own, from the actual send: a slot that finds every connection busy is sent
-- late instead, and that lateness is reported (late_sends, max_late_ms) so it can be seen, not
-- folded into the latency the way wrk2 would.

local kind = os.getenv("LEDGER_KIND") or "earn"
local tokens_file = os.getenv("LEDGER_TOKENS")
local server_token = os.getenv("LEDGER_SERVER_TOKEN")
local gift = os.getenv("LEDGER_GIFT") or ""
local card = os.getenv("LEDGER_CARD") or ""
local rate = tonumber(os.getenv("LEDGER_RATE") or "")
local thread_count = tonumber(os.getenv("LEDGER_THREADS") or "2")

local tokens = {}
if tokens_file then
  for line in io.lines(tokens_file) do
    if line ~= "" then tokens[#tokens + 1] = line end
  end
end
local n = #tokens
if n == 0 then error("no tokens in " .. tostring(tokens_file)) end

local json = { ["Content-Type"] = "application/json" }
local earn_body = '{"action_code":"bench-earn"}'
local burn_body = '{"gift_id":"' .. gift .. '"}'

local created = 0
local threads = {}
function setup(thread)
  created = created + 1
  thread:set("thread_no", created)
  threads[#threads + 1] = thread
end

local i = 0
local ffi, ts, slot, interval_ms, late, late_max
local function now_ms()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

function init(args)
  -- Threads start at different users so they do not walk the same accounts in step.
  i = ((thread_no or 1) - 1) * math.floor(n / 2)
  late, late_max = 0, 0
  if rate then
    ffi = require("ffi")
    ffi.cdef [[
      typedef struct { long tv_sec; long tv_nsec; } ledger_ts;
      int clock_gettime(int clk, ledger_ts *tp);
    ]]
    ts = ffi.new("ledger_ts")
    interval_ms = 1000 * thread_count / rate
    slot = now_ms()
  end
end

if rate then
  function delay()
    slot = slot + interval_ms
    local wait = slot - now_ms()
    if wait < 0 then
      -- Every connection was busy when this slot came: it goes out late.
      if -wait > 1 then late = late + 1 end
      if -wait > late_max then late_max = -wait end
      return 0
    end
    return math.floor(wait)
  end
end

function request()
  i = i % n + 1
  if kind == "earn" then
    json["Authorization"] = "Bearer " .. tokens[i]
    return wrk.format("POST", "/generosity/store", json, earn_body)
  elseif kind == "burn" then
    json["Authorization"] = "Bearer " .. tokens[i]
    return wrk.format("POST", "/gift/checkavailability", json, burn_body)
  elseif kind == "giftlist" then
    return wrk.format("GET", "/gift/list", { ["Authorization"] = "Bearer " .. tokens[i] })
  elseif kind == "userinfo" then
    return wrk.format("GET", "/user/info?user_id=bench-u-" .. i,
      { ["Authorization"] = "Bearer " .. server_token })
  elseif kind == "charges" then
    return wrk.format("GET", "/api/users/payment/charges", { ["Authorization"] = "Bearer " .. tokens[1] })
  elseif kind == "card" then
    return wrk.format("GET", "/api/users/payment/card/" .. card, { ["Authorization"] = "Bearer " .. tokens[1] })
  end
  error("unknown LEDGER_KIND " .. kind)
end

-- One machine-readable line for bench/ledger/run; latencies in ms.
function done(summary, latency, requests)
  local e = summary.errors
  local late_total, late_worst = 0, 0
  for _, t in ipairs(threads) do
    late_total = late_total + (t:get("late") or 0)
    late_worst = math.max(late_worst, t:get("late_max") or 0)
  end
  io.write(string.format(
    "BENCH requests=%d rps=%.1f p50=%.2f p90=%.2f p99=%.2f max=%.2f non2xx=%d socket_errors=%d late_sends=%d max_late_ms=%.1f\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    e.status, e.connect + e.read + e.write + e.timeout, late_total, late_worst))
end
