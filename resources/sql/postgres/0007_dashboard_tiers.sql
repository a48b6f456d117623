-- Dashboard tiers (docs/database.md "Request logs, rollups, retention"): small rollups that
-- answer each dashboard panel from a few rows, kept on write with the others by
-- quota.log_requests and quota_complete, and in bulk by quota.add_minutes_to_rollup_tiers and
-- quota.add_identifier_hours_to_day_tier (backfill, benchmarks); filled from the rollups a
-- database already holds at the end of this file.
--   rollup_totals    rollup_minute_total summed per 5 minutes and per hour (grain 5, 60)
--   rollup_endpoints per minute, 5 minutes and hour · endpoint (grain 1, 5, 60): requests,
--                    denied, cost, latency histogram — the endpoint list
--   rollup_denials   per minute, 5 minutes and hour · reason (grain 1, 5, 60), denied requests
--                    only — the denials-by-reason series
--   rollup_identifier_day  rollup_identifier_hour summed per UTC day — top lists over days
-- A range is answered from the coarsest grain that fits inside it (and divides the series
-- step), its edges from finer ones (quota.grain_bounds).

-- The element-wise sum of two latency histograms (13 buckets of quota.latency_bucket_bounds()).
-- Inlined where it is used.
CREATE FUNCTION quota.latency_add(a bigint[], b bigint[]) RETURNS bigint[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ARRAY[a[1] + b[1], a[2] + b[2], a[3] + b[3], a[4] + b[4], a[5] + b[5], a[6] + b[6],
                 a[7] + b[7], a[8] + b[8], a[9] + b[9], a[10] + b[10], a[11] + b[11],
                 a[12] + b[12], a[13] + b[13]]
$$;

-- quota.latency_quantile of a histogram given as cumulative counts (c[i]: the observations in
-- buckets 1..i), in double precision, as one expression: inlined into the query, so that a
-- series computes the p95 of each point without a function call (with a simple argument such
-- as a column of a subquery; c[13] is the total).
CREATE FUNCTION quota.latency_quantile_cumulative(c double precision[], q double precision)
RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
                WHEN coalesce(q * c[13], 0) <= 0 THEN NULL
                WHEN c[1] >= q * c[13] THEN q * c[13] / c[1]
                WHEN c[2] >= q * c[13]
                    THEN 1 + 1.5 * (q * c[13] - c[1]) / nullif(c[2] - c[1], 0)
                WHEN c[3] >= q * c[13]
                    THEN 2.5 + 2.5 * (q * c[13] - c[2]) / nullif(c[3] - c[2], 0)
                WHEN c[4] >= q * c[13]
                    THEN 5 + 5 * (q * c[13] - c[3]) / nullif(c[4] - c[3], 0)
                WHEN c[5] >= q * c[13]
                    THEN 10 + 15 * (q * c[13] - c[4]) / nullif(c[5] - c[4], 0)
                WHEN c[6] >= q * c[13]
                    THEN 25 + 25 * (q * c[13] - c[5]) / nullif(c[6] - c[5], 0)
                WHEN c[7] >= q * c[13]
                    THEN 50 + 50 * (q * c[13] - c[6]) / nullif(c[7] - c[6], 0)
                WHEN c[8] >= q * c[13]
                    THEN 100 + 50 * (q * c[13] - c[7]) / nullif(c[8] - c[7], 0)
                WHEN c[9] >= q * c[13]
                    THEN 150 + 100 * (q * c[13] - c[8]) / nullif(c[9] - c[8], 0)
                WHEN c[10] >= q * c[13]
                    THEN 250 + 50 * (q * c[13] - c[9]) / nullif(c[10] - c[9], 0)
                WHEN c[11] >= q * c[13]
                    THEN 300 + 200 * (q * c[13] - c[10]) / nullif(c[11] - c[10], 0)
                WHEN c[12] >= q * c[13]
                    THEN 500 + 500 * (q * c[13] - c[11]) / nullif(c[12] - c[11], 0)
                ELSE 1000 END
$$;

CREATE TABLE quota.rollup_totals (
    grain smallint NOT NULL CHECK (grain IN (5, 60)), -- minutes
    bucket timestamptz NOT NULL, -- start, a multiple of the grain since 2000-01-01 UTC
    requests bigint NOT NULL,
    denied bigint NOT NULL,
    rate_limited bigint NOT NULL,
    latency_buckets bigint[] NOT NULL,
    latency_count bigint NOT NULL,
    latency_sum_ms double precision NOT NULL,
    cost_usd numeric(20, 6) NOT NULL,
    collisions bigint NOT NULL,
    fail_open bigint NOT NULL,
    PRIMARY KEY (grain, bucket)
);

CREATE TABLE quota.rollup_endpoints (
    grain smallint NOT NULL CHECK (grain IN (1, 5, 60)),
    bucket timestamptz NOT NULL,
    endpoint text NOT NULL,
    requests bigint NOT NULL,
    denied bigint NOT NULL,
    cost_usd numeric(20, 6) NOT NULL,
    latency_buckets bigint[] NOT NULL,
    PRIMARY KEY (grain, bucket, endpoint)
);

CREATE TABLE quota.rollup_denials (
    grain smallint NOT NULL CHECK (grain IN (1, 5, 60)),
    bucket timestamptz NOT NULL,
    reason text NOT NULL, -- '' for none
    denials bigint NOT NULL,
    PRIMARY KEY (grain, bucket, reason)
);

-- rollup_identifier_hour is keyed (kind, identifier, bucket) with its values included, which
-- serves an identifier's hours (top lists, investigation) as its separate index did: one index
-- fewer to update per identifier row. The hour's busiest come from rollup_identifier_hour_top.
ALTER TABLE quota.rollup_identifier_hour DROP CONSTRAINT rollup_identifier_hour_pkey;
DROP INDEX quota.rollup_identifier_hour_identifier;
ALTER TABLE quota.rollup_identifier_hour
    ADD PRIMARY KEY (kind, identifier, bucket) INCLUDE (requests, denials, cost_usd);

-- rollup_identifier_hour summed per UTC day (bucket 00:00): top lists over whole days read 24
-- times fewer lists. The key serves an identifier's days with their values (index-only sums).
CREATE TABLE quota.rollup_identifier_day (
    bucket timestamptz NOT NULL,
    kind text NOT NULL CHECK (kind IN ('ip', 'user')),
    identifier text NOT NULL,
    requests bigint NOT NULL,
    denials bigint NOT NULL,
    cost_usd numeric(20, 6) NOT NULL,
    PRIMARY KEY (kind, identifier, bucket) INCLUDE (requests, denials, cost_usd)
);
-- The busiest identifiers of a day first.
CREATE INDEX rollup_identifier_day_top ON quota.rollup_identifier_day (kind, bucket, requests DESC)
    INCLUDE (identifier);

-- Adds rows of rollup_identifier_hour's shape (a table or view p_hours, e.g. the backfill's
-- staging table) to rollup_identifier_day. For the owner only.
CREATE FUNCTION quota.add_identifier_hours_to_day_tier(p_hours regclass) RETURNS void
LANGUAGE plpgsql SET search_path = quota, pg_temp AS $fn$
BEGIN
    EXECUTE format($q$
        INSERT INTO quota.rollup_identifier_day AS h
        SELECT date_trunc('day', bucket, 'UTC'), kind, identifier, sum(requests), sum(denials),
               sum(cost_usd)
        FROM %s
        GROUP BY 1, 2, 3
        ORDER BY 2, 3, 1
        ON CONFLICT (kind, identifier, bucket) DO UPDATE SET
            requests = h.requests + excluded.requests,
            denials = h.denials + excluded.denials,
            cost_usd = h.cost_usd + excluded.cost_usd$q$, p_hours);
END;
$fn$;

