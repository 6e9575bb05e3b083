-- GET with the API's bearer token (ZG_TOKEN), as a script or another system calls /api/v1.
package.path = package.path .. ";" .. (os.getenv("ZG_LUA") or ".") .. "/?.lua"
require("report")
wrk.headers["Authorization"] = "Bearer " .. os.getenv("ZG_TOKEN")
done = function(summary, latency, requests) report(summary, latency) end
