-- title: Preferred channel
-- params: as_of
-- One row per current profile with communication: the channel the customer actually answers,
-- i.e. the one with the most engagements (responded outbound contacts + contacts the customer
-- initiated), ties broken by response rate, then by the channel name.
SELECT
    profile_id,
    argMax(channel, (engagements, ch_rate, channel)) AS preferred_channel,
    max(engagements) AS preferred_engagements,
    sum(ch_out) AS outbound,
    sum(ch_in) AS inbound,
    sum(ch_resp) AS responded,
    round(if(sum(ch_out) = 0, 0., sum(ch_resp) / sum(ch_out)), 3) AS response_rate,
    arraySort(groupArray(channel)) AS channels
FROM
(
    SELECT profile_id, channel, outbound AS ch_out, inbound AS ch_in, responded AS ch_resp,
           response_rate AS ch_rate, responded + inbound_initiated AS engagements
    FROM {view:channel_responsiveness}
)
GROUP BY profile_id
ORDER BY profile_id
