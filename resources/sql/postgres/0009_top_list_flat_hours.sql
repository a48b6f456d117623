-- Top lists over a few quiet hours (docs/database.md, "Top lists"): when the hour lists of a
-- range of 2 to 11 hours are flat (many identifiers with about the same few requests, as on a
-- quiet service), proving the answer from the lists summed most of their identifiers one index
-- probe at a time: 150 ms for a 6 h top 200 that raw request_logs answered in 5 ms. Now, when
-- after the lists' first read more identifiers beyond the first n may still be in the answer
-- than n, and the range holds fewer hour rows than 8 per such identifier, all its hour rows are
-- summed at once; busy, skewed hours are proven from the lists as before. Otherwise
-- quota.top_identifiers is that of 0008.

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
    v_listed numeric[]; -- the candidates' listed counts, each at most the candidate's total
    v_close bigint; -- candidates after the first p_limit that may still be in the answer
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
               max(ab.total),
               array_agg(x.listed ORDER BY x.listed DESC, x.identifier)
        INTO v_candidates, v_upper, v_unlisted, v_listed
        FROM seen x, all_bounds ab
        WHERE x.identifier <> ALL (v_ids);
        v_unlisted := coalesce(v_unlisted, 0);
        -- Hour lists on the first pass: when more identifiers after the first p_limit may
        -- still be in the answer than the answer holds (flat counts, as on a quiet service),
        -- proving it would sum most of them with an index probe each, about 8 rows' worth; if
        -- the range has fewer hour rows than that, sum them all at once. (A listed count is at
        -- most the identifier's total, so the p_limit-th listed count is at most the p_limit-th
        -- total.)
        IF NOT v_daily AND cardinality(v_ids) = 0 THEN
            v_close := (SELECT count(*) FROM unnest(v_upper) WITH ORDINALITY AS c(upper, i)
                        WHERE c.i > p_limit AND c.upper >= v_listed[p_limit]);
            IF v_close > p_limit
               AND (SELECT count(*)
                    FROM (SELECT FROM quota.rollup_identifier_hour h
                          WHERE h.kind = p_kind AND h.bucket >= v_first AND h.bucket < v_end
                          LIMIT 8 * v_close) e) < 8 * v_close THEN
                RETURN QUERY
                SELECT s.identifier, s.requests::bigint, s.denials::bigint,
                       round(100.0 * s.denials / s.requests, 2), s.cost_usd
                FROM (SELECT h.identifier, sum(h.requests) AS requests, sum(h.denials) AS denials,
                             sum(h.cost_usd) AS cost_usd
                      FROM quota.rollup_identifier_hour h
                      WHERE h.kind = p_kind AND h.bucket >= v_first AND h.bucket < v_end
                      GROUP BY h.identifier) s
                WHERE s.requests > 0
                ORDER BY s.requests DESC, s.identifier LIMIT p_limit;
                RETURN;
            END IF;
        END IF;
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
