-- GCRA on one key, the same computation as internal/gcra (microseconds),
-- on Redis' clock so every replica agrees on "now".
-- KEYS[1]: the budget's key. ARGV: per_minute, n, charge (0: take, 1: charge).
-- Returns {allowed (0/1), wait_us}.
local per_minute = math.max(tonumber(ARGV[1]), 1)
local n = tonumber(ARGV[2])
local charge = ARGV[3] == "1"
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local tolerance = 60000000
local interval = math.floor(tolerance / per_minute)
local tat = tonumber(redis.call("GET", KEYS[1]) or "0")
if tat < now then tat = now end
local function store(v)
  redis.call("SET", KEYS[1], string.format("%d", v), "PX", math.floor((v - now) / 1000) + 1000)
end
if charge then
  store(math.min(tat + n * interval, now + tolerance))
  return {1, 0}
end
local next = tat + math.max(n, 1) * interval
local over = next - now - tolerance
if over > 0 then
  return {0, over}
end
if n > 0 then store(next) end
return {1, 0}
