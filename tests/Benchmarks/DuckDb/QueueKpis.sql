-- The queue rows of `wallboard kpi --by queue --interval total` as an analyst would compute them
-- without Wallboard: one DuckDB query over the queue_log file (definitions: docs/kpis.md).
-- Parameters: $queue_log (path), $short_abandon_ms, $sl_threshold_ms, $ring_limit_ms.
-- Columns are named as kpi's CSV columns; `outcomes` holds one count per outcome, named as kpi's
-- column of that outcome.
WITH
-- The lines that decide a queue call's outcome (the first of them counts), the name of the outcome
-- and the data field that holds the wait (Asterisk's app_queue.c: CONNECT holdtime|bridged|ringtime,
-- ABANDON/EXITEMPTY/EXITWITHTIMEOUT position|origposition|waittime, WITHDRAW position|origposition|waittime|info, EXITWITHKEY key|position|origposition|waittime).
-- A new outcome is one line here.
outcome_verbs(verb, outcome, wait_field) AS (VALUES
    ('CONNECT', 'answered', 1),
    ('ABANDON', 'abandoned', 3),
    ('EXITWITHTIMEOUT', 'timed_out', 3),
    ('EXITWITHKEY', 'exited_key', 4),
    ('EXITEMPTY', 'exited_empty', 3),
    ('WITHDRAW', 'withdrawn', 3)),
-- The lines that end an answered call, and the fields of its wait and talk time (COMPLETEAGENT and
-- COMPLETECALLER holdtime|calltime|position, BLINDTRANSFER exten|context|holdtime|calltime|position,
-- ATTENDEDTRANSFER BRIDGE|bridge or APP|app, or LINK|channel|channel, then holdtime|calltime|position).
completion_verbs(verb, method, wait_field, talk_field) AS (VALUES
    ('COMPLETEAGENT', NULL, 1, 2),
    ('COMPLETECALLER', NULL, 1, 2),
    ('BLINDTRANSFER', NULL, 3, 4),
    ('TRANSFER', NULL, 3, 4),
    ('ATTENDEDTRANSFER', 'BRIDGE', 3, 4),
    ('ATTENDEDTRANSFER', 'APP', 3, 4),
    ('ATTENDEDTRANSFER', 'LINK', 4, 5)),
lines AS (
    SELECT
        CAST(CAST(epoch AS DECIMAL(18, 3)) * 1000 AS BIGINT) AS t,
        callid,
        CASE WHEN queue = 'NONE' THEN '' ELSE coalesce(queue, '') END AS queue,
        verb,
        [data1, data2, data3, data4, data5, data6] AS data
    FROM read_csv($queue_log,
        delim = '|', quote = '', escape = '', header = false, null_padding = true, auto_detect = false,
        columns = {
            'epoch': 'VARCHAR', 'callid': 'VARCHAR', 'queue': 'VARCHAR', 'agent': 'VARCHAR', 'verb': 'VARCHAR',
            'data1': 'VARCHAR', 'data2': 'VARCHAR', 'data3': 'VARCHAR', 'data4': 'VARCHAR', 'data5': 'VARCHAR', 'data6': 'VARCHAR'})
    WHERE callid IS NOT NULL AND callid <> 'NONE'),
-- One row per queue call (callid, queue): its arrival, its first outcome and its first completion.
queue_calls AS (
    SELECT
        l.queue,
        min(l.t) FILTER (WHERE l.verb = 'ENTERQUEUE') AS arrival,
        arg_min({
            'outcome': o.outcome,
            't': l.t,
            'wait': CAST(CAST(l.data[o.wait_field] AS DECIMAL(18, 3)) * 1000 AS BIGINT),
            'ring': CAST(CAST(l.data[3] AS DECIMAL(18, 3)) * 1000 AS BIGINT)}, l.t) FILTER (WHERE o.outcome IS NOT NULL) AS first_outcome,
        arg_min({
            'wait': CAST(CAST(l.data[c.wait_field] AS DECIMAL(18, 3)) * 1000 AS BIGINT),
            'talk': CAST(CAST(l.data[c.talk_field] AS DECIMAL(18, 3)) * 1000 AS BIGINT)}, l.t) FILTER (WHERE c.verb IS NOT NULL) AS completion
    FROM lines l
    LEFT JOIN outcome_verbs o ON o.verb = l.verb
    LEFT JOIN completion_verbs c ON c.verb = l.verb AND (c.method IS NULL OR c.method = l.data[1])
    WHERE l.verb = 'ENTERQUEUE' OR o.verb IS NOT NULL OR c.verb IS NOT NULL
    GROUP BY l.callid, l.queue),
-- A completion with no outcome before it (a log that starts mid-call) implies the answer.
outcomes AS (
    SELECT
        queue,
        coalesce(first_outcome.outcome, 'answered') AS outcome,
        CASE
            WHEN first_outcome IS NULL THEN coalesce(completion.wait, 0)
            ELSE coalesce(first_outcome.wait, greatest(0, first_outcome.t - arrival), 0)
        END AS wait,
        CASE WHEN first_outcome.outcome = 'answered' THEN first_outcome.ring END AS ring,
        CASE WHEN coalesce(first_outcome.outcome, 'answered') = 'answered' THEN completion.talk END AS talk
    FROM queue_calls
    WHERE first_outcome IS NOT NULL OR completion IS NOT NULL),
counters AS (
    SELECT
        queue,
        count(*) AS offered,
        histogram(outcome) AS outcomes,
        count(*) FILTER (WHERE outcome = 'abandoned' AND wait < $short_abandon_ms) AS short_abandoned,
        count(*) FILTER (WHERE outcome = 'answered') AS answered,
        count(*) FILTER (WHERE outcome = 'answered' AND wait <= $sl_threshold_ms) AS answered_within_sl,
        count(*) FILTER (WHERE outcome = 'answered' AND ring <= $ring_limit_ms) AS answered_within_rings,
        count(ring) FILTER (WHERE outcome = 'answered') AS ring_known,
        coalesce(sum(wait) FILTER (WHERE outcome = 'answered'), 0) AS answered_wait_ms,
        count(talk) AS handled,
        coalesce(sum(talk), 0) AS talk_ms,
        count(*) FILTER (WHERE outcome = 'abandoned' AND wait >= $short_abandon_ms) AS long_abandons,
        coalesce(sum(wait) FILTER (WHERE outcome = 'abandoned' AND wait >= $short_abandon_ms), 0) AS long_abandon_wait_ms,
        max(wait) AS max_wait_ms
    FROM outcomes
    GROUP BY queue)
SELECT
    queue,
    offered,
    outcomes,
    short_abandoned,
    answered_within_sl,
    answered_within_sl / nullif(offered - short_abandoned, 0) AS service_level,
    answered_within_rings,
    answered_within_rings / nullif(ring_known, 0) AS ring_rate,
    answered_wait_ms / 1000 / nullif(answered, 0) AS asa_seconds,
    handled,
    talk_ms / 1000 AS talk_seconds,
    talk_ms / 1000 / nullif(handled, 0) AS aht_seconds,
    long_abandons / nullif(offered - short_abandoned, 0) AS abandon_rate,
    long_abandon_wait_ms / 1000 / nullif(long_abandons, 0) AS avg_abandon_seconds,
    max_wait_ms / 1000 AS max_wait_seconds
FROM counters
ORDER BY queue
