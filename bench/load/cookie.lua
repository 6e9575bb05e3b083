-- GET with the session cookie (ZG_TOKEN), as a signed-in browser asks for a page.
package.path = package.path .. ";" .. (os.getenv("ZG_LUA") or ".") .. "/?.lua"
require("report")
wrk.headers["Cookie"] = "zg_session=" .. os.getenv("ZG_TOKEN")
done = function(summary, latency, requests) report(summary, latency) end
