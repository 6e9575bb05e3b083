-- POST /open311/v2/requests.json as a hotline platform does, form-encoded, turning over the keys in
-- ZG_OPEN311_KEYS (each key may post 2,000 requests an hour). Counts the 200 answers.
package.path = package.path .. ";" .. (os.getenv("ZG_LUA") or ".") .. "/?.lua"
require("report")
local keys = {}
for key in string.gmatch(os.getenv("ZG_OPEN311_KEYS"), "[^,]+") do keys[#keys + 1] = key end
local counter = 0
setup = function(thread)
  counter = counter + 1
  thread:set("offset", counter * 31)
end
local n = 0
request = function()
  n = n + 1
  local key = keys[(n + offset) % #keys + 1]
  return wrk.format("POST", "/open311/v2/requests.json",
    { ["Content-Type"] = "application/x-www-form-urlencoded" },
    "api_key=" .. key .. "&service_code=HJWS&attribute%5Bkind%5D=complaint"
      .. "&address_string=%E7%AC%AC1%E9%95%871%E6%9D%91%E6%9D%91%E5%8F%A3"
      .. "&description=%E6%9D%91%E5%8F%A3%E5%9E%83%E5%9C%BE%E6%B1%A0%E6%BB%A1%E4%BA%86%EF%BC%88" .. n .. "%EF%BC%89")
end
done = function(summary, latency, requests)
  report(summary, latency)
end