-- The pieces of [p_from, p_to) (p_from on a whole minute) by grain, as ARRAY[f_from, h_from,
-- h_to, f_to]: minutes [p_from, f_from), 5 minutes [f_from, h_from), hours [h_from, h_to),
-- 5 minutes [h_to, f_to), minutes [f_to, p_to). A grain is used only where it divides p_step
-- (NULL: any grain). Immutable (minute and hour arithmetic, UTC bins), so a query with
-- constant bounds folds it when planned, a generic plan calls it when it starts; one function
-- call instead of the nested expressions keeps planning short.
CREATE FUNCTION quota.grain_bounds(p_from timestamptz, p_to timestamptz, p_step interval)
RETURNS timestamptz[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    v_step numeric := extract(epoch FROM p_step);
    v_fives boolean := p_step IS NULL OR (v_step > 0 AND v_step % 300 = 0);
    v_hours boolean := p_step IS NULL OR (v_step > 0 AND v_step % 3600 = 0);
    v_f_from timestamptz := p_to;
    v_f_to timestamptz := p_to;
    v_h_from timestamptz;
    v_h_to timestamptz;
BEGIN
    IF v_fives THEN
        v_f_from := least(date_bin(interval '5 minutes', p_from + interval '4 minutes 59 seconds',
                                   timestamptz '2000-01-01'), p_to);
        v_f_to := greatest(v_f_from, date_bin(interval '5 minutes', p_to, timestamptz '2000-01-01'));
    END IF;
    v_h_from := v_f_to;
    v_h_to := v_f_to;
    IF v_hours THEN
        v_h_from := least(date_bin(interval '1 hour', v_f_from + interval '59 minutes',
                                   timestamptz '2000-01-01'), v_f_to);
        v_h_to := greatest(v_h_from, date_bin(interval '1 hour', v_f_to, timestamptz '2000-01-01'));
    END IF;
    RETURN ARRAY[v_f_from, v_h_from, v_h_to, v_f_to];
END;
$$;

-- The minute totals of [p_from, p_to), as rows of rollup_minute_total: hours and 5 minutes
-- from rollup_totals where they fit (quota.grain_bounds), minutes for the rest. Inlined
-- into the calling query.
CREATE FUNCTION quota.total_rows(p_from timestamptz, p_to timestamptz, p_step interval DEFAULT NULL)
RETURNS SETOF quota.rollup_minute_total
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT m.* FROM quota.rollup_minute_total m
    WHERE m.bucket >= p_from AND m.bucket < (quota.grain_bounds(p_from, p_to, p_step))[1]
    UNION ALL
    SELECT t.bucket, t.requests, t.denied, t.rate_limited, t.latency_buckets, t.latency_count,
           t.latency_sum_ms, t.cost_usd, t.collisions, t.fail_open
    FROM quota.rollup_totals t
    WHERE t.grain = 5 AND t.bucket >= (quota.grain_bounds(p_from, p_to, p_step))[1]
      AND t.bucket < (quota.grain_bounds(p_from, p_to, p_step))[2]
    UNION ALL
    SELECT t.bucket, t.requests, t.denied, t.rate_limited, t.latency_buckets, t.latency_count,
           t.latency_sum_ms, t.cost_usd, t.collisions, t.fail_open
    FROM quota.rollup_totals t
    WHERE t.grain = 60 AND t.bucket >= (quota.grain_bounds(p_from, p_to, p_step))[2]
      AND t.bucket < (quota.grain_bounds(p_from, p_to, p_step))[3]
    UNION ALL
    SELECT t.bucket, t.requests, t.denied, t.rate_limited, t.latency_buckets, t.latency_count,
           t.latency_sum_ms, t.cost_usd, t.collisions, t.fail_open
    FROM quota.rollup_totals t
    WHERE t.grain = 5 AND t.bucket >= (quota.grain_bounds(p_from, p_to, p_step))[3]
      AND t.bucket < (quota.grain_bounds(p_from, p_to, p_step))[4]
    UNION ALL
    SELECT m.* FROM quota.rollup_minute_total m
    WHERE m.bucket >= (quota.grain_bounds(p_from, p_to, p_step))[4] AND m.bucket < p_to;
END;

-- The endpoint rows of [p_from, p_to), each grain where it fits (quota.grain_bounds).
-- Inlined.
CREATE FUNCTION quota.endpoint_rows(p_from timestamptz, p_to timestamptz, p_step interval DEFAULT NULL)
RETURNS SETOF quota.rollup_endpoints
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT r.* FROM quota.rollup_endpoints r
    WHERE r.grain = 1 AND r.bucket >= p_from AND r.bucket < (quota.grain_bounds(p_from, p_to, p_step))[1]
    UNION ALL
    SELECT r.* FROM quota.rollup_endpoints r
    WHERE r.grain = 5 AND r.bucket >= (quota.grain_bounds(p_from, p_to, p_step))[1]
      AND r.bucket < (quota.grain_bounds(p_from, p_to, p_step))[2]
    UNION ALL
    SELECT r.* FROM quota.rollup_endpoints r
    WHERE r.grain = 60 AND r.bucket >= (quota.grain_bounds(p_from, p_to, p_step))[2]
      AND r.bucket < (quota.grain_bounds(p_from, p_to, p_step))[3]
    UNION ALL
    SELECT r.* FROM quota.rollup_endpoints r
    WHERE r.grain = 5 AND r.bucket >= (quota.grain_bounds(p_from, p_to, p_step))[3]
      AND r.bucket < (quota.grain_bounds(p_from, p_to, p_step))[4]
    UNION ALL
    SELECT r.* FROM quota.rollup_endpoints r
    WHERE r.grain = 1 AND r.bucket >= (quota.grain_bounds(p_from, p_to, p_step))[4] AND r.bucket < p_to;
END;

-- The denials by reason of [p_from, p_to), each grain where it fits (quota.grain_bounds).
-- Inlined.
CREATE FUNCTION quota.denial_rows(p_from timestamptz, p_to timestamptz, p_step interval DEFAULT NULL)
RETURNS SETOF quota.rollup_denials
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT r.* FROM quota.rollup_denials r
    WHERE r.grain = 1 AND r.bucket >= p_from AND r.bucket < (quota.grain_bounds(p_from, p_to, p_step))[1]
    UNION ALL
    SELECT r.* FROM quota.rollup_denials r
    WHERE r.grain = 5 AND r.bucket >= (quota.grain_bounds(p_from, p_to, p_step))[1]
      AND r.bucket < (quota.grain_bounds(p_from, p_to, p_step))[2]
    UNION ALL
    SELECT r.* FROM quota.rollup_denials r
    WHERE r.grain = 60 AND r.bucket >= (quota.grain_bounds(p_from, p_to, p_step))[2]
      AND r.bucket < (quota.grain_bounds(p_from, p_to, p_step))[3]
    UNION ALL
    SELECT r.* FROM quota.rollup_denials r
    WHERE r.grain = 5 AND r.bucket >= (quota.grain_bounds(p_from, p_to, p_step))[3]
      AND r.bucket < (quota.grain_bounds(p_from, p_to, p_step))[4]
    UNION ALL
    SELECT r.* FROM quota.rollup_denials r
    WHERE r.grain = 1 AND r.bucket >= (quota.grain_bounds(p_from, p_to, p_step))[4] AND r.bucket < p_to;
END;

-- Adds rows of rollup_minute's shape (a table or view p_minutes) to the dashboard tiers
-- rollup_totals, rollup_endpoints and rollup_denials. For the owner only.
CREATE FUNCTION quota.add_minutes_to_dashboard_tiers(p_minutes regclass,
    p_minute_totals boolean DEFAULT false) RETURNS void
LANGUAGE plpgsql SET search_path = quota, pg_temp AS $fn$
BEGIN
    -- The minutes summed once per minute · endpoint (one pass over the rows, with their
    -- histograms); the minute totals, the 5-minute and the hour grains are then summed from
    -- those few rows rather than from every row of p_minutes again.
    EXECUTE format($q$
        CREATE TEMP TABLE dashboard_minute_endpoints ON COMMIT DROP AS
        SELECT bucket, endpoint, sum(requests) AS requests,
               coalesce(sum(requests) FILTER (WHERE decision = 'denied'), 0) AS denied,
               coalesce(sum(requests) FILTER (WHERE reason = 'rate_limited'), 0) AS rate_limited,
               ARRAY[sum(latency_buckets[1]), sum(latency_buckets[2]), sum(latency_buckets[3]),
                     sum(latency_buckets[4]), sum(latency_buckets[5]), sum(latency_buckets[6]),
                     sum(latency_buckets[7]), sum(latency_buckets[8]), sum(latency_buckets[9]),
                     sum(latency_buckets[10]), sum(latency_buckets[11]),
                     sum(latency_buckets[12]), sum(latency_buckets[13])]::bigint[] AS latency_buckets,
               sum(latency_count) AS latency_count, sum(latency_sum_ms) AS latency_sum_ms,
               sum(cost_usd) AS cost_usd, sum(collisions) AS collisions, sum(fail_open) AS fail_open
        FROM %s
        GROUP BY 1, 2$q$, p_minutes);
    CREATE TEMP TABLE dashboard_minute_totals ON COMMIT DROP AS
    SELECT bucket, sum(requests) AS requests, sum(denied) AS denied,
           sum(rate_limited) AS rate_limited,
           ARRAY[sum(latency_buckets[1]), sum(latency_buckets[2]), sum(latency_buckets[3]),
                 sum(latency_buckets[4]), sum(latency_buckets[5]), sum(latency_buckets[6]),
                 sum(latency_buckets[7]), sum(latency_buckets[8]), sum(latency_buckets[9]),
                 sum(latency_buckets[10]), sum(latency_buckets[11]),
                 sum(latency_buckets[12]), sum(latency_buckets[13])]::bigint[] AS latency_buckets,
           sum(latency_count) AS latency_count, sum(latency_sum_ms) AS latency_sum_ms,
           sum(cost_usd) AS cost_usd, sum(collisions) AS collisions, sum(fail_open) AS fail_open
    FROM dashboard_minute_endpoints
    GROUP BY 1;
    EXECUTE format($q$
        CREATE TEMP TABLE dashboard_minute_denials ON COMMIT DROP AS
        SELECT bucket, reason, sum(requests) AS denials
        FROM %s
        WHERE decision = 'denied'
        GROUP BY 1, 2$q$, p_minutes);

    -- The minute totals themselves too, when asked (quota.add_minutes_to_rollup_tiers).
    IF p_minute_totals THEN
        INSERT INTO quota.rollup_minute_total AS m
        SELECT * FROM dashboard_minute_totals ORDER BY bucket
        ON CONFLICT (bucket) DO UPDATE SET
            requests = m.requests + excluded.requests,
            denied = m.denied + excluded.denied,
            rate_limited = m.rate_limited + excluded.rate_limited,
            latency_buckets = quota.latency_add(m.latency_buckets, excluded.latency_buckets),
            latency_count = m.latency_count + excluded.latency_count,
            latency_sum_ms = m.latency_sum_ms + excluded.latency_sum_ms,
            cost_usd = m.cost_usd + excluded.cost_usd,
            collisions = m.collisions + excluded.collisions,
            fail_open = m.fail_open + excluded.fail_open;
    END IF;

    INSERT INTO quota.rollup_totals AS m
    SELECT k.grain, date_bin(k.step, r.bucket, timestamptz '2000-01-01'), sum(r.requests),
           sum(r.denied), sum(r.rate_limited),
           ARRAY[sum(r.latency_buckets[1]), sum(r.latency_buckets[2]), sum(r.latency_buckets[3]),
                 sum(r.latency_buckets[4]), sum(r.latency_buckets[5]), sum(r.latency_buckets[6]),
                 sum(r.latency_buckets[7]), sum(r.latency_buckets[8]), sum(r.latency_buckets[9]),
                 sum(r.latency_buckets[10]), sum(r.latency_buckets[11]),
                 sum(r.latency_buckets[12]), sum(r.latency_buckets[13])]::bigint[],
           sum(r.latency_count), sum(r.latency_sum_ms), sum(r.cost_usd), sum(r.collisions),
           sum(r.fail_open)
    FROM dashboard_minute_totals AS r
    CROSS JOIN (VALUES (5::smallint, interval '5 minutes'), (60::smallint, interval '1 hour')) AS k(grain, step)
    GROUP BY 1, 2
    ORDER BY 1, 2
    ON CONFLICT (grain, bucket) DO UPDATE SET
        requests = m.requests + excluded.requests,
        denied = m.denied + excluded.denied,
        rate_limited = m.rate_limited + excluded.rate_limited,
        latency_buckets = quota.latency_add(m.latency_buckets, excluded.latency_buckets),
        latency_count = m.latency_count + excluded.latency_count,
        latency_sum_ms = m.latency_sum_ms + excluded.latency_sum_ms,
        cost_usd = m.cost_usd + excluded.cost_usd,
        collisions = m.collisions + excluded.collisions,
        fail_open = m.fail_open + excluded.fail_open;

    INSERT INTO quota.rollup_endpoints AS m
    SELECT k.grain, date_bin(k.step, r.bucket, timestamptz '2000-01-01'), r.endpoint,
           sum(r.requests), sum(r.denied), sum(r.cost_usd),
           ARRAY[sum(r.latency_buckets[1]), sum(r.latency_buckets[2]), sum(r.latency_buckets[3]),
                 sum(r.latency_buckets[4]), sum(r.latency_buckets[5]), sum(r.latency_buckets[6]),
                 sum(r.latency_buckets[7]), sum(r.latency_buckets[8]), sum(r.latency_buckets[9]),
                 sum(r.latency_buckets[10]), sum(r.latency_buckets[11]),
                 sum(r.latency_buckets[12]), sum(r.latency_buckets[13])]::bigint[]
    FROM dashboard_minute_endpoints AS r
    CROSS JOIN (VALUES (1::smallint, interval '1 minute'), (5::smallint, interval '5 minutes'),
                      (60::smallint, interval '1 hour')) AS k(grain, step)
    GROUP BY 1, 2, 3
    ORDER BY 1, 2, 3
    ON CONFLICT (grain, bucket, endpoint) DO UPDATE SET
        requests = m.requests + excluded.requests,
        denied = m.denied + excluded.denied,
        cost_usd = m.cost_usd + excluded.cost_usd,
        latency_buckets = quota.latency_add(m.latency_buckets, excluded.latency_buckets);

    INSERT INTO quota.rollup_denials AS m
    SELECT k.grain, date_bin(k.step, r.bucket, timestamptz '2000-01-01'), r.reason,
           sum(r.denials)
    FROM dashboard_minute_denials AS r
    CROSS JOIN (VALUES (1::smallint, interval '1 minute'), (5::smallint, interval '5 minutes'),
                      (60::smallint, interval '1 hour')) AS k(grain, step)
    GROUP BY 1, 2, 3
    ORDER BY 1, 2, 3
    ON CONFLICT (grain, bucket, reason) DO UPDATE SET denials = m.denials + excluded.denials;

    DROP TABLE dashboard_minute_totals, dashboard_minute_endpoints, dashboard_minute_denials;
END;
$fn$;

CREATE OR REPLACE FUNCTION quota.add_minutes_to_rollup_tiers(p_minutes regclass) RETURNS void
LANGUAGE plpgsql SET search_path = quota, pg_temp AS $fn$
BEGIN
    EXECUTE format($q$
        INSERT INTO quota.rollup_hour AS m
        SELECT date_trunc('hour', bucket, 'UTC'), endpoint, plan, decision, reason, sum(requests),
               ARRAY[sum(latency_buckets[1]), sum(latency_buckets[2]), sum(latency_buckets[3]),
                 sum(latency_buckets[4]), sum(latency_buckets[5]), sum(latency_buckets[6]),
                 sum(latency_buckets[7]), sum(latency_buckets[8]), sum(latency_buckets[9]),
                 sum(latency_buckets[10]), sum(latency_buckets[11]), sum(latency_buckets[12]),
                 sum(latency_buckets[13])]::bigint[],
               sum(latency_count), sum(latency_sum_ms), sum(response_ms_sum), sum(cost_usd),
               sum(tokens), sum(collisions), sum(fail_open)
        FROM %s
        GROUP BY 1, 2, 3, 4, 5
        ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (bucket, endpoint, plan, decision, reason) DO UPDATE SET
            requests = m.requests + excluded.requests,
            latency_buckets = quota.latency_add(m.latency_buckets, excluded.latency_buckets),
            latency_count = m.latency_count + excluded.latency_count,
            latency_sum_ms = m.latency_sum_ms + excluded.latency_sum_ms,
            response_ms_sum = m.response_ms_sum + excluded.response_ms_sum,
            cost_usd = m.cost_usd + excluded.cost_usd,
            tokens = m.tokens + excluded.tokens,
            collisions = m.collisions + excluded.collisions,
            fail_open = m.fail_open + excluded.fail_open$q$, p_minutes);
    PERFORM quota.add_minutes_to_dashboard_tiers(p_minutes, true);
END;
$fn$;

CREATE OR REPLACE FUNCTION quota.log_requests(p_rows jsonb) RETURNS integer
LANGUAGE plpgsql SET search_path = quota, pg_temp AS $$
DECLARE
    v_day date;
    v_count integer;
BEGIN
    IF jsonb_typeof(p_rows) IS DISTINCT FROM 'array' THEN
        RAISE EXCEPTION 'log_requests: expected a JSON array of request objects, got %', jsonb_typeof(p_rows)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOR v_day IN
        SELECT DISTINCT ((r ->> 'ts')::timestamptz AT TIME ZONE 'UTC')::date
        FROM jsonb_array_elements(p_rows) AS r
    LOOP
        PERFORM quota.ensure_request_log_partition(v_day);
    END LOOP;

    -- The rows' minute groups are counted once (g); the rollups are upserted from them in key
    -- order, and in one order: identifier rows (hour, then day), minute rows, hour rows, minute totals, then the
    -- dashboard tiers rollup_totals, rollup_endpoints, rollup_denials (each CTE
    -- reads count(*) of the one before it first), so that concurrent batches and quota_complete
    -- lock rollup rows in one order and cannot deadlock. The latency histogram is counted per
    -- bucket of quota.latency_bucket_bounds() (a value equal to a bound counts in that bucket,
    -- NULL and NaN in none), as quota.latency_one_hot does, without a function call per row.
    WITH ins AS (
        INSERT INTO quota.request_logs (ts, request_id, endpoint, method, user_id, plan, ip,
            forwarded_for, user_agent, country, idempotency_key, request_hash, quota_check_ms,
            response_ms, status, decision, reason, rule, cost_usd, tokens, model, fail_open,
            collision, would_deny)
        SELECT r.ts, r.request_id, r.endpoint, r.method, r.user_id, r.plan, r.ip, r.forwarded_for,
               r.user_agent, r.country, r.idempotency_key, r.request_hash, r.quota_check_ms,
               r.response_ms, r.status, r.decision, r.reason, r.rule, r.cost_usd, r.tokens, r.model,
               coalesce(r.fail_open, false), coalesce(r.collision, 0), r.would_deny
        FROM jsonb_populate_recordset(NULL::quota.request_logs, p_rows) AS r
        RETURNING *
    ), g AS (
        SELECT date_trunc('minute', ins.ts, 'UTC') AS bucket, ins.endpoint,
               coalesce(ins.plan, '') AS plan, ins.decision, coalesce(ins.reason, '') AS reason,
               count(*) AS requests,
               ARRAY[count(*) FILTER (WHERE ins.quota_check_ms <= 1),
                     count(*) FILTER (WHERE ins.quota_check_ms <= 2.5 AND ins.quota_check_ms > 1),
                     count(*) FILTER (WHERE ins.quota_check_ms <= 5 AND ins.quota_check_ms > 2.5),
                     count(*) FILTER (WHERE ins.quota_check_ms <= 10 AND ins.quota_check_ms > 5),
                     count(*) FILTER (WHERE ins.quota_check_ms <= 25 AND ins.quota_check_ms > 10),
                     count(*) FILTER (WHERE ins.quota_check_ms <= 50 AND ins.quota_check_ms > 25),
                     count(*) FILTER (WHERE ins.quota_check_ms <= 100 AND ins.quota_check_ms > 50),
                     count(*) FILTER (WHERE ins.quota_check_ms <= 150 AND ins.quota_check_ms > 100),
                     count(*) FILTER (WHERE ins.quota_check_ms <= 250 AND ins.quota_check_ms > 150),
                     count(*) FILTER (WHERE ins.quota_check_ms <= 300 AND ins.quota_check_ms > 250),
                     count(*) FILTER (WHERE ins.quota_check_ms <= 500 AND ins.quota_check_ms > 300),
                     count(*) FILTER (WHERE ins.quota_check_ms <= 1000 AND ins.quota_check_ms > 500),
                     count(*) FILTER (WHERE ins.quota_check_ms <= 'Infinity' AND ins.quota_check_ms > 1000)] AS latency_buckets,
               count(ins.quota_check_ms) AS latency_count,
               coalesce(sum(ins.quota_check_ms), 0) AS latency_sum_ms,
               coalesce(sum(ins.response_ms), 0) AS response_ms_sum,
               coalesce(sum(ins.cost_usd), 0) AS cost_usd, coalesce(sum(ins.tokens), 0) AS tokens,
               count(*) FILTER (WHERE ins.collision <> 0) AS collisions,
               count(*) FILTER (WHERE ins.fail_open) AS fail_open
        FROM ins
        GROUP BY 1, 2, 3, 4, 5
    ), ih AS (
        SELECT date_trunc('hour', x.ts, 'UTC') AS bucket, x.kind, x.identifier, count(*) AS requests,
               count(*) FILTER (WHERE x.decision = 'denied') AS denials,
               coalesce(sum(x.cost_usd), 0) AS cost_usd
        FROM (SELECT ts, 'ip' AS kind, ip AS identifier, decision, cost_usd FROM ins
              WHERE coalesce(ip, '') <> ''
              UNION ALL
              SELECT ts, 'user', user_id, decision, cost_usd FROM ins
              WHERE coalesce(user_id, '') <> '') AS x
        GROUP BY 1, 2, 3
    ), ident AS (
        INSERT INTO quota.rollup_identifier_hour AS h
        SELECT * FROM ih
        ORDER BY 1, 2, 3
        ON CONFLICT (bucket, kind, identifier) DO UPDATE SET
            requests = h.requests + excluded.requests,
            denials = h.denials + excluded.denials,
            cost_usd = h.cost_usd + excluded.cost_usd
        RETURNING 1
    ), ident_day AS (
        INSERT INTO quota.rollup_identifier_day AS h
        SELECT date_trunc('day', ih.bucket, 'UTC'), ih.kind, ih.identifier, sum(ih.requests),
               sum(ih.denials), sum(ih.cost_usd)
        FROM ih WHERE (SELECT count(*) FROM ident) >= 0
        GROUP BY 1, 2, 3
        ORDER BY 2, 3, 1
        ON CONFLICT (kind, identifier, bucket) DO UPDATE SET
            requests = h.requests + excluded.requests,
            denials = h.denials + excluded.denials,
            cost_usd = h.cost_usd + excluded.cost_usd
        RETURNING 1
    ), minute AS (
        INSERT INTO quota.rollup_minute AS m
        SELECT * FROM g WHERE (SELECT count(*) FROM ident_day) >= 0
        ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (bucket, endpoint, plan, decision, reason) DO UPDATE SET
            requests = m.requests + excluded.requests,
            latency_buckets = quota.latency_add(m.latency_buckets, excluded.latency_buckets),
            latency_count = m.latency_count + excluded.latency_count,
            latency_sum_ms = m.latency_sum_ms + excluded.latency_sum_ms,
            response_ms_sum = m.response_ms_sum + excluded.response_ms_sum,
            cost_usd = m.cost_usd + excluded.cost_usd,
            tokens = m.tokens + excluded.tokens,
            collisions = m.collisions + excluded.collisions,
            fail_open = m.fail_open + excluded.fail_open
        RETURNING 1
    ), hour AS (
        INSERT INTO quota.rollup_hour AS m
        SELECT date_trunc('hour', g.bucket, 'UTC'), g.endpoint, g.plan, g.decision, g.reason,
               sum(g.requests),
               ARRAY[sum(g.latency_buckets[1]), sum(g.latency_buckets[2]),
                      sum(g.latency_buckets[3]), sum(g.latency_buckets[4]),
                      sum(g.latency_buckets[5]), sum(g.latency_buckets[6]),
                      sum(g.latency_buckets[7]), sum(g.latency_buckets[8]),
                      sum(g.latency_buckets[9]), sum(g.latency_buckets[10]),
                      sum(g.latency_buckets[11]), sum(g.latency_buckets[12]),
                      sum(g.latency_buckets[13])]::bigint[],
               sum(g.latency_count), sum(g.latency_sum_ms), sum(g.response_ms_sum),
               sum(g.cost_usd), sum(g.tokens), sum(g.collisions), sum(g.fail_open)
        FROM g WHERE (SELECT count(*) FROM minute) >= 0
        GROUP BY 1, 2, 3, 4, 5
        ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (bucket, endpoint, plan, decision, reason) DO UPDATE SET
            requests = m.requests + excluded.requests,
            latency_buckets = quota.latency_add(m.latency_buckets, excluded.latency_buckets),
            latency_count = m.latency_count + excluded.latency_count,
            latency_sum_ms = m.latency_sum_ms + excluded.latency_sum_ms,
            response_ms_sum = m.response_ms_sum + excluded.response_ms_sum,
            cost_usd = m.cost_usd + excluded.cost_usd,
            tokens = m.tokens + excluded.tokens,
            collisions = m.collisions + excluded.collisions,
            fail_open = m.fail_open + excluded.fail_open
        RETURNING 1
    ), total AS (
        INSERT INTO quota.rollup_minute_total AS m
        SELECT g.bucket, sum(g.requests), coalesce(sum(g.requests) FILTER (WHERE g.decision = 'denied'), 0),
               coalesce(sum(g.requests) FILTER (WHERE g.reason = 'rate_limited'), 0),
               ARRAY[sum(g.latency_buckets[1]), sum(g.latency_buckets[2]),
                      sum(g.latency_buckets[3]), sum(g.latency_buckets[4]),
                      sum(g.latency_buckets[5]), sum(g.latency_buckets[6]),
                      sum(g.latency_buckets[7]), sum(g.latency_buckets[8]),
                      sum(g.latency_buckets[9]), sum(g.latency_buckets[10]),
                      sum(g.latency_buckets[11]), sum(g.latency_buckets[12]),
                      sum(g.latency_buckets[13])]::bigint[],
               sum(g.latency_count), sum(g.latency_sum_ms), sum(g.cost_usd), sum(g.collisions),
               sum(g.fail_open)
        FROM g WHERE (SELECT count(*) FROM hour) >= 0
        GROUP BY 1
        ORDER BY 1
        ON CONFLICT (bucket) DO UPDATE SET
            requests = m.requests + excluded.requests,
            denied = m.denied + excluded.denied,
            rate_limited = m.rate_limited + excluded.rate_limited,
            latency_buckets = quota.latency_add(m.latency_buckets, excluded.latency_buckets),
            latency_count = m.latency_count + excluded.latency_count,
            latency_sum_ms = m.latency_sum_ms + excluded.latency_sum_ms,
            cost_usd = m.cost_usd + excluded.cost_usd,
            collisions = m.collisions + excluded.collisions,
            fail_open = m.fail_open + excluded.fail_open
        RETURNING 1
    ), totals AS (
        INSERT INTO quota.rollup_totals AS m
        SELECT k.grain, date_bin(k.step, r.bucket, timestamptz '2000-01-01'), sum(r.requests),
               coalesce(sum(r.requests) FILTER (WHERE r.decision = 'denied'), 0),
               coalesce(sum(r.requests) FILTER (WHERE r.reason = 'rate_limited'), 0),
               ARRAY[sum(r.latency_buckets[1]), sum(r.latency_buckets[2]), sum(r.latency_buckets[3]),
                     sum(r.latency_buckets[4]), sum(r.latency_buckets[5]), sum(r.latency_buckets[6]),
                     sum(r.latency_buckets[7]), sum(r.latency_buckets[8]), sum(r.latency_buckets[9]),
                     sum(r.latency_buckets[10]), sum(r.latency_buckets[11]),
                     sum(r.latency_buckets[12]), sum(r.latency_buckets[13])]::bigint[],
               sum(r.latency_count), sum(r.latency_sum_ms), sum(r.cost_usd), sum(r.collisions),
               sum(r.fail_open)
        FROM g AS r
        CROSS JOIN (VALUES (5::smallint, interval '5 minutes'), (60::smallint, interval '1 hour')) AS k(grain, step)
        WHERE (SELECT count(*) FROM total) >= 0
        GROUP BY 1, 2
        ORDER BY 1, 2
        ON CONFLICT (grain, bucket) DO UPDATE SET
            requests = m.requests + excluded.requests,
            denied = m.denied + excluded.denied,
            rate_limited = m.rate_limited + excluded.rate_limited,
            latency_buckets = quota.latency_add(m.latency_buckets, excluded.latency_buckets),
            latency_count = m.latency_count + excluded.latency_count,
            latency_sum_ms = m.latency_sum_ms + excluded.latency_sum_ms,
            cost_usd = m.cost_usd + excluded.cost_usd,
            collisions = m.collisions + excluded.collisions,
            fail_open = m.fail_open + excluded.fail_open
        RETURNING 1
    ), endpoints AS (
        INSERT INTO quota.rollup_endpoints AS m
        SELECT k.grain, date_bin(k.step, r.bucket, timestamptz '2000-01-01'), r.endpoint,
               sum(r.requests), coalesce(sum(r.requests) FILTER (WHERE r.decision = 'denied'), 0),
               sum(r.cost_usd),
               ARRAY[sum(r.latency_buckets[1]), sum(r.latency_buckets[2]), sum(r.latency_buckets[3]),
                     sum(r.latency_buckets[4]), sum(r.latency_buckets[5]), sum(r.latency_buckets[6]),
                     sum(r.latency_buckets[7]), sum(r.latency_buckets[8]), sum(r.latency_buckets[9]),
                     sum(r.latency_buckets[10]), sum(r.latency_buckets[11]),
                     sum(r.latency_buckets[12]), sum(r.latency_buckets[13])]::bigint[]
        FROM g AS r
        CROSS JOIN (VALUES (1::smallint, interval '1 minute'), (5::smallint, interval '5 minutes'),
                          (60::smallint, interval '1 hour')) AS k(grain, step)
        WHERE (SELECT count(*) FROM totals) >= 0
        GROUP BY 1, 2, 3
        ORDER BY 1, 2, 3
        ON CONFLICT (grain, bucket, endpoint) DO UPDATE SET
            requests = m.requests + excluded.requests,
            denied = m.denied + excluded.denied,
            cost_usd = m.cost_usd + excluded.cost_usd,
            latency_buckets = quota.latency_add(m.latency_buckets, excluded.latency_buckets)
        RETURNING 1
    ), denials AS (
        INSERT INTO quota.rollup_denials AS m
        SELECT k.grain, date_bin(k.step, r.bucket, timestamptz '2000-01-01'), r.reason,
               sum(r.requests)
        FROM g AS r
        CROSS JOIN (VALUES (1::smallint, interval '1 minute'), (5::smallint, interval '5 minutes'),
                          (60::smallint, interval '1 hour')) AS k(grain, step)
        WHERE r.decision = 'denied' AND (SELECT count(*) FROM endpoints) >= 0
        GROUP BY 1, 2, 3
        ORDER BY 1, 2, 3
        ON CONFLICT (grain, bucket, reason) DO UPDATE SET denials = m.denials + excluded.denials
        RETURNING 1
    )
    SELECT (SELECT count(*) FROM ins) INTO v_count;
    RETURN v_count;
END;
$$;

CREATE OR REPLACE FUNCTION quota.quota_complete(p_ts timestamptz, p_request_id text, p_ip text,
    p_forwarded_for text, p_user_id text, p_plan text, p_endpoint text, p_method text,
    p_user_agent text, p_country text, p_idempotency_key text, p_request_hash text,
    p_allowed boolean, p_status int, p_reason text, p_rule text, p_cost_usd numeric,
    p_tokens int, p_model text, p_response_ms int, p_quota_check_ms double precision,
    p_fail_open boolean, p_collision int DEFAULT 0, p_would_deny text DEFAULT NULL)
RETURNS TABLE (incident_id bigint, pattern_id text, scope text, identifier text,
    ts timestamptz, severity text, action text, blocked_until timestamptz)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = quota, pg_temp
SET plan_cache_mode = force_generic_plan SET enable_seqscan = off SET enable_hashjoin = off
SET enable_mergejoin = off AS $fn$
#variable_conflict use_column
DECLARE
    v_ts bigint := quota.enf_ms(p_ts);
    v_tsz timestamptz := quota.enf_tstz(quota.enf_ms(p_ts));
    v_endpoint text := coalesce(p_endpoint, '');
    v_user text := coalesce(p_user_id, '');
    v_allowed boolean := coalesce(p_allowed, false);
    s record; -- the compiled policy, and the user's subscription
    v_plan text;
    v_cost bigint := 0;
    v_cost_entry int;
    v_client inet;
    v_client_key text;
    v_ua text;
    v_country text;
    v_bucket int;
    v_latency bigint[] := '{0,0,0,0,0,0,0,0,0,0,0,0,0}';
BEGIN
    FOR attempt IN 1..2 LOOP
        SELECT st.version_id, st.trusted_proxies, st.skip_likes, st.default_plan, st.plan_names,
            st.gb_hour_micro, st.default_memory_mb, st.cost_likes, st.cost_base_micro,
            st.cost_memory_mb, st.model_names, st.model_per_1k_micro, sub.plan AS sub_plan,
            sub.user_id IS NOT NULL AS subscribed
        INTO s
        FROM quota.enf_settings st
        LEFT JOIN quota.subscriptions sub ON sub.user_id = v_user AND v_user <> ''
        WHERE st.version_id = (SELECT pv.id FROM quota.policy_versions pv WHERE pv.active);
        EXIT WHEN FOUND;
        PERFORM quota.enf_active_version();
    END LOOP;

    -- §7 cost of an allowed request: the recorded cost, else the policy's model (the first
    -- matching cost.endpoints entry; numeric keeps the products exact, each term truncates).
    IF v_allowed THEN
        IF p_cost_usd IS NOT NULL THEN
            v_cost := round(p_cost_usd * 1000000)::bigint;
        ELSE
            FOR i IN 1..cardinality(s.cost_likes) LOOP
                IF v_endpoint LIKE s.cost_likes[i] THEN
                    v_cost_entry := i;
                    EXIT;
                END IF;
            END LOOP;
            v_cost := coalesce(s.cost_base_micro[v_cost_entry], 0)
                + div(coalesce(p_response_ms, 0)::numeric
                      * coalesce(s.cost_memory_mb[v_cost_entry], s.default_memory_mb)
                      * s.gb_hour_micro, 3600000 * 1024::numeric)::bigint
                + div(coalesce(p_tokens, 0)::numeric
                      * coalesce(s.model_per_1k_micro[array_position(s.model_names,
                                                                     coalesce(p_model, ''))], 0),
                      1000)::bigint;
        END IF;
    END IF;

    IF v_user <> '' THEN
        v_plan := CASE WHEN s.subscribed THEN s.sub_plan ELSE p_plan END;
        IF v_plan IS NULL OR NOT v_plan = ANY (s.plan_names) THEN
            v_plan := s.default_plan;
        END IF;
    END IF;

    -- §8: every request that passed step 2 and was not skipped.
    IF NOT v_endpoint LIKE ANY (s.skip_likes) THEN
        IF coalesce(p_forwarded_for, '') = '' AND quota.enf_is_v4(p_ip) THEN
            v_client := p_ip::inet;
            v_client_key := p_ip;
        ELSE
            v_client := quota.enf_client_address(p_ip, p_forwarded_for, s.trusted_proxies);
            v_client_key := quota.enf_client_key(v_client);
        END IF;
    END IF;

    IF v_client IS NOT NULL THEN
        v_ua := quota.enf_lower(coalesce(p_user_agent, ''));
        v_country := quota.enf_upper(coalesce(p_country, ''));
        -- Lock the state rows (pattern, identifier) in one global order, creating missing
        -- ones, before any window is counted: rate and cost patterns always (their windows
        -- change with every event), user_agent and country patterns when their condition
        -- holds or a state row exists (otherwise nothing can change: no row means armed).
        INSERT INTO quota.abuse_state AS st (pattern_id, identifier)
        SELECT k.id, k.identifier
        FROM quota.enf_pattern_keys(s.version_id, v_client_key, v_user, v_endpoint, v_cost, v_ua,
            v_country) k
        WHERE k.kind IN ('rate', 'cost') OR k.holds
           OR EXISTS (SELECT FROM quota.abuse_state x
                      WHERE x.pattern_id = k.id AND x.identifier = k.identifier)
        ORDER BY k.id COLLATE "C", k.identifier COLLATE "C"
        ON CONFLICT (pattern_id, identifier) DO UPDATE SET armed = st.armed WHERE false;

        -- One statement evaluates every locked pattern and writes what changes. The window of
        -- a rate or cost pattern: its state row keeps the count and cost of the events it
        -- holds; events that left the window are deleted (and subtracted), this request's
        -- event is added, events later than this request do not count (services' clocks
        -- differ). A pattern whose condition holds while armed (or re-armable) raises an
        -- incident and disarms; one whose condition is false re-arms (§8).
        RETURN QUERY
        WITH k AS (
            SELECT k.*, st.armed, st.last_incident_ms, st.event_count, st.event_cost,
                st.last_event_ms
            FROM quota.enf_pattern_keys(s.version_id, v_client_key, v_user, v_endpoint, v_cost,
                v_ua, v_country) k
            JOIN quota.abuse_state st ON st.pattern_id = k.id AND st.identifier = k.identifier
        ), pruned AS (
            DELETE FROM quota.abuse_events e USING k
            WHERE k.kind IN ('rate', 'cost') AND e.pattern_id = k.id
              AND e.identifier = k.identifier AND e.ts_ms <= v_ts - k.window_ms
            RETURNING e.pattern_id, e.identifier, e.cost_micro
        ), added AS (
            INSERT INTO quota.abuse_events (pattern_id, identifier, ts_ms, cost_micro)
            SELECT k.id, k.identifier, v_ts, v_cost FROM k WHERE k.event
        ), w AS (
            SELECT k.*, n.event_count AS new_count, n.event_cost AS new_cost,
                CASE WHEN k.event THEN greatest(k.last_event_ms, v_ts) ELSE k.last_event_ms END
                    AS new_last_event,
                CASE WHEN k.kind = 'rate' THEN n.event_count - l.n
                     WHEN k.kind = 'cost' THEN n.event_cost - l.cost END AS value
            FROM k
            CROSS JOIN LATERAL (
                SELECT k.event_count - count(*) + CASE WHEN k.event THEN 1 ELSE 0 END AS event_count,
                    k.event_cost - coalesce(sum(x.cost_micro), 0)
                        + CASE WHEN k.event THEN v_cost ELSE 0 END AS event_cost
                FROM pruned x WHERE x.pattern_id = k.id AND x.identifier = k.identifier) n
            CROSS JOIN LATERAL (
                SELECT count(*) AS n, coalesce(sum(e.cost_micro), 0) AS cost
                FROM quota.abuse_events e
                WHERE k.last_event_ms > v_ts AND e.pattern_id = k.id
                  AND e.identifier = k.identifier AND e.ts_ms > v_ts) l
        ), d AS (
            SELECT w.*, h.holds AS cond,
                h.holds AND (w.armed OR v_ts >= w.last_incident_ms + w.rearm_ms) AS raise
            FROM w
            CROSS JOIN LATERAL (SELECT coalesce(w.value > w.threshold, w.holds) AS holds) h
        ), changed AS (
            UPDATE quota.abuse_state st
            SET armed = CASE WHEN d.raise THEN false WHEN NOT d.cond THEN true ELSE st.armed END,
                last_incident_ms = CASE WHEN d.raise THEN v_ts ELSE st.last_incident_ms END,
                event_count = d.new_count, event_cost = d.new_cost,
                last_event_ms = d.new_last_event
            FROM d
            WHERE st.pattern_id = d.id AND st.identifier = d.identifier
              AND (d.raise OR (NOT d.cond AND NOT d.armed) OR d.new_count <> d.event_count
                   OR d.new_cost <> d.event_cost
                   OR d.new_last_event IS DISTINCT FROM d.last_event_ms)
        ), raised AS (
            INSERT INTO quota.abuse_incidents AS ai (pattern_id, scope, identifier, ts, severity,
                action, blocked_until, request_id, details)
            SELECT d.id, d.scope, d.identifier, v_tsz, d.severity, d.action,
                CASE WHEN d.action IN ('block', 'escalate')
                     THEN quota.enf_tstz(v_ts + d.block_for_ms) END,
                p_request_id,
                jsonb_build_object('pattern_name', d.name, 'kind', d.kind, 'value', d.value,
                    'page', d.action = 'escalate', 'endpoint', v_endpoint,
                    'user_id', nullif(v_user, ''), 'client_key', v_client_key,
                    'policy_version', s.version_id)
            FROM d WHERE d.raise
            ORDER BY d.ord
            RETURNING ai.id, ai.pattern_id, ai.scope, ai.identifier, ai.ts, ai.severity,
                ai.action, ai.blocked_until
        ), blocks AS (
            -- block and escalate also block the identifier from now on
            INSERT INTO quota.blocked_identifiers (target, value, blocked_from, blocked_until,
                reason, source, incident_id, created_by)
            SELECT CASE WHEN x.scope = 'user' THEN 'user'
                        WHEN family(v_client) = 4 THEN 'ip' ELSE 'network' END,
                x.identifier, v_tsz, x.blocked_until, 'abuse pattern ' || x.pattern_id, 'auto',
                x.id, 'quota_complete'
            FROM raised x WHERE x.blocked_until IS NOT NULL
        )
        SELECT x.id, x.pattern_id, x.scope, x.identifier, x.ts, x.severity, x.action,
            x.blocked_until
        FROM raised x ORDER BY x.id;
    END IF;

    -- The request log and its rollups, with the rows and values of quota.log_requests: the
    -- day partition, the row, the identifier rows, then the minute, hour and total rows, which
    -- many requests share, locked last so that they are held the shortest.
    IF to_regclass('quota.request_logs_p' || to_char(v_tsz AT TIME ZONE 'UTC', 'YYYYMMDD')) IS NULL
    THEN
        PERFORM quota.ensure_request_log_partition((v_tsz AT TIME ZONE 'UTC')::date);
    END IF;
    INSERT INTO quota.request_logs (ts, request_id, endpoint, method, user_id, plan, ip,
        forwarded_for, user_agent, country, idempotency_key, request_hash, quota_check_ms,
        response_ms, status, decision, reason, rule, cost_usd, tokens, model, fail_open,
        collision, would_deny)
    VALUES (v_tsz, p_request_id, v_endpoint, p_method, nullif(v_user, ''), v_plan, p_ip,
        p_forwarded_for, p_user_agent, p_country, p_idempotency_key, p_request_hash,
        p_quota_check_ms, p_response_ms, p_status,
        CASE WHEN v_allowed THEN 'allowed' ELSE 'denied' END, p_reason, nullif(p_rule, ''),
        v_cost / 1000000.0, p_tokens, p_model, coalesce(p_fail_open, false),
        coalesce(p_collision, 0), nullif(p_would_deny, ''));
    INSERT INTO quota.rollup_identifier_hour AS h
    SELECT date_trunc('hour', v_tsz, 'UTC'), x.kind, x.identifier, 1,
        CASE WHEN v_allowed THEN 0 ELSE 1 END, v_cost / 1000000.0
    FROM (VALUES ('ip', p_ip), ('user', v_user)) AS x(kind, identifier)
    WHERE coalesce(x.identifier, '') <> ''
    ORDER BY x.kind
    ON CONFLICT (bucket, kind, identifier) DO UPDATE SET
        requests = h.requests + 1, denials = h.denials + excluded.denials,
        cost_usd = h.cost_usd + excluded.cost_usd;
    INSERT INTO quota.rollup_identifier_day AS h
    SELECT date_trunc('day', v_tsz, 'UTC'), x.kind, x.identifier, 1,
        CASE WHEN v_allowed THEN 0 ELSE 1 END, v_cost / 1000000.0
    FROM (VALUES ('ip', p_ip), ('user', v_user)) AS x(kind, identifier)
    WHERE coalesce(x.identifier, '') <> ''
    ORDER BY x.kind
    ON CONFLICT (kind, identifier, bucket) DO UPDATE SET
        requests = h.requests + 1, denials = h.denials + excluded.denials,
        cost_usd = h.cost_usd + excluded.cost_usd;
    -- the bucket of quota.latency_bucket_bounds() (1-based) the latency counts in, if any
    v_bucket := CASE WHEN p_quota_check_ms <= 1 THEN 1 WHEN p_quota_check_ms <= 2.5 THEN 2
        WHEN p_quota_check_ms <= 5 THEN 3 WHEN p_quota_check_ms <= 10 THEN 4
        WHEN p_quota_check_ms <= 25 THEN 5 WHEN p_quota_check_ms <= 50 THEN 6
        WHEN p_quota_check_ms <= 100 THEN 7 WHEN p_quota_check_ms <= 150 THEN 8
        WHEN p_quota_check_ms <= 250 THEN 9 WHEN p_quota_check_ms <= 300 THEN 10
        WHEN p_quota_check_ms <= 500 THEN 11 WHEN p_quota_check_ms <= 1000 THEN 12
        WHEN p_quota_check_ms <= 'Infinity' THEN 13 END;
    IF v_bucket IS NOT NULL THEN
        v_latency[v_bucket] := 1;
    END IF;
    -- the minute row, the hour row, the minute total, in that order (each waits for count(*)
    -- of the one before), as quota.log_requests does
    WITH minute AS (
        INSERT INTO quota.rollup_minute AS m
        VALUES (date_trunc('minute', v_tsz, 'UTC'), v_endpoint, coalesce(v_plan, ''),
            CASE WHEN v_allowed THEN 'allowed' ELSE 'denied' END, coalesce(p_reason, ''), 1,
            v_latency, CASE WHEN p_quota_check_ms IS NULL THEN 0 ELSE 1 END,
            coalesce(p_quota_check_ms, 0), coalesce(p_response_ms, 0), v_cost / 1000000.0,
            coalesce(p_tokens, 0), CASE WHEN coalesce(p_collision, 0) <> 0 THEN 1 ELSE 0 END,
            CASE WHEN coalesce(p_fail_open, false) THEN 1 ELSE 0 END)
        ON CONFLICT (bucket, endpoint, plan, decision, reason) DO UPDATE SET
            requests = m.requests + 1,
            latency_buckets[coalesce(v_bucket, 1)] = m.latency_buckets[coalesce(v_bucket, 1)]
                + excluded.latency_buckets[coalesce(v_bucket, 1)],
            latency_count = m.latency_count + excluded.latency_count,
            latency_sum_ms = m.latency_sum_ms + excluded.latency_sum_ms,
            response_ms_sum = m.response_ms_sum + excluded.response_ms_sum,
            cost_usd = m.cost_usd + excluded.cost_usd, tokens = m.tokens + excluded.tokens,
            collisions = m.collisions + excluded.collisions,
            fail_open = m.fail_open + excluded.fail_open
        RETURNING 1
    ), hour AS (
        INSERT INTO quota.rollup_hour AS m
        SELECT date_trunc('hour', v_tsz, 'UTC'), v_endpoint, coalesce(v_plan, ''),
            CASE WHEN v_allowed THEN 'allowed' ELSE 'denied' END, coalesce(p_reason, ''), 1,
            v_latency, CASE WHEN p_quota_check_ms IS NULL THEN 0 ELSE 1 END,
            coalesce(p_quota_check_ms, 0), coalesce(p_response_ms, 0), v_cost / 1000000.0,
            coalesce(p_tokens, 0), CASE WHEN coalesce(p_collision, 0) <> 0 THEN 1 ELSE 0 END,
            CASE WHEN coalesce(p_fail_open, false) THEN 1 ELSE 0 END
        WHERE (SELECT count(*) FROM minute) >= 0
        ON CONFLICT (bucket, endpoint, plan, decision, reason) DO UPDATE SET
            requests = m.requests + 1,
            latency_buckets[coalesce(v_bucket, 1)] = m.latency_buckets[coalesce(v_bucket, 1)]
                + excluded.latency_buckets[coalesce(v_bucket, 1)],
            latency_count = m.latency_count + excluded.latency_count,
            latency_sum_ms = m.latency_sum_ms + excluded.latency_sum_ms,
            response_ms_sum = m.response_ms_sum + excluded.response_ms_sum,
            cost_usd = m.cost_usd + excluded.cost_usd, tokens = m.tokens + excluded.tokens,
            collisions = m.collisions + excluded.collisions,
            fail_open = m.fail_open + excluded.fail_open
        RETURNING 1
    )
    INSERT INTO quota.rollup_minute_total AS m
    SELECT date_trunc('minute', v_tsz, 'UTC'), 1, CASE WHEN v_allowed THEN 0 ELSE 1 END,
        CASE WHEN p_reason = 'rate_limited' THEN 1 ELSE 0 END, v_latency,
        CASE WHEN p_quota_check_ms IS NULL THEN 0 ELSE 1 END, coalesce(p_quota_check_ms, 0),
        v_cost / 1000000.0, CASE WHEN coalesce(p_collision, 0) <> 0 THEN 1 ELSE 0 END,
        CASE WHEN coalesce(p_fail_open, false) THEN 1 ELSE 0 END
    WHERE (SELECT count(*) FROM hour) >= 0
    ON CONFLICT (bucket) DO UPDATE SET
        requests = m.requests + 1, denied = m.denied + excluded.denied,
        rate_limited = m.rate_limited + excluded.rate_limited,
        latency_buckets[coalesce(v_bucket, 1)] = m.latency_buckets[coalesce(v_bucket, 1)]
            + excluded.latency_buckets[coalesce(v_bucket, 1)],
        latency_count = m.latency_count + excluded.latency_count,
        latency_sum_ms = m.latency_sum_ms + excluded.latency_sum_ms,
        cost_usd = m.cost_usd + excluded.cost_usd, collisions = m.collisions + excluded.collisions,
        fail_open = m.fail_open + excluded.fail_open;
    -- the dashboard tiers, last, in the order of quota.log_requests: totals, endpoints, denials
    INSERT INTO quota.rollup_totals AS m
    SELECT k.grain, date_bin(k.step, v_tsz, timestamptz '2000-01-01'), 1,
        CASE WHEN v_allowed THEN 0 ELSE 1 END, CASE WHEN p_reason = 'rate_limited' THEN 1 ELSE 0 END,
        v_latency, CASE WHEN p_quota_check_ms IS NULL THEN 0 ELSE 1 END,
        coalesce(p_quota_check_ms, 0), v_cost / 1000000.0,
        CASE WHEN coalesce(p_collision, 0) <> 0 THEN 1 ELSE 0 END,
        CASE WHEN coalesce(p_fail_open, false) THEN 1 ELSE 0 END
    FROM (VALUES (5::smallint, interval '5 minutes'), (60::smallint, interval '1 hour')) AS k(grain, step)
    ORDER BY 1
    ON CONFLICT (grain, bucket) DO UPDATE SET
        requests = m.requests + 1, denied = m.denied + excluded.denied,
        rate_limited = m.rate_limited + excluded.rate_limited,
        latency_buckets = quota.latency_add(m.latency_buckets, excluded.latency_buckets),
        latency_count = m.latency_count + excluded.latency_count,
        latency_sum_ms = m.latency_sum_ms + excluded.latency_sum_ms,
        cost_usd = m.cost_usd + excluded.cost_usd, collisions = m.collisions + excluded.collisions,
        fail_open = m.fail_open + excluded.fail_open;
    INSERT INTO quota.rollup_endpoints AS m
    SELECT k.grain, date_bin(k.step, v_tsz, timestamptz '2000-01-01'), v_endpoint, 1,
        CASE WHEN v_allowed THEN 0 ELSE 1 END, v_cost / 1000000.0, v_latency
    FROM (VALUES (1::smallint, interval '1 minute'), (5::smallint, interval '5 minutes'),
        (60::smallint, interval '1 hour')) AS k(grain, step)
    ORDER BY 1
    ON CONFLICT (grain, bucket, endpoint) DO UPDATE SET
        requests = m.requests + 1, denied = m.denied + excluded.denied,
        cost_usd = m.cost_usd + excluded.cost_usd,
        latency_buckets = quota.latency_add(m.latency_buckets, excluded.latency_buckets);
    IF NOT v_allowed THEN
        INSERT INTO quota.rollup_denials AS m
        SELECT k.grain, date_bin(k.step, v_tsz, timestamptz '2000-01-01'), coalesce(p_reason, ''), 1
        FROM (VALUES (1::smallint, interval '1 minute'), (5::smallint, interval '5 minutes'),
        (60::smallint, interval '1 hour')) AS k(grain, step)
        ORDER BY 1
        ON CONFLICT (grain, bucket, reason) DO UPDATE SET denials = m.denials + 1;
    END IF;
    RETURN;
