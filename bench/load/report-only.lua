-- Plain GET, no credentials: a page with no database work, the framework's ceiling.
package.path = package.path .. ";" .. (os.getenv("ZG_LUA") or ".") .. "/?.lua"
require("report")
done = function(summary, latency, requests) report(summary, latency) end
