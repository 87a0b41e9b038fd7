-- wrk script for bench/votes.sh: every request is a mood vote from a
-- different voter (a distinct X-Forwarded-For address, which the server
-- believes because loopback is configured as a trusted proxy), spread over
-- the demo's published articles. Counts acknowledged votes (200 with
-- "counted":true) per thread; `done` prints the total.
local threads = {}
local articles = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20 }

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  acked = 0
  other = 0
  base = (id or 0) * 4000000
end

function request()
  counter = counter + 1
  local n = base + counter
  local address = string.format("10.%d.%d.%d", math.floor(n / 65536) % 256, math.floor(n / 256) % 256, n % 256)
  local article = articles[(n % #articles) + 1]
  return wrk.format("POST", "/api/articles/" .. article .. "/vote", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Accept"] = "application/json",
    ["X-Forwarded-For"] = address,
    ["User-Agent"] = "VoteBench/1.0",
  }, "mood=happy")
end

function response(status, headers, body)
  if status == 200 and string.find(body, '"counted":true', 1, true) then
    acked = acked + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local total, rest = 0, 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("acked")
    rest = rest + thread:get("other")
  end
  io.write(string.format("ACKED %d OTHER %d\n", total, rest))
end
