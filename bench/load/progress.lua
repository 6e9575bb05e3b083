-- POST a progress entry to the tasks in ZG_TASKS (comma-separated), in turn: the write burst before a
-- 周调度. Counts the 201 answers per thread so run.sh can check every acknowledged write was stored.
package.path = package.path .. ";" .. (os.getenv("ZG_LUA") or ".") .. "/?.lua"
require("report")
local tasks = {}
for id in string.gmatch(os.getenv("ZG_TASKS"), "[^,]+") do tasks[#tasks + 1] = id end
local threads = {}
local counter = 0
setup = function(thread)
  counter = counter + 1
  thread:set("offset", counter * 7)
  table.insert(threads, thread)
end
local n = 0
created = 0
request = function()
  n = n + 1
  local id = tasks[(n + offset) % #tasks + 1]
  return wrk.format("POST", "/api/v1/tasks/" .. id .. "/progress",
    { ["Authorization"] = "Bearer " .. os.getenv("ZG_TOKEN"), ["Content-Type"] = "application/json" },
    '{"text":"负载测试：已召开专题会议推进整改（第' .. n .. '次）。"}')
end
response = function(status, headers, body)
  if status == 201 then created = created + 1 end
end
done = function(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("created") end
  io.write(string.format("CREATED %d\n", total))
  report(summary, latency)
end
