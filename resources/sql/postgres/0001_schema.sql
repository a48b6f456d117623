-- The quota database: tables of docs/database.md, all in schema quota.
-- Runs inside one transaction opened by the migrator; no transaction control here.

CREATE SCHEMA IF NOT EXISTS quota;

-- Policy versions: the rate-limit policy as JSON (docs/policy.md) with who/when/why.
CREATE TABLE quota.policy_versions (
    id bigserial PRIMARY KEY,
    policy jsonb NOT NULL CHECK (jsonb_typeof(policy) = 'object'),
    active boolean NOT NULL DEFAULT false,
    created_by text NOT NULL DEFAULT session_user,
    created_at timestamptz NOT NULL DEFAULT now(),
    reason text NOT NULL,
    activated_at timestamptz,
    activated_by text,
    version bigint NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX policy_versions_one_active ON quota.policy_versions ((true)) WHERE active;

-- Mirror of the active policy's plans[], refreshed whenever a version becomes active, so that
-- views can join and sort plans without parsing JSON.
CREATE TABLE quota.plans (
    name text PRIMARY KEY,
    rank integer NOT NULL,
    paid boolean NOT NULL,
    quotas jsonb NOT NULL DEFAULT '{}',
    display_order integer NOT NULL,
    policy_version_id bigint REFERENCES quota.policy_versions (id),
    refreshed_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION quota.refresh_plans() RETURNS trigger
LANGUAGE plpgsql SET search_path = quota, pg_temp AS $$
BEGIN
    DELETE FROM quota.plans;
    INSERT INTO quota.plans (name, rank, paid, quotas, display_order, policy_version_id)
    SELECT p ->> 'name',
           coalesce((p ->> 'rank')::integer, (ord - 1)::integer),
           coalesce((p ->> 'paid')::boolean, coalesce((p ->> 'rank')::integer, (ord - 1)::integer) > 0),
           coalesce(p -> 'quotas', '{}'::jsonb),
           (ord - 1)::integer,
           NEW.id
    FROM jsonb_array_elements(coalesce(NEW.policy -> 'plans', '[]'::jsonb)) WITH ORDINALITY AS e(p, ord);
    RETURN NULL;
END;
$$;
CREATE TRIGGER policy_versions_refresh_plans
    AFTER INSERT OR UPDATE OF active, policy ON quota.policy_versions
    FOR EACH ROW WHEN (NEW.active) EXECUTE FUNCTION quota.refresh_plans();

-- People and services known by id; the gateway may send user ids the console has never seen,
-- so subscriptions do not require a row here.
CREATE TABLE quota.users (
    user_id text PRIMARY KEY,
    email text,
    display_name text,
    attributes jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE quota.subscriptions (
    user_id text PRIMARY KEY,
    plan text NOT NULL,
    previous_plan text,
    grace_end timestamptz,
    cycle_anchor timestamptz,
    version bigint NOT NULL DEFAULT 1,
    updated_by text,
    updated_at timestamptz
);
CREATE INDEX subscriptions_plan ON quota.subscriptions (plan);

CREATE TABLE quota.plan_change_log (
    id bigserial PRIMARY KEY,
    user_id text NOT NULL,
    from_plan text,
    to_plan text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('initial', 'upgrade', 'downgrade')),
    effective_at timestamptz NOT NULL,
    previous_plan text,
    grace_end timestamptz,
    changed_by text NOT NULL DEFAULT session_user,
    reason text,
    logged_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX plan_change_log_user ON quota.plan_change_log (user_id, effective_at);
CREATE INDEX plan_change_log_time ON quota.plan_change_log (effective_at);

CREATE TABLE quota.abuse_incidents (
    id bigserial PRIMARY KEY,
    pattern_id text NOT NULL,
    scope text NOT NULL,
    identifier text NOT NULL,
    ts timestamptz NOT NULL,
    severity text NOT NULL,
    action text NOT NULL,
    blocked_until timestamptz,
    request_id text,
    details jsonb DEFAULT '{}'
);
CREATE INDEX abuse_incidents_identifier ON quota.abuse_incidents (identifier, ts);
CREATE INDEX abuse_incidents_ts ON quota.abuse_incidents (ts);

CREATE TABLE quota.blocked_identifiers (
    id bigserial PRIMARY KEY,
    target text NOT NULL CHECK (target IN ('ip', 'network', 'user')),
    value text NOT NULL,
    blocked_from timestamptz NOT NULL,
    blocked_until timestamptz,
    reason text NOT NULL,
    source text NOT NULL CHECK (source IN ('auto', 'manual')),
    incident_id bigint REFERENCES quota.abuse_incidents (id),
    created_by text DEFAULT session_user,
    created_at timestamptz DEFAULT now(),
    unblocked_by text,
    unblocked_at timestamptz,
    version bigint NOT NULL DEFAULT 1,
    CHECK (blocked_until IS NULL OR blocked_until > blocked_from)
);
CREATE INDEX blocked_identifiers_value ON quota.blocked_identifiers (target, value);
CREATE INDEX blocked_identifiers_open ON quota.blocked_identifiers (blocked_until)
    WHERE unblocked_at IS NULL;

CREATE TABLE quota.alerts (
    id bigserial PRIMARY KEY,
    rule text NOT NULL,
    labels jsonb NOT NULL DEFAULT '{}',
    annotations jsonb NOT NULL DEFAULT '{}',
    severity text NOT NULL,
    state text NOT NULL DEFAULT 'firing' CHECK (state IN ('firing', 'acknowledged', 'resolved')),
    fingerprint text NOT NULL,
    starts_at timestamptz NOT NULL,
    ends_at timestamptz,
    acknowledged_by text,
    acknowledged_at timestamptz,
    acknowledge_note text,
    version bigint NOT NULL DEFAULT 1,
    updated_by text,
    updated_at timestamptz
);
-- One open alert per fingerprint: evaluation updates it instead of raising a duplicate.
CREATE UNIQUE INDEX alerts_open_fingerprint ON quota.alerts (fingerprint) WHERE state <> 'resolved';
CREATE INDEX alerts_starts_at ON quota.alerts (starts_at);

-- Audit trail of admin actions: append-only and hash-chained (docs/database.md).
CREATE TABLE quota.admin_audit_log (
    id bigint PRIMARY KEY,
    ts timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor text NOT NULL DEFAULT session_user,
    action text NOT NULL,
    target text NOT NULL,
    reason text,
    before jsonb,
    after jsonb,
    result jsonb,
    client_action_id text NOT NULL UNIQUE,
    prev_hash text,
    hash text NOT NULL
);
CREATE SEQUENCE quota.admin_audit_log_id_seq OWNED BY quota.admin_audit_log.id;
CREATE INDEX admin_audit_log_ts ON quota.admin_audit_log (ts);
CREATE INDEX admin_audit_log_target ON quota.admin_audit_log (target, ts);

-- The chain head: one row, locked by every audit insert, so that concurrent actions append in
-- a single order (a row lock, unlike a snapshot read, always sees the latest head).
CREATE TABLE quota.admin_audit_chain_head (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    last_id bigint,
    hash text
);
INSERT INTO quota.admin_audit_chain_head DEFAULT VALUES;

-- The text a row's hash covers. Times as epoch microseconds and JSON via jsonb's normalised
-- text, so the hash does not depend on the session's TimeZone or DateStyle.
CREATE FUNCTION quota.audit_canonical_text(r quota.admin_audit_log) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT jsonb_build_array(r.id, (extract(epoch FROM r.ts) * 1000000)::bigint, r.actor,
                             r.action, r.target, r.reason, r.before, r.after, r.result,
                             r.client_action_id)::text
$$;

CREATE FUNCTION quota.audit_row_hash(r quota.admin_audit_log, p_prev_hash text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT encode(sha256(convert_to(quota.audit_canonical_text(r) || '|' || coalesce(p_prev_hash, ''),
                                    'UTF8')), 'hex')
$$;

CREATE FUNCTION quota.audit_chain_append() RETURNS trigger
LANGUAGE plpgsql SET search_path = quota, pg_temp AS $$
DECLARE
    v_prev text;
BEGIN
    SELECT hash INTO v_prev FROM quota.admin_audit_chain_head FOR UPDATE;
    NEW.id := nextval('quota.admin_audit_log_id_seq');
    NEW.ts := clock_timestamp();
    NEW.actor := session_user;
    NEW.prev_hash := v_prev;
    NEW.hash := quota.audit_row_hash(NEW, v_prev);
    UPDATE quota.admin_audit_chain_head SET last_id = NEW.id, hash = NEW.hash;
    RETURN NEW;
END;
$$;
CREATE TRIGGER admin_audit_log_chain BEFORE INSERT ON quota.admin_audit_log
    FOR EACH ROW EXECUTE FUNCTION quota.audit_chain_append();

CREATE FUNCTION quota.audit_forbid_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'quota.admin_audit_log is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Corrections are new audit rows written by the admin action functions.';
END;
$$;
CREATE TRIGGER admin_audit_log_no_update BEFORE UPDATE OR DELETE ON quota.admin_audit_log
    FOR EACH ROW EXECUTE FUNCTION quota.audit_forbid_change();
CREATE TRIGGER admin_audit_log_no_truncate BEFORE TRUNCATE ON quota.admin_audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION quota.audit_forbid_change();
CREATE TRIGGER admin_audit_chain_head_no_truncate BEFORE TRUNCATE OR DELETE ON quota.admin_audit_chain_head
    FOR EACH STATEMENT EXECUTE FUNCTION quota.audit_forbid_change();

-- The id of the first row whose link or hash does not verify, NULL when the chain is intact.
CREATE FUNCTION quota.verify_audit_chain() RETURNS bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = quota, pg_temp AS $$
DECLARE
    r quota.admin_audit_log;
    v_prev text := NULL;
BEGIN
    FOR r IN SELECT * FROM quota.admin_audit_log ORDER BY id LOOP
        IF r.prev_hash IS DISTINCT FROM v_prev OR r.hash IS DISTINCT FROM quota.audit_row_hash(r, v_prev) THEN
            RETURN r.id;
        END IF;
        v_prev := r.hash;
    END LOOP;
    -- A deleted tail row leaves the head pointing past the last row.
    IF (SELECT hash FROM quota.admin_audit_chain_head) IS DISTINCT FROM v_prev THEN
        RETURN coalesce((SELECT last_id FROM quota.admin_audit_chain_head), 0);
    END IF;
    RETURN NULL;
END;
$$;

-- ---------------------------------------------------------------------------------------------
-- Plan changes (docs/enforcement.md §6).

-- Rank of a plan in the active policy: its `rank`, else its position (from 0); NULL if unknown.
CREATE FUNCTION quota.plan_rank(p_plan text) RETURNS integer
LANGUAGE sql STABLE SET search_path = quota, pg_temp AS $$
    SELECT coalesce((p ->> 'rank')::integer, (ord - 1)::integer)
    FROM quota.policy_versions pv,
         jsonb_array_elements(coalesce(pv.policy -> 'plans', '[]'::jsonb)) WITH ORDINALITY AS e(p, ord)
    WHERE pv.active AND p ->> 'name' = p_plan
    LIMIT 1
$$;

-- A policy duration ("90s", "1m", "2h", "7d", "250ms" or integer milliseconds) as an interval.
CREATE FUNCTION quota.policy_duration(p_value jsonb) RETURNS interval
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    m text[];
BEGIN
    IF p_value IS NULL OR jsonb_typeof(p_value) = 'null' THEN
        RETURN NULL;
    END IF;
    IF jsonb_typeof(p_value) = 'number' THEN
        RETURN make_interval(secs => (p_value::text)::numeric / 1000);
    END IF;
    m := regexp_match(p_value #>> '{}', '^([0-9]+)(ms|s|m|h|d)$');
    IF m IS NULL THEN
        RAISE EXCEPTION 'policy duration %: use e.g. 90s, 5m, 2h, 7d', p_value
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN CASE m[2]
        WHEN 'ms' THEN make_interval(secs => m[1]::numeric / 1000)
        WHEN 's' THEN make_interval(secs => m[1]::numeric)
        WHEN 'm' THEN make_interval(mins => m[1]::integer)
        WHEN 'h' THEN make_interval(hours => m[1]::integer)
        ELSE make_interval(days => m[1]::integer)
    END;
END;
$$;

-- Applies a plan change at p_at: an upgrade (rank >= current) at once, clearing any grace; a
-- downgrade keeps the current plan as previous_plan until p_at + p_grace (NULL: the active
-- policy's downgrade_grace, default 7 days). Usage is never touched. A user without a
-- subscription starts on p_plan with no grace. Returns the subscription as it is afterwards.
CREATE FUNCTION quota.apply_plan_change(p_user text, p_plan text, p_at timestamptz,
                                        p_grace interval DEFAULT NULL, p_reason text DEFAULT NULL)
RETURNS quota.subscriptions
LANGUAGE plpgsql SET search_path = quota, pg_temp AS $$
DECLARE
    s quota.subscriptions;
    v_new_rank integer;
    v_old_rank integer;
    v_old_plan text;
    v_grace interval := p_grace;
BEGIN
    IF coalesce(p_user, '') = '' THEN
        RAISE EXCEPTION 'apply_plan_change: the user id is empty' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_at IS NULL THEN
        RAISE EXCEPTION 'apply_plan_change: the change time is missing' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    v_new_rank := quota.plan_rank(p_plan);
    IF v_new_rank IS NULL THEN
        RAISE EXCEPTION 'apply_plan_change: plan "%" is not in the active policy', p_plan
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Use one of the plans of the active policy (quota.plans).';
    END IF;

    SELECT * INTO s FROM quota.subscriptions WHERE user_id = p_user FOR UPDATE;
    IF NOT FOUND THEN
        INSERT INTO quota.subscriptions AS t (user_id, plan, cycle_anchor, updated_by, updated_at)
        VALUES (p_user, p_plan, p_at, session_user, now())
        ON CONFLICT (user_id) DO NOTHING
        RETURNING * INTO s;
        IF NOT FOUND THEN
            -- A concurrent transaction created it first: decide against its row.
            SELECT * INTO s FROM quota.subscriptions WHERE user_id = p_user FOR UPDATE;
        ELSE
            INSERT INTO quota.plan_change_log (user_id, from_plan, to_plan, kind, effective_at, reason)
            VALUES (p_user, NULL, p_plan, 'initial', p_at, p_reason);
            RETURN s;
        END IF;
    END IF;

    IF s.plan = p_plan THEN
        RETURN s;
    END IF;
    v_old_plan := s.plan;
    v_old_rank := quota.plan_rank(s.plan);
    IF v_old_rank IS NULL OR v_new_rank >= v_old_rank THEN
        UPDATE quota.subscriptions
        SET plan = p_plan, previous_plan = NULL, grace_end = NULL, version = version + 1,
            updated_by = session_user, updated_at = now()
        WHERE user_id = p_user
        RETURNING * INTO s;
        INSERT INTO quota.plan_change_log (user_id, from_plan, to_plan, kind, effective_at, reason)
        VALUES (p_user, v_old_plan, p_plan, 'upgrade', p_at, p_reason);
    ELSE
        IF v_grace IS NULL THEN
            SELECT coalesce(quota.policy_duration(policy -> 'downgrade_grace'), interval '7 days')
            INTO v_grace FROM quota.policy_versions WHERE active;
        END IF;
        UPDATE quota.subscriptions
        SET previous_plan = plan, plan = p_plan, grace_end = p_at + v_grace, version = version + 1,
            updated_by = session_user, updated_at = now()
        WHERE user_id = p_user
        RETURNING * INTO s;
        INSERT INTO quota.plan_change_log (user_id, from_plan, to_plan, kind, effective_at,
                                           previous_plan, grace_end, reason)
        VALUES (p_user, v_old_plan, p_plan, 'downgrade', p_at, s.previous_plan, s.grace_end, p_reason);
    END IF;
    RETURN s;
END;
$$;

-- ---------------------------------------------------------------------------------------------
-- Request logs: one row per request, one partition per UTC day, retention by dropping days.

CREATE TABLE quota.request_logs (
    ts timestamptz NOT NULL,
    request_id text,
    endpoint text NOT NULL,
    method text,
    user_id text,
    plan text,
    ip text,
    forwarded_for text,
    user_agent text,
    country text,
    idempotency_key text,
    request_hash text,
    quota_check_ms double precision,
    response_ms integer,
    status smallint,
    decision text NOT NULL CHECK (decision IN ('allowed', 'denied')),
    reason text,
    rule text,
    cost_usd numeric(14, 6),
    tokens integer,
    model text,
    fail_open boolean NOT NULL DEFAULT false,
    collision smallint NOT NULL DEFAULT 0, -- docs/enforcement.md §4 flags: 1 parameters, 2 late, 4 user agent
    would_deny text
) PARTITION BY RANGE (ts);
CREATE INDEX request_logs_ts ON quota.request_logs (ts);
CREATE INDEX request_logs_ip ON quota.request_logs (ip, ts);
CREATE INDEX request_logs_user ON quota.request_logs (user_id, ts);
CREATE INDEX request_logs_request_id ON quota.request_logs (request_id);

-- Upper bounds (ms) of the quota-check latency histogram in the minute rollup; the last
-- bucket is +Inf. Fixed: changing them would make old and new minutes incomparable.
CREATE FUNCTION quota.latency_bucket_bounds() RETURNS double precision[]
LANGUAGE sql IMMUTABLE AS $$
    SELECT ARRAY[1, 2.5, 5, 10, 25, 50, 100, 150, 250, 300, 500, 1000, 'Infinity']::double precision[]
$$;

-- The q-quantile (0 < q <= 1) of a histogram (counts per quota.latency_bucket_bounds(), not
-- cumulative), interpolated as Prometheus' histogram_quantile does: rank = q · total, the first
-- bucket whose cumulative count reaches it, linear within it (the first bucket starts at 0); a
-- rank in the +Inf bucket gives the last finite bound. NULL for an empty histogram.
CREATE FUNCTION quota.latency_quantile(p_buckets numeric[], p_q numeric) RETURNS double precision
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    v_bounds double precision[] := quota.latency_bucket_bounds();
    v_n integer := cardinality(p_buckets);
    v_total numeric := 0;
    v_rank numeric;
    v_before numeric := 0;
BEGIN
    FOR i IN 1..coalesce(v_n, 0) LOOP
        v_total := v_total + p_buckets[i];
    END LOOP;
    v_rank := p_q * v_total;
    IF NOT v_rank > 0 THEN
        RETURN NULL;
    END IF;
    FOR i IN 1..v_n LOOP
        IF v_before + p_buckets[i] >= v_rank THEN
            IF i = cardinality(v_bounds) THEN
                RETURN v_bounds[i - 1];
            END IF;
            RETURN coalesce(v_bounds[i - 1], 0) + (v_bounds[i] - coalesce(v_bounds[i - 1], 0))
                * ((v_rank - v_before) / nullif(p_buckets[i], 0))::float8;
        END IF;
        v_before := v_before + p_buckets[i];
    END LOOP;
    RETURN NULL;
END;
$$;

CREATE FUNCTION quota.array_add(a bigint[], b bigint[]) RETURNS bigint[]
LANGUAGE sql IMMUTABLE AS $$
    SELECT array_agg(coalesce(x, 0) + coalesce(y, 0) ORDER BY i)
    FROM unnest(a, b) WITH ORDINALITY AS t(x, y, i)
$$;

CREATE AGGREGATE quota.array_sum(bigint[]) (SFUNC = quota.array_add, STYPE = bigint[], INITCOND = '{}');

-- A histogram with one observation: 1 in the bucket of p_ms, 0 elsewhere (all 0 for NULL).
CREATE FUNCTION quota.latency_one_hot(p_ms double precision) RETURNS bigint[]
LANGUAGE sql IMMUTABLE AS $$
    SELECT array_agg(CASE WHEN p_ms IS NOT NULL AND p_ms <= b
                           AND (i = 1 OR p_ms > (quota.latency_bucket_bounds())[i - 1])
                          THEN 1 ELSE 0 END::bigint ORDER BY i)
    FROM unnest(quota.latency_bucket_bounds()) WITH ORDINALITY AS t(b, i)
$$;

-- Per minute · endpoint · plan · decision · reason ('' for an anonymous plan or no reason).
CREATE TABLE quota.rollup_minute (
    bucket timestamptz NOT NULL,
    endpoint text NOT NULL,
    plan text NOT NULL,
    decision text NOT NULL,
    reason text NOT NULL,
    requests bigint NOT NULL,
    latency_buckets bigint[] NOT NULL, -- counts per quota.latency_bucket_bounds(), not cumulative
    latency_count bigint NOT NULL,
    latency_sum_ms double precision NOT NULL,
    response_ms_sum bigint NOT NULL,
    cost_usd numeric(20, 6) NOT NULL,
    tokens bigint NOT NULL,
    collisions bigint NOT NULL,
    fail_open bigint NOT NULL,
    PRIMARY KEY (bucket, endpoint, plan, decision, reason)
);

-- Per hour · identifier (kind 'ip': the client address; kind 'user': the user id).
CREATE TABLE quota.rollup_identifier_hour (
    bucket timestamptz NOT NULL,
    kind text NOT NULL CHECK (kind IN ('ip', 'user')),
    identifier text NOT NULL,
    requests bigint NOT NULL,
    denials bigint NOT NULL,
    cost_usd numeric(20, 6) NOT NULL,
    PRIMARY KEY (bucket, kind, identifier)
);
-- An identifier's hours, with its values (index-only sums for quota.top_identifiers).
CREATE INDEX rollup_identifier_hour_identifier ON quota.rollup_identifier_hour (kind, identifier, bucket)
    INCLUDE (requests, denials, cost_usd);
-- The busiest identifiers of an hour first: quota.top_identifiers reads a few rows per hour.
CREATE INDEX rollup_identifier_hour_top ON quota.rollup_identifier_hour (kind, bucket, requests DESC)
    INCLUDE (identifier);

-- rollup_minute summed per hour (same key and values, kept on write with it): ranges of days
-- read 60 times fewer rows. A range that does not start or end on a whole hour takes its
-- partial hours from rollup_minute.
CREATE TABLE quota.rollup_hour (LIKE quota.rollup_minute INCLUDING ALL);

-- The whole hours [hours_from, hours_to) of [p_from, p_to) that quota.rollup_rows takes from
-- rollup_hour (empty, at p_to, when p_step is not a whole number of hours).
CREATE FUNCTION quota.rollup_hour_span(p_from timestamptz, p_to timestamptz, p_step interval)
RETURNS TABLE (hours_from timestamptz, hours_to timestamptz)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT h.f, greatest(h.f, CASE WHEN h.use THEN date_trunc('hour', p_to, 'UTC') ELSE p_to END)
    FROM (SELECT u.use,
                 CASE WHEN u.use
                      THEN least(date_trunc('hour', p_from - interval '1 microsecond', 'UTC')
                                 + interval '1 hour', p_to)
                      ELSE p_to END AS f
          FROM (SELECT p_step IS NULL OR (extract(epoch FROM p_step) > 0
                                          AND extract(epoch FROM p_step) % 3600 = 0) AS use) u) h;
END;

-- The rollup rows of [p_from, p_to) (p_from on a whole minute): rollup_hour rows for the whole
-- hours inside it and rollup_minute rows for the rest, unless a grouping step p_step is not a
-- whole number of hours (then minute rows only). Inlined into the calling query.
CREATE FUNCTION quota.rollup_rows(p_from timestamptz, p_to timestamptz, p_step interval DEFAULT NULL)
RETURNS SETOF quota.rollup_minute
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT m.* FROM quota.rollup_minute m, quota.rollup_hour_span(p_from, p_to, p_step) h
    WHERE m.bucket >= p_from AND m.bucket < h.hours_from
    UNION ALL
    SELECT r.* FROM quota.rollup_hour r, quota.rollup_hour_span(p_from, p_to, p_step) h
    WHERE r.bucket >= h.hours_from AND r.bucket < h.hours_to
    UNION ALL
    SELECT m.* FROM quota.rollup_minute m, quota.rollup_hour_span(p_from, p_to, p_step) h
    WHERE m.bucket >= h.hours_to AND m.bucket < p_to;
END;

-- Per minute, all requests together: what the KPIs, the cost figures and the time series of a
-- range need, one row per minute.
CREATE TABLE quota.rollup_minute_total (
    bucket timestamptz PRIMARY KEY,
    requests bigint NOT NULL,
    denied bigint NOT NULL,
    rate_limited bigint NOT NULL,
    latency_buckets bigint[] NOT NULL, -- as in rollup_minute
    latency_count bigint NOT NULL,
    latency_sum_ms double precision NOT NULL,
    cost_usd numeric(20, 6) NOT NULL,
    collisions bigint NOT NULL,
    fail_open bigint NOT NULL
);

-- Adds rows of rollup_minute's shape that were written to rollup_minute by a bulk load (the
-- backfill's staging table, a benchmark's day) to rollup_hour and rollup_minute_total, as
-- quota.log_requests adds its own rows to them. p_minutes is a table or view with the columns
-- of rollup_minute; rows are added to what the tiers hold. For the owner only.
CREATE FUNCTION quota.add_minutes_to_rollup_tiers(p_minutes regclass) RETURNS void
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
            latency_buckets = ARRAY[m.latency_buckets[1] + excluded.latency_buckets[1],
                                     m.latency_buckets[2] + excluded.latency_buckets[2],
                                     m.latency_buckets[3] + excluded.latency_buckets[3],
                                     m.latency_buckets[4] + excluded.latency_buckets[4],
                                     m.latency_buckets[5] + excluded.latency_buckets[5],
                                     m.latency_buckets[6] + excluded.latency_buckets[6],
                                     m.latency_buckets[7] + excluded.latency_buckets[7],
                                     m.latency_buckets[8] + excluded.latency_buckets[8],
                                     m.latency_buckets[9] + excluded.latency_buckets[9],
                                     m.latency_buckets[10] + excluded.latency_buckets[10],
                                     m.latency_buckets[11] + excluded.latency_buckets[11],
                                     m.latency_buckets[12] + excluded.latency_buckets[12],
                                     m.latency_buckets[13] + excluded.latency_buckets[13]],
            latency_count = m.latency_count + excluded.latency_count,
            latency_sum_ms = m.latency_sum_ms + excluded.latency_sum_ms,
            response_ms_sum = m.response_ms_sum + excluded.response_ms_sum,
            cost_usd = m.cost_usd + excluded.cost_usd,
            tokens = m.tokens + excluded.tokens,
            collisions = m.collisions + excluded.collisions,
            fail_open = m.fail_open + excluded.fail_open$q$, p_minutes);
    EXECUTE format($q$
        INSERT INTO quota.rollup_minute_total AS m
        SELECT bucket, sum(requests), coalesce(sum(requests) FILTER (WHERE decision = 'denied'), 0),
               coalesce(sum(requests) FILTER (WHERE reason = 'rate_limited'), 0),
               ARRAY[sum(latency_buckets[1]), sum(latency_buckets[2]), sum(latency_buckets[3]),
                 sum(latency_buckets[4]), sum(latency_buckets[5]), sum(latency_buckets[6]),
                 sum(latency_buckets[7]), sum(latency_buckets[8]), sum(latency_buckets[9]),
                 sum(latency_buckets[10]), sum(latency_buckets[11]), sum(latency_buckets[12]),
                 sum(latency_buckets[13])]::bigint[],
               sum(latency_count), sum(latency_sum_ms), sum(cost_usd), sum(collisions),
               sum(fail_open)
        FROM %s
        GROUP BY 1
        ORDER BY 1
        ON CONFLICT (bucket) DO UPDATE SET
            requests = m.requests + excluded.requests,
            denied = m.denied + excluded.denied,
            rate_limited = m.rate_limited + excluded.rate_limited,
            latency_buckets = ARRAY[m.latency_buckets[1] + excluded.latency_buckets[1],
                                     m.latency_buckets[2] + excluded.latency_buckets[2],
                                     m.latency_buckets[3] + excluded.latency_buckets[3],
                                     m.latency_buckets[4] + excluded.latency_buckets[4],
                                     m.latency_buckets[5] + excluded.latency_buckets[5],
                                     m.latency_buckets[6] + excluded.latency_buckets[6],
                                     m.latency_buckets[7] + excluded.latency_buckets[7],
                                     m.latency_buckets[8] + excluded.latency_buckets[8],
                                     m.latency_buckets[9] + excluded.latency_buckets[9],
                                     m.latency_buckets[10] + excluded.latency_buckets[10],
                                     m.latency_buckets[11] + excluded.latency_buckets[11],
                                     m.latency_buckets[12] + excluded.latency_buckets[12],
                                     m.latency_buckets[13] + excluded.latency_buckets[13]],
            latency_count = m.latency_count + excluded.latency_count,
            latency_sum_ms = m.latency_sum_ms + excluded.latency_sum_ms,
            cost_usd = m.cost_usd + excluded.cost_usd,
            collisions = m.collisions + excluded.collisions,
            fail_open = m.fail_open + excluded.fail_open$q$, p_minutes);
END;
$fn$;

CREATE FUNCTION quota.request_log_partition_name(p_day date) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT 'request_logs_p' || to_char(p_day, 'YYYYMMDD')
$$;

-- Creates the partition of one UTC day if it is missing; returns its name.
CREATE FUNCTION quota.ensure_request_log_partition(p_day date) RETURNS text
LANGUAGE plpgsql SET search_path = quota, pg_temp AS $$
DECLARE
    v_name text := quota.request_log_partition_name(p_day);
    v_from timestamptz := p_day::timestamp AT TIME ZONE 'UTC';
BEGIN
    IF to_regclass('quota.' || v_name) IS NULL THEN
        -- Serialize creators of the same day; the loser finds the table made.
        PERFORM pg_advisory_xact_lock(hashtext('quota.request_logs'), (p_day - date '2000-01-01'));
        -- The winner may have committed while this session's catalog cache still says the
        -- table is missing (an advisory lock does not refresh it), hence the handler.
        BEGIN
            EXECUTE format('CREATE TABLE quota.%I PARTITION OF quota.request_logs '
                           'FOR VALUES FROM (%L) TO (%L)', v_name, v_from, v_from + interval '1 day');
        EXCEPTION WHEN duplicate_table THEN
            NULL;
        END;
    END IF;
    RETURN v_name;
END;
$$;

-- Logs a batch of requests (a JSON array of objects named like the request_logs columns, ts as
-- RFC 3339 text) and updates both rollups in the same statement. Returns the number logged.
CREATE FUNCTION quota.log_requests(p_rows jsonb) RETURNS integer
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
    -- order, and in one order: identifier rows, minute rows, hour rows, minute totals (each CTE
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
    ), ident AS (
        INSERT INTO quota.rollup_identifier_hour AS h
        SELECT date_trunc('hour', x.ts, 'UTC'), x.kind, x.identifier, count(*),
               count(*) FILTER (WHERE x.decision = 'denied'), coalesce(sum(x.cost_usd), 0)
        FROM (SELECT ts, 'ip' AS kind, ip AS identifier, decision, cost_usd FROM ins
              WHERE coalesce(ip, '') <> ''
              UNION ALL
              SELECT ts, 'user', user_id, decision, cost_usd FROM ins
              WHERE coalesce(user_id, '') <> '') AS x
        GROUP BY 1, 2, 3
        ORDER BY 1, 2, 3
        ON CONFLICT (bucket, kind, identifier) DO UPDATE SET
            requests = h.requests + excluded.requests,
            denials = h.denials + excluded.denials,
            cost_usd = h.cost_usd + excluded.cost_usd
        RETURNING 1
    ), minute AS (
        INSERT INTO quota.rollup_minute AS m
        SELECT * FROM g WHERE (SELECT count(*) FROM ident) >= 0
        ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (bucket, endpoint, plan, decision, reason) DO UPDATE SET
            requests = m.requests + excluded.requests,
            latency_buckets = ARRAY[m.latency_buckets[1] + excluded.latency_buckets[1],
                                    m.latency_buckets[2] + excluded.latency_buckets[2],
                                    m.latency_buckets[3] + excluded.latency_buckets[3],
                                    m.latency_buckets[4] + excluded.latency_buckets[4],
                                    m.latency_buckets[5] + excluded.latency_buckets[5],
                                    m.latency_buckets[6] + excluded.latency_buckets[6],
                                    m.latency_buckets[7] + excluded.latency_buckets[7],
                                    m.latency_buckets[8] + excluded.latency_buckets[8],
                                    m.latency_buckets[9] + excluded.latency_buckets[9],
                                    m.latency_buckets[10] + excluded.latency_buckets[10],
                                    m.latency_buckets[11] + excluded.latency_buckets[11],
                                    m.latency_buckets[12] + excluded.latency_buckets[12],
                                    m.latency_buckets[13] + excluded.latency_buckets[13]],
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
            latency_buckets = ARRAY[m.latency_buckets[1] + excluded.latency_buckets[1],
                                    m.latency_buckets[2] + excluded.latency_buckets[2],
                                    m.latency_buckets[3] + excluded.latency_buckets[3],
                                    m.latency_buckets[4] + excluded.latency_buckets[4],
                                    m.latency_buckets[5] + excluded.latency_buckets[5],
                                    m.latency_buckets[6] + excluded.latency_buckets[6],
                                    m.latency_buckets[7] + excluded.latency_buckets[7],
                                    m.latency_buckets[8] + excluded.latency_buckets[8],
                                    m.latency_buckets[9] + excluded.latency_buckets[9],
                                    m.latency_buckets[10] + excluded.latency_buckets[10],
                                    m.latency_buckets[11] + excluded.latency_buckets[11],
                                    m.latency_buckets[12] + excluded.latency_buckets[12],
                                    m.latency_buckets[13] + excluded.latency_buckets[13]],
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
            latency_buckets = ARRAY[m.latency_buckets[1] + excluded.latency_buckets[1],
                                    m.latency_buckets[2] + excluded.latency_buckets[2],
                                    m.latency_buckets[3] + excluded.latency_buckets[3],
                                    m.latency_buckets[4] + excluded.latency_buckets[4],
                                    m.latency_buckets[5] + excluded.latency_buckets[5],
                                    m.latency_buckets[6] + excluded.latency_buckets[6],
                                    m.latency_buckets[7] + excluded.latency_buckets[7],
                                    m.latency_buckets[8] + excluded.latency_buckets[8],
                                    m.latency_buckets[9] + excluded.latency_buckets[9],
                                    m.latency_buckets[10] + excluded.latency_buckets[10],
                                    m.latency_buckets[11] + excluded.latency_buckets[11],
                                    m.latency_buckets[12] + excluded.latency_buckets[12],
                                    m.latency_buckets[13] + excluded.latency_buckets[13]],
            latency_count = m.latency_count + excluded.latency_count,
            latency_sum_ms = m.latency_sum_ms + excluded.latency_sum_ms,
            cost_usd = m.cost_usd + excluded.cost_usd,
            collisions = m.collisions + excluded.collisions,
            fail_open = m.fail_open + excluded.fail_open
        RETURNING 1
    )
    SELECT (SELECT count(*) FROM ins) INTO v_count;
    RETURN v_count;
END;
$$;

-- The p_limit identifiers of p_kind ('ip' or 'user') with the most requests in the hours
-- [date_trunc('hour', p_from), p_to) (the hour p_to falls in counts whole: p_to is now), ties by
-- identifier, exactly, from rollup_identifier_hour
-- without summing every identifier of the range (a threshold algorithm): the `depth` busiest
-- identifiers of every hour are read; an identifier's listed counts are a lower bound of its
-- total, and in an hour where it is not listed it has at most that hour's next count in line
-- (the hour's bound), which gives an upper bound. Only identifiers whose upper bound reaches the
-- p_limit-th lower bound are summed exactly; once the p_limit-th exact total is above the sum
-- of all hours' bounds (what an identifier listed nowhere can have), the list is final, else
-- the depth grows. Where counts are flat (long lists, many ties) shallow lists leave most
-- identifiers as candidates; summing a candidate reads up to one row per hour, a deeper list
-- one row per hour per rank, so the depth grows first while there are more than 4 candidates
-- per rank read.
CREATE FUNCTION quota.top_identifiers(p_kind text, p_from timestamptz, p_to timestamptz,
                                      p_limit integer)
RETURNS TABLE (identifier text, requests bigint, denials bigint, denial_pct numeric,
               cost_usd numeric)
LANGUAGE plpgsql STABLE SET search_path = quota, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_first timestamptz := date_trunc('hour', p_from, 'UTC');
    v_depth integer := greatest(p_limit, 1) + 10;
    v_candidates text[];
    v_unlisted bigint; -- the most an identifier listed in no hour can have
    v_last bigint;
    v_found integer;
BEGIN
    IF p_limit IS NULL OR p_limit < 1 OR p_from IS NULL OR p_to IS NULL THEN
        RETURN;
    END IF;
    LOOP
        WITH lists AS (
            SELECT b.bucket, x.identifier, x.requests, x.n
            FROM generate_series(v_first, p_to - interval '1 microsecond', interval '1 hour')
                AS b(bucket)
            CROSS JOIN LATERAL (
                SELECT t.identifier, t.requests, row_number() OVER (ORDER BY t.requests DESC) AS n
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

        SELECT count(*), min(c.total) INTO v_found, v_last
        FROM (SELECT sum(r.requests) AS total FROM quota.rollup_identifier_hour r
              WHERE r.kind = p_kind AND r.identifier = ANY (v_candidates)
                AND r.bucket >= v_first AND r.bucket < p_to
              GROUP BY r.identifier ORDER BY 1 DESC LIMIT p_limit) c;
        EXIT WHEN v_unlisted = 0 OR (v_found >= p_limit AND v_last > v_unlisted);
        v_depth := v_depth * 4;
    END LOOP;
    RETURN QUERY
    SELECT r.identifier, sum(r.requests)::bigint, sum(r.denials)::bigint,
           round(100.0 * sum(r.denials) / sum(r.requests), 2), sum(r.cost_usd)
    FROM quota.rollup_identifier_hour r
    WHERE r.kind = p_kind AND r.identifier = ANY (v_candidates)
      AND r.bucket >= v_first AND r.bucket < p_to
    GROUP BY r.identifier
    ORDER BY 2 DESC, 1
    LIMIT p_limit;
END;
$$;

CREATE FUNCTION quota.log_request(p_row jsonb) RETURNS integer
LANGUAGE sql SET search_path = quota, pg_temp AS $$
    SELECT quota.log_requests(jsonb_build_array(p_row))
$$;

-- Retention: drops the day partitions that end on or before p_before (UTC). Rollups stay.
-- Returns the names of the dropped partitions.
CREATE FUNCTION quota.drop_request_logs_before(p_before date) RETURNS SETOF text
LANGUAGE plpgsql SET search_path = quota, pg_temp AS $$
DECLARE
    v_name text;
BEGIN
    FOR v_name IN
        SELECT c.relname
        FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'quota.request_logs'::regclass
          AND c.relname ~ '^request_logs_p[0-9]{8}$'
          AND to_date(substr(c.relname, 15), 'YYYYMMDD') < p_before
        ORDER BY c.relname
    LOOP
        EXECUTE format('DROP TABLE quota.%I', v_name);
        RETURN NEXT v_name;
    END LOOP;
END;
$$;
