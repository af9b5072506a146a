-- Apply one batch's identity mutations atomically, only if everything the batch read still holds
-- (optimistic concurrency: another worker's batch may have changed the graph meanwhile).
-- ARGV[1] = prefix, ARGV[2] = JSON [checks, ops]; checks are [kind, key, expected], ops are
--   [L, member, pid] | [M, loser, survivor] | [P, pid, {field: value}] | [HL, member, hh]
--   | [HA, hh, pid] | [HR, hh, pid] (see streams/identity/model.py Mutations);
-- ARGV[3], ARGV[4] (optional) = the outbox op: entry id and the batch's encoded identity changes
--   (binary, so not in the JSON), written with the rest.
-- Returns 1 when applied, 0 on conflict (nothing written).
local p = ARGV[1]
local batch = cjson.decode(ARGV[2])
local checks, ops = batch[1], batch[2]
for c = 1, #checks do
  local kind, key, expected = checks[c][1], checks[c][2], checks[c][3]
  local actual
  if kind == 'I' then
    actual = redis.call('GET', p .. ':id:' .. key)
  elseif kind == 'H' then
    actual = redis.call('GET', p .. ':hid:' .. key)
  else
    actual = redis.call('HGET', p .. ':pmeta:{' .. key .. '}', 'v')
  end
  if (actual or '') ~= expected then
    return 0
  end
end
local function pm(pid) return p .. ':pm:{' .. pid .. '}' end
for o = 1, #ops do
  local op, a, b = ops[o][1], ops[o][2], ops[o][3]
  if op == 'L' then
    redis.call('SET', p .. ':id:' .. a, b)
    redis.call('SADD', pm(b), a)
  elseif op == 'M' then
    local moved = redis.call('SMEMBERS', pm(a))
    for k = 1, #moved do
      redis.call('SET', p .. ':id:' .. moved[k], b)
    end
    redis.call('SUNIONSTORE', pm(b), pm(b), pm(a))
    redis.call('DEL', pm(a), p .. ':pmeta:{' .. a .. '}')
    redis.call('SET', p .. ':alias:' .. a, b)
  elseif op == 'P' then
    local fields = {}
    for f, v in pairs(b) do
      fields[#fields + 1] = f
      fields[#fields + 1] = v
    end
    redis.call('HSET', p .. ':pmeta:{' .. a .. '}', unpack(fields))
  elseif op == 'HL' then
    redis.call('SET', p .. ':hid:' .. a, b)
  elseif op == 'HA' then
    redis.call('SADD', p .. ':hh:' .. a, b)
  elseif op == 'HR' then
    redis.call('SREM', p .. ':hh:' .. a, b)
  else
    return redis.error_reply('unknown op ' .. tostring(op))
  end
end
if ARGV[3] then
  redis.call('HSET', p .. ':outbox:identity', ARGV[3], ARGV[4])
end
return 1
