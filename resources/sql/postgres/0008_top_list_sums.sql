-- Top lists of the dashboard (quota.top_identifiers) with fewer rows read per identifier and
-- per call (docs/database.md, "Top lists"):
-- - an identifier's exact total over a range is summed from the day rows of the days the range
--   covers and the hour rows of its partial days; a partial day of which the range covers more
--   than 12 hours is read as its day row less the hours outside the range, so a 24 h range reads
--   at most 13 rows per identifier instead of 24;
-- - identifiers are summed once per call with their requests, denials and cost, where the lists
--   had to be read deeper to prove the answer, only those not summed yet, and the answer is
--   returned from those sums;
-- - ranges of several lists start two ranks per row deep, which proves a Zipf-shaped list of
--   200 in one pass where one rank per row needed a second, deeper one.

-- The busiest identifiers of p_kind in one list: the day p_bucket of rollup_identifier_day
-- (p_daily) or the hour p_bucket of rollup_identifier_hour, the first p_rows of them, numbered
-- from 1 busiest first.
CREATE FUNCTION quota.identifier_list(p_kind text, p_daily boolean, p_bucket timestamptz,
                                      p_rows integer)
RETURNS TABLE (identifier text, requests bigint, n bigint)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT l.identifier, l.requests, row_number() OVER (ORDER BY l.requests DESC)
    FROM ((SELECT r.identifier, r.requests FROM quota.rollup_identifier_day r
           WHERE p_daily AND r.kind = p_kind AND r.bucket = p_bucket
           ORDER BY r.requests DESC LIMIT p_rows)
          UNION ALL
          (SELECT r.identifier, r.requests FROM quota.rollup_identifier_hour r
           WHERE NOT p_daily AND r.kind = p_kind AND r.bucket = p_bucket
           ORDER BY r.requests DESC LIMIT p_rows)) l;
END;

-- Exact totals of the identifiers p_ids of p_kind: the day rows of [p_day_from, p_day_to) plus
-- the hour rows of each [p_hour_from[i], p_hour_to[i]) times p_sign[i] (1, or -1 for the hours
-- of a day row that lie outside the range). Identifiers without requests are left out.
CREATE FUNCTION quota.identifier_sums(p_kind text, p_ids text[], p_day_from timestamptz,
                                      p_day_to timestamptz, p_hour_from timestamptz[],
                                      p_hour_to timestamptz[], p_sign integer[])
RETURNS TABLE (identifier text, requests numeric, denials numeric, cost_usd numeric)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT c.identifier, sum(c.requests), sum(c.denials), sum(c.cost_usd)
    FROM (SELECT r.identifier, r.requests, r.denials, r.cost_usd
          FROM quota.rollup_identifier_day r
          WHERE r.kind = p_kind AND r.identifier = ANY (p_ids)
            AND r.bucket >= p_day_from AND r.bucket < p_day_to
          UNION ALL
          SELECT r.identifier, s.sign * r.requests, s.sign * r.denials, s.sign * r.cost_usd
          FROM unnest(p_hour_from, p_hour_to, p_sign) AS s(hour_from, hour_to, sign)
          CROSS JOIN LATERAL (
              SELECT h.identifier, h.requests, h.denials, h.cost_usd
              FROM quota.rollup_identifier_hour h
              WHERE h.kind = p_kind AND h.identifier = ANY (p_ids)
                AND h.bucket >= s.hour_from AND h.bucket < s.hour_to
              OFFSET 0) r) c -- (OFFSET 0: each range is its own index scan)
    GROUP BY c.identifier
    HAVING sum(c.requests) > 0;
END;