END
$fn$;

-- The requests, denials and cost of the identifiers p_ids of p_kind in the hours
-- [p_first, p_end): the whole days [p_day_from, p_day_to) from rollup_identifier_day, the other
-- hours from rollup_identifier_hour (no whole days: p_day_from = p_day_to = p_end). Inlined.
CREATE FUNCTION quota.identifier_totals(p_kind text, p_ids text[], p_first timestamptz,
                                        p_end timestamptz, p_day_from timestamptz,
                                        p_day_to timestamptz)
RETURNS TABLE (identifier text, requests numeric, denials numeric, cost_usd numeric)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT c.identifier, sum(c.requests), sum(c.denials), sum(c.cost_usd)
    FROM (SELECT r.identifier, r.requests, r.denials, r.cost_usd
          FROM quota.rollup_identifier_day r
          WHERE r.kind = p_kind AND r.identifier = ANY (p_ids)
            AND r.bucket >= p_day_from AND r.bucket < p_day_to
          UNION ALL
          SELECT r.identifier, r.requests, r.denials, r.cost_usd
          FROM quota.rollup_identifier_hour r
          WHERE r.kind = p_kind AND r.identifier = ANY (p_ids)
            AND r.bucket >= p_first AND r.bucket < least(p_day_from, p_end)
          UNION ALL
          SELECT r.identifier, r.requests, r.denials, r.cost_usd
          FROM quota.rollup_identifier_hour r
          WHERE r.kind = p_kind AND r.identifier = ANY (p_ids)
            AND r.bucket >= greatest(p_day_to, p_first) AND r.bucket < p_end
            AND p_day_from < p_day_to) c
    GROUP BY c.identifier;
