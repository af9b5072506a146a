-- title: Channel mix
-- params: as_of
-- One row per channel: customers reached, contacts out and in, responses, response rate,
-- answered / rejected outbound calls, and how many customers prefer the channel.
SELECT
    channel, customers, outbound, inbound, responded, response_rate,
    calls_answered, calls_rejected, preferred_by
FROM
(
    SELECT
        channel,
        uniqExact(profile_id) AS customers,
        sum(ch_out) AS outbound,
        sum(ch_in) AS inbound,
        sum(ch_resp) AS responded,
        round(if(sum(ch_out) = 0, 0., sum(ch_resp) / sum(ch_out)), 3) AS response_rate,
        sum(ch_answered) AS calls_answered,
        sum(ch_rejected) AS calls_rejected
    FROM
    (
        SELECT profile_id, channel, outbound AS ch_out, inbound AS ch_in, responded AS ch_resp,
               calls_answered AS ch_answered, calls_rejected AS ch_rejected
        FROM {view:channel_responsiveness}
    )
    GROUP BY channel
) AS l1
ANY LEFT JOIN
(
    SELECT preferred_channel AS channel, count() AS preferred_by
    FROM {view:preferred_channel}
    GROUP BY preferred_channel
) AS r1 USING (channel)
ORDER BY outbound + inbound DESC, channel
