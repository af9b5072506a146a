-- Snapshot of the identity graph for one batch, in one round trip.
-- ARGV[1] = key prefix, ARGV[2] = n, ARGV[3] = JSON array of members ("type:value"): the
-- first n are identity members, the rest household members (address keys, related persons).
-- Returns JSON [owners, hids, pids, metas]: owners[i] is "" when absent; hids[i] is "" when absent
-- and "?" when not read (an identity member whose owner already has a household: its
-- household link can not matter); metas[j] is the flat HGETALL of profile pids[j].
local p = ARGV[1]
local n = tonumber(ARGV[2])
local members = cjson.decode(ARGV[3])
local total = #members
local owners, hids, pids, metas, seen, has_hh = {}, {}, {}, {}, {}, {}
for i = 1, total do
  local pid = redis.call('GET', p .. ':id:' .. members[i])
  if pid then
    owners[i] = pid
    if not seen[pid] then
      seen[pid] = true
      pids[#pids + 1] = pid
    end
  else
    owners[i] = ''
  end
end
for j = 1, #pids do
  local flat = redis.call('HGETALL', p .. ':pmeta:{' .. pids[j] .. '}')
  metas[j] = flat
  for k = 1, #flat, 2 do
    if flat[k] == 'hh' then has_hh[pids[j]] = true end
  end
end
for i = 1, total do
  if i <= n and owners[i] ~= '' and has_hh[owners[i]] then
    hids[i] = '?'
  else
    hids[i] = redis.call('GET', p .. ':hid:' .. members[i]) or ''
  end
end
return cjson.encode({owners, hids, pids, metas})
