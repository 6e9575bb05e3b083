-- The public pages in turn (ZG_PATHS, space-separated), as many residents opening different links.
package.path = package.path .. ";" .. (os.getenv("ZG_LUA") or ".") .. "/?.lua"
require("report")
local paths = {}
for path in string.gmatch(os.getenv("ZG_PATHS") or "/public", "%S+") do paths[#paths + 1] = path end
local next = 0
request = function()
  next = next % #paths + 1
  return wrk.format("GET", paths[next])
end
done = function(summary, latency, requests) report(summary, latency) end