-- The p_limit identifiers of p_kind ('ip' or 'user') with the most requests in the hours
-- [date_trunc('hour', p_from), p_to) (the hour p_to falls in counts whole: p_to is now), ties by
-- identifier, exactly, without summing every identifier of the range: a threshold algorithm
-- over lists of each list's busiest identifiers, read `depth` deep, which grows while the answer
-- is not proven.
-- - The lists: one per UTC day the range touches (rollup_identifier_day) for ranges of 12 hours
--   and more, else one per hour. Those days or hours hold the range, so an identifier's counts
--   in them (listed, or the list's bound, its next count in line, where it is not listed) bound
--   its total from above; the sum of all bounds is the most an identifier listed nowhere can
--   have.
-- - The busiest listed identifiers are summed exactly, then every listed identifier whose upper
--   bound reaches the p_limit-th exact total. The answer is final once that total is above the
--   sum of the bounds; otherwise the lists are read four times deeper.
-- - A range of one hour is that hour's list.
CREATE OR REPLACE FUNCTION quota.top_identifiers(p_kind text, p_from timestamptz, p_to timestamptz,
                                                 p_limit integer)
RETURNS TABLE (identifier text, requests bigint, denials bigint, denial_pct numeric,
               cost_usd numeric)
LANGUAGE plpgsql STABLE SET search_path = quota, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_first timestamptz := date_trunc('hour', p_from, 'UTC');
    v_end timestamptz; -- end of the last hour
    v_daily boolean; -- lists per day, else per hour
    v_lists timestamptz[]; -- the buckets of the lists
    v_day_from timestamptz; -- the day rows summed: [v_day_from, v_day_to)
    v_day_to timestamptz;
    v_hour_from timestamptz[] := '{}'; -- the hour rows summed, each range with its sign
    v_hour_to timestamptz[] := '{}';
    v_sign integer[] := '{}';
    v_day timestamptz;
    v_lo timestamptz;
    v_hi timestamptz;
    v_depth integer;
    v_candidates text[]; -- listed, not summed yet, busiest listed first
    v_upper numeric[];
    v_unlisted numeric; -- the most an identifier listed nowhere can have
    v_ids text[] := '{}'; -- summed exactly (any order)
    v_requests numeric[] := '{}';
    v_denials numeric[] := '{}';
    v_cost numeric[] := '{}';
    v_kth numeric;
BEGIN
    IF p_limit IS NULL OR p_limit < 1 OR p_from IS NULL OR p_to IS NULL OR p_to <= v_first THEN
        RETURN;
    END IF;
    v_end := date_trunc('hour', p_to - interval '1 microsecond', 'UTC') + interval '1 hour';

    IF v_end = v_first + interval '1 hour' THEN
        RETURN QUERY
        SELECT r.identifier, r.requests, r.denials, round(100.0 * r.denials / r.requests, 2),
               r.cost_usd
        FROM quota.rollup_identifier_hour r
        WHERE r.kind = p_kind AND r.bucket = v_first
        ORDER BY r.requests DESC, r.identifier LIMIT p_limit;
        RETURN;
    END IF;

    v_daily := v_end - v_first >= interval '12 hours';
    IF NOT v_daily THEN
        v_lists := ARRAY(SELECT generate_series(v_first, v_end - interval '1 hour',
                                                interval '1 hour'));
        v_day_from := v_end;
        v_day_to := v_end;
        v_hour_from := ARRAY[v_first];
        v_hour_to := ARRAY[v_end];
        v_sign := ARRAY[1];
    ELSE
        v_lists := ARRAY(SELECT generate_series(date_trunc('day', v_first, 'UTC'),
                                                v_end - interval '1 hour', interval '1 day'));
        -- Whole days from their day rows; a partial day from its hours in the range, or, when
        -- those are more than 12, from its day row less its hours outside the range. Such days
        -- are first or last, so the day rows stay one range.
        v_day_from := date_trunc('day', v_first + interval '23 hours', 'UTC');
        v_day_to := date_trunc('day', v_end, 'UTC');
        IF v_day_from > v_day_to THEN -- within one day
            v_day_from := v_day_to;
        END IF;
        FOREACH v_day IN ARRAY v_lists LOOP
            v_lo := greatest(v_day, v_first);
            v_hi := least(v_day + interval '1 day', v_end);
            CONTINUE WHEN v_lo = v_day AND v_hi = v_day + interval '1 day';
            IF v_hi - v_lo <= interval '12 hours' THEN
                v_hour_from := v_hour_from || v_lo;
                v_hour_to := v_hour_to || v_hi;
                v_sign := v_sign || 1;
                CONTINUE;
            END IF;
            v_day_from := least(v_day_from, v_day);
            v_day_to := greatest(v_day_to, v_day + interval '1 day');
            IF v_lo > v_day THEN
                v_hour_from := v_hour_from || v_day;
                v_hour_to := v_hour_to || v_lo;
                v_sign := v_sign || -1;
            END IF;
            IF v_hi < v_day + interval '1 day' THEN
                v_hour_from := v_hour_from || v_hi;
                v_hour_to := v_hour_to || (v_day + interval '1 day');
                v_sign := v_sign || -1;
            END IF;
        END LOOP;
    END IF;

    v_depth := 2 * greatest(p_limit, 1) + 10;
    LOOP
        WITH lists AS (
            SELECT b.bucket, x.identifier, x.requests, x.n
            FROM unnest(v_lists) AS b(bucket)
            CROSS JOIN LATERAL quota.identifier_list(p_kind, v_daily, b.bucket, v_depth + 1) x
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
        FROM seen x, all_bounds ab
        WHERE x.identifier <> ALL (v_ids);
        v_unlisted := coalesce(v_unlisted, 0);
        -- the busiest listed first, then every listed identifier that can still reach them
        SELECT v_ids || array_agg(t.identifier), v_requests || array_agg(t.requests),
               v_denials || array_agg(t.denials), v_cost || array_agg(t.cost_usd)
        INTO v_ids, v_requests, v_denials, v_cost
        FROM quota.identifier_sums(p_kind, v_candidates[1:p_limit + 10], v_day_from, v_day_to,
                                   v_hour_from, v_hour_to, v_sign) t;
        v_kth := coalesce((SELECT e.requests FROM unnest(v_requests) AS e(requests)
                           ORDER BY e.requests DESC OFFSET p_limit - 1 LIMIT 1), 0);
        SELECT v_ids || array_agg(t.identifier), v_requests || array_agg(t.requests),
               v_denials || array_agg(t.denials), v_cost || array_agg(t.cost_usd)
        INTO v_ids, v_requests, v_denials, v_cost
        FROM quota.identifier_sums(p_kind,
                 ARRAY(SELECT c.identifier
                       FROM unnest(v_candidates, v_upper) WITH ORDINALITY AS c(identifier, upper, i)
                       WHERE c.i > p_limit + 10 AND c.upper >= v_kth),
                 v_day_from, v_day_to, v_hour_from, v_hour_to, v_sign) t;
        v_ids := coalesce(v_ids, '{}');
        v_requests := coalesce(v_requests, '{}');
        v_denials := coalesce(v_denials, '{}');
        v_cost := coalesce(v_cost, '{}');
        v_kth := (SELECT e.requests FROM unnest(v_requests) AS e(requests)
                  ORDER BY e.requests DESC OFFSET p_limit - 1 LIMIT 1);
        EXIT WHEN v_unlisted = 0 OR v_kth > v_unlisted;
        v_depth := v_depth * 4;
    END LOOP;
    RETURN QUERY
    SELECT e.identifier, e.requests::bigint, e.denials::bigint,
           round(100.0 * e.denials / e.requests, 2), e.cost_usd
    FROM unnest(v_ids, v_requests, v_denials, v_cost) AS e(identifier, requests, denials, cost_usd)
    ORDER BY e.requests DESC, e.identifier LIMIT p_limit;
END;
$$;

-- Replaced by identifier_sums.
DROP FUNCTION quota.identifier_totals(text, text[], timestamptz, timestamptz, timestamptz,
                                      timestamptz);

REVOKE ALL ON FUNCTION quota.identifier_list(text, boolean, timestamptz, integer),
    quota.identifier_sums(text, text[], timestamptz, timestamptz, timestamptz[], timestamptz[],
                          integer[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION quota.identifier_list(text, boolean, timestamptz, integer),
    quota.identifier_sums(text, text[], timestamptz, timestamptz, timestamptz[], timestamptz[],
                          integer[]) TO quota_viewer;
