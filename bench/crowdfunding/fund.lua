-- wrk script: POST a pledge of a varying amount with the bearer token from the environment.
local token = os.getenv("CF_TOKEN")
local counter = 0
request = function()
  counter = counter + 1
  local body = '{"amount":' .. (1 + counter % 100) .. '}'
  return wrk.format("POST", nil, {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
  }, body)
end