END;

-- The p_limit identifiers of p_kind ('ip' or 'user') with the most requests in the hours
-- [date_trunc('hour', p_from), p_to) (the hour p_to falls in counts whole: p_to is now), ties by
-- identifier, exactly, without summing every identifier of the range (threshold algorithms over
-- lists of the busiest identifiers, read `depth` deep, which grows while the answer is not
-- proven):
-- - ranges under 12 hours: one list per hour (rollup_identifier_hour). An identifier's listed
--   counts are a lower bound of its total; in an hour where it is not listed it has at most that
--   hour's next count in line (the hour's bound), which gives an upper bound. Identifiers whose
--   upper bound reaches the p_limit-th lower bound are summed exactly; the answer is final once
--   the p_limit-th exact total is above the sum of all bounds (what an identifier listed nowhere
--   can have). While there are more than 4 candidates per rank read, the lists grow first. A
--   range of one hour is that hour's list.
-- - longer ranges: one list per UTC day the range touches (rollup_identifier_day): those days
--   hold the range, so an identifier's day counts (listed, or the day's bound where it is not
--   listed) bound its total from above, also for the partial first and last day. The busiest
--   listed identifiers are summed exactly over the range (whole days from the day tier, the
--   other hours from the hour tier), then every listed identifier whose upper bound reaches the
--   p_limit-th exact total; the answer is final once that total is above the sum of the days'
--   bounds. A 24 h range reads two day lists instead of 24 hour lists.
CREATE OR REPLACE FUNCTION quota.top_identifiers(p_kind text, p_from timestamptz, p_to timestamptz,
                                                 p_limit integer)
