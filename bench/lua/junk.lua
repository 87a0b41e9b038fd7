-- Unique junk requests for bench/hostile.sh: cursors on every page kind,
-- made-up tags, unknown paths, counts and vote-result pages for random ids,
-- each from a random client address (X-Forwarded-For through a trusted
-- proxy), so no per-network budget ever hides the cost of the work.
--
-- Environment: JUNK_DELAY_MS (think time per request, default 2),
-- JUNK_LIMIT (stop each thread after this many requests, default none).

local delay_ms = tonumber(os.getenv("JUNK_DELAY_MS") or "2")
local limit = tonumber(os.getenv("JUNK_LIMIT") or "0")
local sent = 0
local shapes = {
  "/?after=%d.%d",
  "/digital/governance/1-shared-safe-open-cyberspace.html?after=%d.%d",
  "/ranking/?after=%d.%d",
  "/digital/?after=%d.%d",
  "/en/?after=%d.%d",
  "/stream/?after=%d.%d",
  "/tag/made-up-%d-%d/",
  "/tag/made-up-%d/?after=%d.1",
  "/no/such/page-%d-%d.php",
  "/wp-login-%d-%d.php",
  "/api/articles/%d%d/moods",
  "/vote/%d%d/",
}

function setup(thread)
  thread:set("seed", math.random(1, 1e9))
end

function init(args)
  math.randomseed(seed)
end

function request()
  sent = sent + 1
  local shape = shapes[(sent % #shapes) + 1]
  local path = string.format(shape, math.random(1e8, 2e9), math.random(1, 1e9), math.random(1, 1e6))
  local client = string.format("198.%d.%d.%d", math.random(18, 19), math.random(0, 255), math.random(1, 254))
  return wrk.format("GET", path, { ["X-Forwarded-For"] = client, ["Accept-Encoding"] = "gzip, br" })
end

function delay()
  return delay_ms
end

function response(status, headers, body)
  if limit > 0 and sent >= limit then
    wrk.thread:stop()
  end
end
