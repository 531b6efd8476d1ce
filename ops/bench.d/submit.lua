-- wrk script: POST /v1/dossiers with bodies spread over the catalog's communes and wards,
-- as a province's counters and portal would send them.
local units = {}
for unit in string.gmatch(os.getenv("BENCH_UNITS") or "000.00.19.H56", "[^,]+") do units[#units + 1] = unit end
local token = os.getenv("BENCH_TOKEN")
local n = 0

request = function()
  n = n + 1
  local unit = units[(n % #units) + 1]
  local body = string.format([[{"procedureCode":"1.004222","unitCode":"%s","channel":"online","onlineLevel":"full",
"applicant":{"personalId":"051095001234","fullName":"Nguyễn Văn A","birthYear":1995,"sex":"male"},
"components":[{"name":"Tờ khai","digitized":true,"sha256":"%s","bytes":120000,"mediaType":"application/pdf","signed":true}]}]],
    unit, string.rep("ab", 32))
  return wrk.format("POST", "/v1/dossiers",
    { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token }, body)
end

local accepted = 0
response = function(status)
  if status == 202 then accepted = accepted + 1 end
end

done = function(summary, latency)
  io.write(string.format("requests: %d, errors (non-2xx or socket): %d\n",
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
  io.write(string.format("latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("accepted/s: %.0f\n", summary.requests / (summary.duration / 1e6)))
end