RETURNS TABLE (identifier text, requests bigint, denials bigint, denial_pct numeric,
               cost_usd numeric)
LANGUAGE plpgsql STABLE SET search_path = quota, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_first timestamptz := date_trunc('hour', p_from, 'UTC');
    v_end timestamptz; -- end of the last hour
    v_day_from timestamptz; -- the whole days [v_day_from, v_day_to) of the range
    v_day_to timestamptz;
    v_depth integer := greatest(p_limit, 1) + 10;
    v_candidates text[];
    v_upper numeric[];
    v_unlisted numeric; -- the most an identifier listed nowhere can have
    v_ids text[]; -- summed exactly, with their totals, busiest first
    v_totals numeric[];
    v_kth numeric;
    v_found integer;
BEGIN
    IF p_limit IS NULL OR p_limit < 1 OR p_from IS NULL OR p_to IS NULL OR p_to <= v_first THEN
        RETURN;
    END IF;
    v_end := date_trunc('hour', p_to - interval '1 microsecond', 'UTC') + interval '1 hour';
    v_day_from := date_trunc('day', v_first + interval '23 hours', 'UTC');
    v_day_to := date_trunc('day', v_end, 'UTC');
    IF v_day_from >= v_day_to THEN
        v_day_from := v_end;
        v_day_to := v_end;
    END IF;

    IF v_end = v_first + interval '1 hour' THEN
        RETURN QUERY
        SELECT r.identifier, r.requests, r.denials, round(100.0 * r.denials / r.requests, 2),
               r.cost_usd
        FROM quota.rollup_identifier_hour r
        WHERE r.kind = p_kind AND r.bucket = v_first
        ORDER BY r.requests DESC, r.identifier LIMIT p_limit;
        RETURN;
    END IF;

    IF v_end - v_first < interval '12 hours' THEN
        LOOP
            WITH lists AS (
                SELECT b.bucket, x.identifier, x.requests, x.n
                FROM generate_series(v_first, v_end - interval '1 hour', interval '1 hour')
                    AS b(bucket)
                CROSS JOIN LATERAL (
                    SELECT t.identifier, t.requests,
                           row_number() OVER (ORDER BY t.requests DESC) AS n
                    FROM (SELECT r.identifier, r.requests FROM quota.rollup_identifier_hour r
                          WHERE r.kind = p_kind AND r.bucket = b.bucket
                          ORDER BY r.requests DESC LIMIT v_depth + 1) t) x
            ), bounds AS (
                SELECT l.bucket, coalesce(max(l.requests) FILTER (WHERE l.n > v_depth), 0) AS bound
                FROM lists l GROUP BY l.bucket
            ), seen AS (
                SELECT l.identifier, sum(l.requests) AS lower, sum(d.bound) AS listed_bounds
                FROM lists l JOIN bounds d ON d.bucket = l.bucket
                WHERE l.n <= v_depth GROUP BY l.identifier
            ), all_bounds AS (
                SELECT coalesce(sum(d.bound), 0) AS total FROM bounds d
            ), cut AS (
                SELECT coalesce((SELECT x.lower FROM seen x ORDER BY x.lower DESC
                                 OFFSET p_limit - 1 LIMIT 1), 0) AS lower
            )
            SELECT array_agg(x.identifier), max(ab.total)
            INTO v_candidates, v_unlisted
            FROM seen x, all_bounds ab, cut
            WHERE x.lower + ab.total - x.listed_bounds >= cut.lower;
            v_unlisted := coalesce(v_unlisted, 0);
            IF v_unlisted > 0 AND coalesce(cardinality(v_candidates), 0) > 4 * v_depth THEN
                v_depth := v_depth * 4;
                CONTINUE;
            END IF;
            SELECT array_agg(t.identifier ORDER BY t.requests DESC, t.identifier),
                   array_agg(t.requests ORDER BY t.requests DESC, t.identifier)
            INTO v_ids, v_totals
            FROM quota.identifier_totals(p_kind, v_candidates, v_first, v_end, v_end, v_end) t;
            v_found := coalesce(cardinality(v_ids), 0);
            EXIT WHEN v_unlisted = 0 OR (v_found >= p_limit AND v_totals[p_limit] > v_unlisted);
            v_depth := v_depth * 4;
        END LOOP;
    ELSE
        LOOP
            WITH lists AS (
                SELECT b.bucket, x.identifier, x.requests, x.n
                FROM generate_series(date_trunc('day', v_first, 'UTC'),
                                     v_end - interval '1 hour', interval '1 day') AS b(bucket)
                CROSS JOIN LATERAL (
                    SELECT t.identifier, t.requests,
                           row_number() OVER (ORDER BY t.requests DESC) AS n
                    FROM (SELECT r.identifier, r.requests FROM quota.rollup_identifier_day r
                          WHERE r.kind = p_kind AND r.bucket = b.bucket
                          ORDER BY r.requests DESC LIMIT v_depth + 1) t) x
            ), bounds AS (
                SELECT l.bucket, coalesce(max(l.requests) FILTER (WHERE l.n > v_depth), 0) AS bound
                FROM lists l GROUP BY l.bucket
            ), seen AS (
                SELECT l.identifier, sum(l.requests) AS listed, sum(d.bound) AS listed_bounds
                FROM lists l JOIN bounds d ON d.bucket = l.bucket
                WHERE l.n <= v_depth GROUP BY l.identifier
            ), all_bounds AS (
                SELECT coalesce(sum(d.bound), 0) AS total FROM bounds d
            )
            SELECT array_agg(x.identifier ORDER BY x.listed DESC, x.identifier),
                   array_agg(x.listed + ab.total - x.listed_bounds ORDER BY x.listed DESC,
                             x.identifier),
                   max(ab.total)
            INTO v_candidates, v_upper, v_unlisted
            FROM seen x, all_bounds ab;
            v_unlisted := coalesce(v_unlisted, 0);
            -- the busiest listed first, then every listed identifier that can still reach them
            SELECT array_agg(t.identifier ORDER BY t.requests DESC, t.identifier),
                   array_agg(t.requests ORDER BY t.requests DESC, t.identifier)
            INTO v_ids, v_totals
            FROM quota.identifier_totals(p_kind, v_candidates[1:p_limit + 10], v_first, v_end,
                                         v_day_from, v_day_to) t;
            v_kth := CASE WHEN cardinality(v_ids) >= p_limit THEN v_totals[p_limit] ELSE 0 END;
            SELECT array_agg(t.identifier ORDER BY t.requests DESC, t.identifier),
                   array_agg(t.requests ORDER BY t.requests DESC, t.identifier)
            INTO v_ids, v_totals
            FROM (SELECT e.identifier, e.requests
                  FROM unnest(v_ids, v_totals) AS e(identifier, requests)
                  UNION ALL
                  SELECT t.identifier, t.requests
                  FROM quota.identifier_totals(p_kind,
                           ARRAY(SELECT c.identifier
                                 FROM unnest(v_candidates, v_upper)
                                     WITH ORDINALITY AS c(identifier, upper, i)
                                 WHERE c.i > p_limit + 10 AND c.upper >= v_kth),
                           v_first, v_end, v_day_from, v_day_to) t) t;
            v_found := coalesce(cardinality(v_ids), 0);
            EXIT WHEN v_unlisted = 0 OR (v_found >= p_limit AND v_totals[p_limit] > v_unlisted);
            v_depth := v_depth * 4;
        END LOOP;
    END IF;
    RETURN QUERY
    SELECT t.identifier, t.requests::bigint, t.denials::bigint,
           round(100.0 * t.denials / t.requests, 2), t.cost_usd
    FROM quota.identifier_totals(p_kind, v_ids[1:p_limit], v_first, v_end, v_day_from,
                                 v_day_to) t
    ORDER BY t.requests DESC, t.identifier;
