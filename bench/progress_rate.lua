-- wrk script for bench/progress_latency.py: GET requests at a fixed aggregate rate.
--
-- wrk 4.1 has no fixed-rate mode, so each thread keeps a schedule of send times (one every
-- threads/rate seconds) and `delay()` makes each connection wait for the next free slot. With
-- more connections than requests in flight, the rate holds whatever the latency; a slot handed
-- out after its time has passed is counted as late, so a run that could not hold the rate says so.
--
-- Arguments (after `--`): rate_per_second threads token mode count seed
--   mode "progress": /api/tasks/tNNNNNN/progress for a random id below `count`
--   mode "healthz":  /healthz

local ffi = require("ffi")
ffi.cdef([[
typedef struct { long tv_sec; long tv_nsec; } pb_timespec;
int clock_gettime(int clk_id, pb_timespec *tp);
]])
local CLOCK_MONOTONIC = 1
local timespec = ffi.new("pb_timespec")

local function now_us()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, timespec)
  return tonumber(timespec.tv_sec) * 1000000 + tonumber(timespec.tv_nsec) / 1000
end

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local interval_us, mode, count, next_at
late = 0
late_max_us = 0

function init(args)
  local rate = tonumber(args[1])
  interval_us = 1000000 * tonumber(args[2]) / rate
  wrk.headers["Authorization"] = "Bearer " .. args[3]
  mode = args[4]
  count = tonumber(args[5])
  math.randomseed(tonumber(args[6]) + id)
end

function delay()
  local now = now_us()
  if next_at == nil then
    next_at = now
  end
  local wait = next_at - now
  next_at = next_at + interval_us
  if wait < -1000 then
    late = late + 1
    if -wait > late_max_us then
      late_max_us = -wait
    end
  end
  if wait <= 0 then
    return 0
  end
  return math.floor(wait / 1000 + 0.5)
end

function request()
  if mode == "healthz" then
    return wrk.format("GET", "/healthz")
  end
  return wrk.format("GET", string.format("/api/tasks/t%06d/progress", math.random(0, count - 1)))
end

function done(summary, latency, requests)
  local late_total, late_worst = 0, 0
  for _, thread in ipairs(threads) do
    late_total = late_total + thread:get("late")
    late_worst = math.max(late_worst, thread:get("late_max_us"))
  end
  local errors = summary.errors
  io.write(string.format(
    "PB_RESULT requests=%d seconds=%.3f p50_us=%d p99_us=%d p999_us=%d max_us=%d "
      .. "errors=%d late=%d late_max_us=%d\n",
    summary.requests,
    summary.duration / 1000000,
    latency:percentile(50),
    latency:percentile(99),
    latency:percentile(99.9),
    latency.max,
    errors.connect + errors.read + errors.write + errors.status + errors.timeout,
    late_total,
    late_worst
  ))
end