END;
$$;

-- An existing database: the dashboard tiers of the minutes it holds.
SELECT quota.add_minutes_to_dashboard_tiers('quota.rollup_minute');
SELECT quota.add_identifier_hours_to_day_tier('quota.rollup_identifier_hour');

REVOKE ALL ON FUNCTION quota.latency_add(bigint[], bigint[]),
    quota.identifier_totals(text, text[], timestamptz, timestamptz, timestamptz, timestamptz),
    quota.latency_quantile_cumulative(double precision[], double precision),
    quota.grain_bounds(timestamptz, timestamptz, interval),
    quota.total_rows(timestamptz, timestamptz, interval),
    quota.endpoint_rows(timestamptz, timestamptz, interval),
    quota.denial_rows(timestamptz, timestamptz, interval),
    quota.add_minutes_to_dashboard_tiers(regclass, boolean),
    quota.add_identifier_hours_to_day_tier(regclass) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION quota.latency_add(bigint[], bigint[]),
    quota.identifier_totals(text, text[], timestamptz, timestamptz, timestamptz, timestamptz),
    quota.latency_quantile_cumulative(double precision[], double precision),
    quota.grain_bounds(timestamptz, timestamptz, interval),
    quota.total_rows(timestamptz, timestamptz, interval),
    quota.endpoint_rows(timestamptz, timestamptz, interval),
    quota.denial_rows(timestamptz, timestamptz, interval)
    TO quota_viewer;
