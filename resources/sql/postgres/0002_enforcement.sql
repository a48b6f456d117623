-- Live enforcement: quota.quota_check (one call per request, before it is handled) and
-- quota.quota_complete (one call after it), implementing docs/enforcement.md §1-§8 exactly.
-- Design notes and the concurrency argument: docs/live-enforcement.md.
--
-- The active policy JSON is compiled once per policy version into the enf_* tables (durations
-- in ms, money in micro-dollars, globs as LIKE patterns); the decision functions read only
-- those. All arithmetic is bigint integer arithmetic, as in the C++ core.

-- ---------------------------------------------------------------------------------------------
-- Compiled policy
-- ---------------------------------------------------------------------------------------------

CREATE TABLE quota.enf_settings (
    version_id bigint PRIMARY KEY,
    compiled_at timestamptz NOT NULL DEFAULT now(),
    fail_mode text NOT NULL,
    trusted_proxies inet[] NOT NULL,
    skip_likes text[] NOT NULL,
    default_plan text NOT NULL,
    plan_names text[] NOT NULL,
    billing_cycle_ms bigint NOT NULL, -- 0 = calendar month UTC
    downgrade_grace_ms bigint NOT NULL,
    idempotency_ttl_ms bigint NOT NULL,
    on_conflict text NOT NULL CHECK (on_conflict IN ('reject', 'process')),
    gb_hour_micro bigint NOT NULL,
    default_memory_mb bigint NOT NULL
);

CREATE TABLE quota.enf_rules (
    version_id bigint NOT NULL REFERENCES quota.enf_settings ON DELETE CASCADE,
    ord int NOT NULL,
    id text NOT NULL,
    scope text NOT NULL CHECK (scope IN ('ip', 'user', 'user_endpoint', 'ip_endpoint', 'global')),
    algorithm text NOT NULL
        CHECK (algorithm IN ('fixed_window', 'sliding_window', 'token_bucket')),
    window_ms bigint NOT NULL DEFAULT 0,
    lim bigint NOT NULL DEFAULT 0,
    t_us bigint NOT NULL DEFAULT 0, -- token bucket emission interval
    tau_us bigint NOT NULL DEFAULT 0,
    burst bigint NOT NULL DEFAULT 0,
    endpoint_likes text[] NOT NULL DEFAULT '{}', -- empty = every endpoint
    methods text[] NOT NULL DEFAULT '{}', -- upper case; empty = every method
    plans text[] NOT NULL DEFAULT '{}', -- empty = every request, anonymous included
    shadow boolean NOT NULL DEFAULT false,
    -- Counter state written under another shape (algorithm or window changed by a rollout)
    -- means something else, so it is read as absent.
    shape text NOT NULL,
    PRIMARY KEY (version_id, ord)
);

CREATE TABLE quota.enf_plans (
    version_id bigint NOT NULL REFERENCES quota.enf_settings ON DELETE CASCADE,
    ord int NOT NULL,
    name text NOT NULL,
    rank int NOT NULL,
    paid boolean NOT NULL,
    PRIMARY KEY (version_id, name)
);

CREATE TABLE quota.enf_plan_quotas (
    version_id bigint NOT NULL REFERENCES quota.enf_settings ON DELETE CASCADE,
    plan text NOT NULL,
    metric text NOT NULL,
    lim bigint NOT NULL, -- -1 = unlimited
    PRIMARY KEY (version_id, plan, metric)
);

CREATE TABLE quota.enf_endpoint_metrics (
    version_id bigint NOT NULL REFERENCES quota.enf_settings ON DELETE CASCADE,
    ord int NOT NULL,
    endpoint_likes text[] NOT NULL,
    metric text NOT NULL,
    PRIMARY KEY (version_id, ord)
);

CREATE TABLE quota.enf_abuse_patterns (
    version_id bigint NOT NULL REFERENCES quota.enf_settings ON DELETE CASCADE,
    ord int NOT NULL,
    id text NOT NULL,
    name text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('rate', 'cost', 'user_agent', 'country')),
    scope text NOT NULL CHECK (scope IN ('ip', 'user')),
    window_ms bigint NOT NULL DEFAULT 0,
    threshold bigint NOT NULL DEFAULT 0,
    threshold_micro bigint NOT NULL DEFAULT 0,
    endpoint_likes text[] NOT NULL DEFAULT '{}',
    user_agent_contains text[] NOT NULL DEFAULT '{}', -- lower case
    countries text[] NOT NULL DEFAULT '{}', -- upper case
    severity text NOT NULL,
    action text NOT NULL CHECK (action IN ('log', 'alert', 'block', 'escalate')),
    block_for_ms bigint NOT NULL,
    rearm_ms bigint NOT NULL,
    PRIMARY KEY (version_id, ord)
);

CREATE TABLE quota.enf_cost_endpoints (
    version_id bigint NOT NULL REFERENCES quota.enf_settings ON DELETE CASCADE,
    ord int NOT NULL,
    endpoint_likes text[] NOT NULL,
    base_micro bigint NOT NULL,
    memory_mb bigint NOT NULL,
    PRIMARY KEY (version_id, ord)
);

-- The rules and patterns of a version as arrays in its settings row, so that a decision reads
-- the whole compiled policy with one index lookup.
-- rule_lock_order / pattern_lock_order: positions in those arrays sorted by id, the order in
-- which a call locks its rows (see docs/live-enforcement.md), so no call has to sort.
ALTER TABLE quota.enf_settings ADD COLUMN rules quota.enf_rules[] NOT NULL DEFAULT '{}',
    ADD COLUMN patterns quota.enf_abuse_patterns[] NOT NULL DEFAULT '{}',
    ADD COLUMN rule_lock_order int[] NOT NULL DEFAULT '{}',
    ADD COLUMN pattern_lock_order int[] NOT NULL DEFAULT '{}';

CREATE TABLE quota.enf_cost_models (
    version_id bigint NOT NULL REFERENCES quota.enf_settings ON DELETE CASCADE,
    model text NOT NULL,
    per_1k_micro bigint NOT NULL,
    PRIMARY KEY (version_id, model)
);

-- ---------------------------------------------------------------------------------------------
-- Live state
-- ---------------------------------------------------------------------------------------------

-- One row per rule · identifier (· endpoint for the *_endpoint scopes). Fixed windows use
-- (win_index, curr_count), sliding windows (win_index, prev_count, curr_count), token buckets
-- tat_us. expires_ms: from then on the row is equivalent to an absent one (housekeeping).
CREATE TABLE quota.rate_counters (
    rule_id text NOT NULL,
    identifier text NOT NULL,
    endpoint text NOT NULL DEFAULT '',
    shape text NOT NULL DEFAULT '',
    win_index bigint NOT NULL DEFAULT -1,
    prev_count bigint NOT NULL DEFAULT 0,
    curr_count bigint NOT NULL DEFAULT 0,
    tat_us bigint NOT NULL DEFAULT 0,
    updated_ms bigint NOT NULL DEFAULT 0,
    expires_ms bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (rule_id, identifier, endpoint)
) WITH (fillfactor = 70); -- room for HOT updates: no indexed column ever changes

-- Plan quota usage per user · metric · billing cycle. Never reset by a plan change.
CREATE TABLE quota.quota_usage (
    user_id text NOT NULL,
    metric text NOT NULL,
    cycle_start timestamptz NOT NULL,
    used bigint NOT NULL DEFAULT 0,
    updated_at timestamptz,
    PRIMARY KEY (user_id, metric, cycle_start)
) WITH (fillfactor = 70);

-- The idempotency ledger (docs/enforcement.md §4): only admitted requests create entries.
CREATE TABLE quota.idempotency_ledger (
    scope text NOT NULL, -- user:<id> or ip:<client key>
    key text NOT NULL,
    request_hash text NOT NULL,
    user_agent text NOT NULL,
    request_id text,
    endpoint text,
    first_seen_ms bigint NOT NULL,
    first_seen timestamptz NOT NULL,
    allowed boolean NOT NULL,
    status int NOT NULL,
    rule text,
    lim bigint NOT NULL,
    remaining bigint NOT NULL,
    reset_at bigint NOT NULL,
    collision_count int NOT NULL DEFAULT 0,
    last_collision_at timestamptz,
    PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_ledger_first_seen ON quota.idempotency_ledger (first_seen_ms);

-- Every collision, classified, for the console's investigation views.
CREATE TABLE quota.idempotency_collisions (
    id bigserial PRIMARY KEY,
    ts timestamptz NOT NULL,
    scope text NOT NULL,
    key text NOT NULL,
    request_id text,
    first_request_id text,
    flags int NOT NULL,
    kind text NOT NULL CHECK (kind IN ('parameters', 'late', 'user_agent')),
    different_parameters boolean NOT NULL,
    late boolean NOT NULL,
    different_user_agent boolean NOT NULL,
    on_conflict text NOT NULL,
    user_id text,
    client_key text,
    endpoint text,
    method text,
    stored_request_hash text,
    request_hash text,
    stored_user_agent text,
    user_agent text,
    first_seen timestamptz NOT NULL,
    ms_since_first bigint NOT NULL,
    metadata jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX idempotency_collisions_ts ON quota.idempotency_collisions (ts);
CREATE INDEX idempotency_collisions_scope ON quota.idempotency_collisions (scope, key);

-- Requests inside the trailing windows of rate and cost abuse patterns.
CREATE TABLE quota.abuse_events (
    pattern_id text NOT NULL,
    identifier text NOT NULL,
    ts_ms bigint NOT NULL,
    cost_micro bigint NOT NULL DEFAULT 0
);
CREATE INDEX abuse_events_window ON quota.abuse_events (pattern_id, identifier, ts_ms);

-- Armed state of a pattern per identifier; no row = armed.
CREATE TABLE quota.abuse_state (
    pattern_id text NOT NULL,
    identifier text NOT NULL,
    armed boolean NOT NULL DEFAULT true,
    last_incident_ms bigint,
    PRIMARY KEY (pattern_id, identifier)
) WITH (fillfactor = 70);

CREATE TYPE quota.check_result AS (
    allowed boolean,
    status int,
    reason text,
    rule text,
    "limit" bigint,
    remaining bigint,
    reset_at bigint,
    retry_after_s bigint,
    would_deny text,
    collision text,
    collision_flags int
);

-- ---------------------------------------------------------------------------------------------
-- Helpers (pure)
-- ---------------------------------------------------------------------------------------------

CREATE FUNCTION quota.enf_ms(p_ts timestamptz) RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN floor(extract(epoch FROM p_ts) * 1000)::bigint;

CREATE FUNCTION quota.enf_tstz(p_ms bigint) RETURNS timestamptz
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN timestamptz 'epoch' + p_ms * interval '1 millisecond';

-- ASCII-only case mapping: the C++ core folds ASCII only, whatever the database locale.
CREATE FUNCTION quota.enf_upper(p text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN translate(p, 'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ');

CREATE FUNCTION quota.enf_lower(p text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN translate(p, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz');

-- Glob (`*` any run, `?` one character, the rest literal) to a LIKE pattern with `\` escapes.
CREATE FUNCTION quota.enf_glob_like(p_glob text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN translate(replace(replace(replace(p_glob, '\', '\\'), '%', '\%'), '_', '\_'), '*?', '%_');

-- Strict dotted quad of docs/enforcement.md §2 as a 32-bit value; NULL when not one.
CREATE FUNCTION quota.enf_parse_v4(p text) RETURNS bigint
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    v_parts text[];
    v_value bigint := 0;
    v_part int;
BEGIN
    IF p !~ '^(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})$'
    THEN
        RETURN NULL;
    END IF;
    v_parts := string_to_array(p, '.');
    FOR i IN 1..4 LOOP
        v_part := v_parts[i]::int;
        IF v_part > 255 THEN
            RETURN NULL;
        END IF;
        v_value := v_value * 256 + v_part;
    END LOOP;
    RETURN v_value;
END $$;

-- An address in the forms of docs/enforcement.md §2, or NULL. PostgreSQL's inet input is more
-- lenient (leading zeros, "10/8", short forms), so the text is validated first. IPv4-mapped
-- IPv6 addresses come back as IPv4, as in the C++ core.
CREATE FUNCTION quota.enf_parse_ip(p text) RETURNS inet
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    v_text text := p;
    v_v4 bigint;
    v_tail text;
    v_halves text[];
    v_groups text[];
    v_count int := 0;
    v_address inet;
BEGIN
    IF position(':' IN v_text) = 0 THEN
        v_v4 := quota.enf_parse_v4(v_text);
        IF v_v4 IS NULL THEN
            RETURN NULL;
        END IF;
        RETURN inet '0.0.0.0' + v_v4;
    END IF;
    IF v_text !~ '^[0-9A-Fa-f:.]+$' OR position(':::' IN v_text) > 0 THEN
        RETURN NULL;
    END IF;
    IF position('.' IN v_text) > 0 THEN
        -- Only the last group may be a dotted quad; it stands for two groups.
        v_tail := substring(v_text FROM '[^:]*$');
        v_v4 := quota.enf_parse_v4(v_tail);
        IF v_v4 IS NULL THEN
            RETURN NULL;
        END IF;
        v_text := left(v_text, length(v_text) - length(v_tail))
            || to_hex(v_v4 >> 16) || ':' || to_hex(v_v4 & 65535);
    END IF;
    v_halves := string_to_array(v_text, '::');
    IF cardinality(v_halves) > 2 THEN
        RETURN NULL;
    END IF;
    FOR h IN 1..cardinality(v_halves) LOOP
        IF v_halves[h] = '' THEN
            IF cardinality(v_halves) = 1 THEN
                RETURN NULL;
            END IF;
            CONTINUE;
        END IF;
        v_groups := string_to_array(v_halves[h], ':');
        FOR g IN 1..cardinality(v_groups) LOOP
            IF v_groups[g] !~ '^[0-9A-Fa-f]{1,4}$' THEN
                RETURN NULL;
            END IF;
        END LOOP;
        v_count := v_count + cardinality(v_groups);
    END LOOP;
    IF (cardinality(v_halves) = 1 AND v_count <> 8) OR (cardinality(v_halves) = 2 AND v_count > 7)
    THEN
        RETURN NULL;
    END IF;
    v_address := v_text::inet;
    IF v_address << inet '::ffff:0:0/96' THEN
        RETURN inet '0.0.0.0' + (v_address - inet '::ffff:0:0');
    END IF;
    RETURN v_address;
END $$;

-- The client key of docs/enforcement.md §2: IPv4 address, or the IPv6 /64 in RFC 5952 form.
CREATE FUNCTION quota.enf_client_key(p inet) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE WHEN family(p) = 4 THEN host(p) ELSE host(network(set_masklen(p, 64))) || '/64' END;

-- A trusted-proxy or block CIDR in the forms of §2 with an optional prefix. Networks inside
-- ::ffff:0:0/96 are rewritten as IPv4 networks, and networks containing it gain 0.0.0.0/0,
-- because addresses are compared with IPv4-mapped addresses already turned into IPv4.
CREATE FUNCTION quota.enf_parse_cidr(p text) RETURNS inet[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    v_slash int := position('/' IN p);
    v_address_text text := CASE WHEN v_slash > 0 THEN left(p, v_slash - 1) ELSE p END;
    v_prefix_text text := CASE WHEN v_slash > 0 THEN substr(p, v_slash + 1) END;
    v_v6_text boolean := position(':' IN v_address_text) > 0;
    v_address inet := quota.enf_parse_ip(v_address_text);
    v_prefix int;
    v_max int := CASE WHEN v_v6_text THEN 128 ELSE 32 END;
    v_raw inet;
BEGIN
    IF v_address IS NULL OR (v_prefix_text IS NOT NULL AND v_prefix_text !~ '^(0|[1-9][0-9]{0,2})$')
    THEN
        RETURN NULL;
    END IF;
    v_prefix := coalesce(v_prefix_text::int, v_max);
    IF v_prefix > v_max THEN
        RETURN NULL;
    END IF;
    IF NOT v_v6_text THEN
        RETURN ARRAY[network(set_masklen(v_address, v_prefix))::inet];
    END IF;
    v_raw := network(set_masklen(v_address_text::inet, v_prefix));
    IF v_prefix >= 96 AND family(v_address) = 4 THEN
        RETURN ARRAY[network(set_masklen(v_address, v_prefix - 96))::inet];
    END IF;
    IF v_prefix <= 96 AND inet '::ffff:0:0' << v_raw THEN
        RETURN ARRAY[v_raw, inet '0.0.0.0/0'];
    END IF;
    RETURN ARRAY[v_raw];
END $$;

-- Client address of docs/enforcement.md §2: the right-most address of forwarded_for + ip that is
-- not a trusted proxy. NULL = 400 invalid_identifier.
CREATE FUNCTION quota.enf_client_address(p_ip text, p_forwarded_for text, p_trusted inet[])
RETURNS inet
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    v_chain text[] := '{}';
    v_address inet;
    v_rightmost inet;
BEGIN
    IF coalesce(p_forwarded_for, '') <> '' THEN
        v_chain := string_to_array(p_forwarded_for, ',');
    END IF;
    IF coalesce(p_ip, '') <> '' THEN
        v_chain := v_chain || p_ip;
    END IF;
    FOR i IN REVERSE cardinality(v_chain)..1 LOOP
        -- Forwarded-for entries are trimmed; the socket address is taken as given.
        v_address := quota.enf_parse_ip(CASE WHEN i = cardinality(v_chain) AND coalesce(p_ip, '') <> ''
                                             THEN v_chain[i] ELSE btrim(v_chain[i], E' \t') END);
        IF v_address IS NULL THEN
            RETURN NULL;
        END IF;
        IF v_rightmost IS NULL THEN
            v_rightmost := v_address;
        END IF;
        IF cardinality(p_trusted) = 0 OR NOT v_address <<= ANY (p_trusted) THEN
            RETURN v_address;
        END IF;
    END LOOP;
    RETURN v_rightmost;
END $$;

CREATE FUNCTION quota.enf_duration_ms(p jsonb, p_default bigint, p_path text) RETURNS bigint
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    v_match text[];
BEGIN
    IF p IS NULL OR jsonb_typeof(p) = 'null' THEN
        RETURN p_default;
    END IF;
    IF jsonb_typeof(p) = 'number' THEN
        RETURN (p #>> '{}')::bigint;
    END IF;
    v_match := regexp_match(p #>> '{}', '^([0-9]+)(ms|s|m|h|d)$');
    IF v_match IS NULL THEN
        RAISE EXCEPTION 'policy %: % is not a duration; use e.g. 90s, 5m, 2h, 1d', p_path, p;
    END IF;
    RETURN v_match[1]::bigint * CASE v_match[2]
        WHEN 'ms' THEN 1 WHEN 's' THEN 1000 WHEN 'm' THEN 60000 WHEN 'h' THEN 3600000
        ELSE 86400000 END;
END $$;

-- Dollars as a JSON number to micro-dollars, rounded half away from zero (numeric round).
CREATE FUNCTION quota.enf_micro(p jsonb, p_default bigint) RETURNS bigint
LANGUAGE sql IMMUTABLE
RETURN CASE WHEN p IS NULL OR jsonb_typeof(p) = 'null' THEN p_default
            ELSE round((p #>> '{}')::numeric * 1000000)::bigint END;

CREATE FUNCTION quota.enf_likes(p jsonb) RETURNS text[]
LANGUAGE sql IMMUTABLE
RETURN coalesce((SELECT array_agg(quota.enf_glob_like(g) ORDER BY o)
                 FROM jsonb_array_elements_text(coalesce(p, '[]')) WITH ORDINALITY AS a(g, o)),
                '{}');

CREATE FUNCTION quota.enf_texts(p jsonb) RETURNS text[]
LANGUAGE sql IMMUTABLE
RETURN coalesce((SELECT array_agg(g ORDER BY o)
                 FROM jsonb_array_elements_text(coalesce(p, '[]')) WITH ORDINALITY AS a(g, o)),
                '{}');

-- ---------------------------------------------------------------------------------------------
-- Compilation of a policy version (docs/policy.md defaults filled in)
-- ---------------------------------------------------------------------------------------------

CREATE FUNCTION quota.enf_compile(p_version bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = quota, pg_temp AS $$
DECLARE
    v_policy jsonb;
    v_default_plan text;
    v_trusted inet[] := '{}';
    v_cidr inet[];
    v_item jsonb;
    v_ord int;
    v_algorithm text;
    v_window bigint;
    v_t bigint;
    v_action text;
    v_kind text;
    v_block_for bigint;
BEGIN
    SELECT policy INTO v_policy FROM quota.policy_versions WHERE id = p_version;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'policy version % does not exist', p_version;
    END IF;
    DELETE FROM quota.enf_settings WHERE version_id = p_version;

    FOR v_item, v_ord IN
        SELECT e, o FROM jsonb_array_elements(coalesce(v_policy -> 'trusted_proxies', '[]'))
            WITH ORDINALITY AS a(e, o)
    LOOP
        v_cidr := quota.enf_parse_cidr(v_item #>> '{}');
        IF v_cidr IS NULL THEN
            RAISE EXCEPTION 'policy.trusted_proxies[%]: % is not a CIDR; use e.g. 10.0.0.0/8',
                v_ord - 1, v_item;
        END IF;
        v_trusted := v_trusted || v_cidr;
    END LOOP;

    IF jsonb_array_length(coalesce(v_policy -> 'plans', '[]')) = 0 THEN
        RAISE EXCEPTION 'policy.plans: at least one plan is required (policy version %)', p_version;
    END IF;
    v_default_plan := coalesce(v_policy ->> 'default_plan', v_policy -> 'plans' -> 0 ->> 'name');

    INSERT INTO quota.enf_settings (version_id, fail_mode, trusted_proxies, skip_likes,
        default_plan, plan_names, billing_cycle_ms, downgrade_grace_ms, idempotency_ttl_ms,
        on_conflict, gb_hour_micro, default_memory_mb)
    VALUES (p_version,
        coalesce(v_policy ->> 'fail_mode', 'open'),
        v_trusted,
        CASE WHEN v_policy ? 'skip_endpoints' THEN quota.enf_likes(v_policy -> 'skip_endpoints')
             ELSE ARRAY['/health', '/metrics'] END,
        v_default_plan,
        (SELECT array_agg(e ->> 'name' ORDER BY o)
         FROM jsonb_array_elements(v_policy -> 'plans') WITH ORDINALITY AS a(e, o)),
        CASE WHEN coalesce(v_policy ->> 'billing_cycle', 'calendar_month') = 'calendar_month' THEN 0
             ELSE quota.enf_duration_ms(v_policy -> 'billing_cycle', 0, 'policy.billing_cycle') END,
        quota.enf_duration_ms(v_policy -> 'downgrade_grace', 7 * 86400000, 'policy.downgrade_grace'),
        quota.enf_duration_ms(v_policy -> 'idempotency' -> 'ttl', 86400000, 'policy.idempotency.ttl'),
        coalesce(v_policy -> 'idempotency' ->> 'on_conflict', 'reject'),
        quota.enf_micro(v_policy -> 'cost' -> 'gb_hour_usd', 180000),
        coalesce((v_policy -> 'cost' ->> 'default_memory_mb')::bigint, 2048));

    FOR v_item, v_ord IN
        SELECT e, o::int FROM jsonb_array_elements(coalesce(v_policy -> 'rules', '[]'))
            WITH ORDINALITY AS a(e, o)
    LOOP
        v_algorithm := coalesce(v_item ->> 'algorithm', 'fixed_window');
        v_window := quota.enf_duration_ms(v_item -> 'window', 0,
            format('policy.rules[%s].window', v_ord - 1));
        v_t := 0;
        IF v_algorithm = 'token_bucket' THEN
            v_t := quota.enf_duration_ms(v_item -> 'period', 0,
                format('policy.rules[%s].period', v_ord - 1)) * 1000 / (v_item ->> 'rate')::bigint;
        END IF;
        INSERT INTO quota.enf_rules (version_id, ord, id, scope, algorithm, window_ms, lim, t_us,
            tau_us, burst, endpoint_likes, methods, plans, shadow, shape)
        VALUES (p_version, v_ord, v_item ->> 'id', coalesce(v_item ->> 'scope', 'ip'), v_algorithm,
            v_window, coalesce((v_item ->> 'limit')::bigint, 0), v_t,
            v_t * (coalesce((v_item ->> 'burst')::bigint, 1) - 1),
            coalesce((v_item ->> 'burst')::bigint, 0),
            quota.enf_likes(v_item -> 'match' -> 'endpoints'),
            (SELECT coalesce(array_agg(quota.enf_upper(m)), '{}')
             FROM unnest(quota.enf_texts(v_item -> 'match' -> 'methods')) AS m),
            quota.enf_texts(v_item -> 'match' -> 'plans'),
            coalesce(v_item ->> 'mode', 'enforce') = 'shadow',
            CASE WHEN v_algorithm = 'token_bucket' THEN 'token_bucket'
                 ELSE v_algorithm || ':' || v_window END);
    END LOOP;

    FOR v_item, v_ord IN
        SELECT e, o::int FROM jsonb_array_elements(v_policy -> 'plans') WITH ORDINALITY AS a(e, o)
    LOOP
        INSERT INTO quota.enf_plans (version_id, ord, name, rank, paid)
        VALUES (p_version, v_ord, v_item ->> 'name',
            coalesce((v_item ->> 'rank')::int, v_ord - 1),
            coalesce((v_item ->> 'paid')::boolean, coalesce((v_item ->> 'rank')::int, v_ord - 1) > 0));
        INSERT INTO quota.enf_plan_quotas (version_id, plan, metric, lim)
        SELECT p_version, v_item ->> 'name', q.key, (q.value #>> '{}')::bigint
        FROM jsonb_each(coalesce(v_item -> 'quotas', '{}')) AS q;
    END LOOP;

    INSERT INTO quota.enf_endpoint_metrics (version_id, ord, endpoint_likes, metric)
    SELECT p_version, o, quota.enf_likes(e -> 'endpoints'), e ->> 'metric'
    FROM jsonb_array_elements(coalesce(v_policy -> 'endpoint_metrics', '[]'))
        WITH ORDINALITY AS a(e, o);

    FOR v_item, v_ord IN
        SELECT e, o::int FROM jsonb_array_elements(coalesce(v_policy -> 'abuse', '[]'))
            WITH ORDINALITY AS a(e, o)
    LOOP
        v_kind := v_item ->> 'kind';
        v_action := coalesce(v_item ->> 'action', 'log');
        v_window := quota.enf_duration_ms(v_item -> 'window', 0,
            format('policy.abuse[%s].window', v_ord - 1));
        v_block_for := quota.enf_duration_ms(v_item -> 'block_for', 86400000,
            format('policy.abuse[%s].block_for', v_ord - 1));
        INSERT INTO quota.enf_abuse_patterns (version_id, ord, id, name, kind, scope, window_ms,
            threshold, threshold_micro, endpoint_likes, user_agent_contains, countries, severity,
            action, block_for_ms, rearm_ms)
        VALUES (p_version, v_ord, v_item ->> 'id', coalesce(v_item ->> 'name', v_item ->> 'id'),
            v_kind, coalesce(v_item ->> 'scope', 'ip'), v_window,
            coalesce((v_item ->> 'threshold')::bigint, 0),
            quota.enf_micro(v_item -> 'threshold_usd', 0),
            quota.enf_likes(v_item -> 'endpoints'),
            (SELECT coalesce(array_agg(quota.enf_lower(u)), '{}')
             FROM unnest(quota.enf_texts(v_item -> 'user_agent_contains')) AS u),
            (SELECT coalesce(array_agg(quota.enf_upper(c)), '{}')
             FROM unnest(quota.enf_texts(v_item -> 'countries')) AS c),
            coalesce(v_item ->> 'severity', 'low'), v_action, v_block_for,
            quota.enf_duration_ms(v_item -> 'rearm',
                CASE WHEN v_action IN ('block', 'escalate') THEN v_block_for
                     WHEN v_window > 0 THEN v_window
                     ELSE 3600000 END,
                format('policy.abuse[%s].rearm', v_ord - 1)));
    END LOOP;

    INSERT INTO quota.enf_cost_endpoints (version_id, ord, endpoint_likes, base_micro, memory_mb)
    SELECT p_version, o, quota.enf_likes(e -> 'endpoints'), quota.enf_micro(e -> 'base_usd', 0),
        coalesce((e ->> 'memory_mb')::bigint,
                 coalesce((v_policy -> 'cost' ->> 'default_memory_mb')::bigint, 2048))
    FROM jsonb_array_elements(coalesce(v_policy -> 'cost' -> 'endpoints', '[]'))
        WITH ORDINALITY AS a(e, o);

    INSERT INTO quota.enf_cost_models (version_id, model, per_1k_micro)
    SELECT p_version, m.key, quota.enf_micro(m.value -> 'per_1k_tokens_usd', 0)
    FROM jsonb_each(coalesce(v_policy -> 'cost' -> 'models', '{}')) AS m;

    UPDATE quota.enf_settings s
    SET rules = (SELECT coalesce(array_agg(x ORDER BY x.ord), '{}') FROM quota.enf_rules x
                 WHERE x.version_id = p_version),
        patterns = (SELECT coalesce(array_agg(x ORDER BY x.ord), '{}')
                    FROM quota.enf_abuse_patterns x WHERE x.version_id = p_version),
        rule_lock_order = (SELECT coalesce(array_agg(x.ord ORDER BY x.id COLLATE "C"), '{}')
                           FROM quota.enf_rules x WHERE x.version_id = p_version),
        pattern_lock_order = (SELECT coalesce(array_agg(x.ord ORDER BY x.id COLLATE "C"), '{}')
                              FROM quota.enf_abuse_patterns x WHERE x.version_id = p_version)
    WHERE s.version_id = p_version;
END $$;

CREATE FUNCTION quota.enf_compile_trigger() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = quota, pg_temp AS $$
BEGIN
    IF NEW.active THEN
        PERFORM quota.enf_compile(NEW.id);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER policy_versions_compile
    AFTER INSERT OR UPDATE OF active, policy ON quota.policy_versions
    FOR EACH ROW WHEN (NEW.active) EXECUTE FUNCTION quota.enf_compile_trigger();

-- The compiled active version; compiles it when a version became active without the trigger
-- (e.g. activated before this migration ran).
CREATE FUNCTION quota.enf_active_version() RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = quota, pg_temp AS $$
DECLARE
    v_id bigint;
    v_compiled boolean;
BEGIN
    SELECT p.id, EXISTS (SELECT 1 FROM quota.enf_settings s WHERE s.version_id = p.id)
    INTO v_id, v_compiled
    FROM quota.policy_versions p WHERE p.active;
    IF v_id IS NULL THEN
        RAISE EXCEPTION 'no active policy version in quota.policy_versions; roll out a policy first'
            USING ERRCODE = 'no_data_found';
    END IF;
    IF NOT v_compiled THEN
        PERFORM pg_advisory_xact_lock(1903326001, v_id::int);
        IF NOT EXISTS (SELECT 1 FROM quota.enf_settings WHERE version_id = v_id) THEN
            PERFORM quota.enf_compile(v_id);
        END IF;
    END IF;
    RETURN v_id;
END $$;

SELECT quota.enf_compile(id) FROM quota.policy_versions WHERE active;

-- ---------------------------------------------------------------------------------------------
-- quota_check: the decision (docs/enforcement.md §1-§7)
-- ---------------------------------------------------------------------------------------------

CREATE FUNCTION quota.quota_check(p_ts timestamptz, p_request_id text, p_ip text,
    p_forwarded_for text, p_user_id text, p_plan text, p_endpoint text, p_method text,
    p_user_agent text, p_country text, p_idempotency_key text, p_request_hash text)
RETURNS quota.check_result
LANGUAGE plpgsql SECURITY DEFINER SET search_path = quota, pg_temp AS $fn$
DECLARE
    v_ts bigint := quota.enf_ms(p_ts);
    v_tsz timestamptz;
    v_endpoint text := coalesce(p_endpoint, '');
    v_method text := quota.enf_upper(coalesce(p_method, ''));
    v_user text := coalesce(p_user_id, '');
    v_key text := coalesce(p_idempotency_key, '');
    v_hash text := coalesce(p_request_hash, '');
    v_ua text := coalesce(p_user_agent, '');
    v_auth boolean := coalesce(p_user_id, '') <> '';
    -- compiled policy
    v_version bigint;
    v_trusted inet[];
    v_skip text[];
    v_default_plan text;
    v_plan_names text[];
    v_cycle_ms bigint;
    v_ttl_ms bigint;
    v_on_conflict text;
    v_rules quota.enf_rules[];
    v_lock_order int[];
    -- request
    v_client inet;
    v_client_key text;
    v_plan text;
    v_prev_plan text;
    v_grace_end timestamptz;
    v_scope text;
    v_entry quota.idempotency_ledger;
    v_live boolean := false;
    v_flags int := 0;
    v_kind text;
    -- rules
    r quota.enf_rules;
    v_n int := 0;
    k_pos int[] := '{}'; -- index into v_rules
    k_rule text[] := '{}';
    k_ident text[] := '{}';
    k_ep text[] := '{}';
    k_of_rule int[] := '{}'; -- rule position -> its index in the k_ arrays
    k_row tid[] := '{}'; -- locked counter rows
    s_win bigint[];
    s_prev bigint[];
    s_curr bigint[];
    s_tat bigint[];
    n_win bigint[];
    n_prev bigint[];
    n_curr bigint[];
    n_tat bigint[];
    n_exp bigint[];
    n_move boolean[];
    e_lim bigint[];
    e_rem bigint[];
    e_reset bigint[];
    c record;
    v_j int;
    v_index bigint;
    v_count bigint;
    v_prev bigint;
    v_curr bigint;
    v_estimate bigint;
    v_t bigint;
    v_tat bigint;
    v_admit boolean;
    v_deny int;
    v_would text;
    v_best int;
    -- quota
    v_metric text;
    v_quota bigint := -1;
    v_used bigint;
    v_usage_row tid;
    v_cycle_start bigint;
    v_cycle_end bigint;
    v_quota_denies boolean := false;
    v_reset bigint;
BEGIN
    v_tsz := quota.enf_tstz(v_ts);
    FOR attempt IN 1..2 LOOP
        SELECT s.version_id, s.trusted_proxies, s.skip_likes, s.default_plan, s.plan_names,
            s.billing_cycle_ms, s.idempotency_ttl_ms, s.on_conflict, s.rules, s.rule_lock_order
        INTO v_version, v_trusted, v_skip, v_default_plan, v_plan_names, v_cycle_ms, v_ttl_ms,
            v_on_conflict, v_rules, v_lock_order
        FROM quota.enf_settings s
        WHERE s.version_id = (SELECT pv.id FROM quota.policy_versions pv WHERE pv.active);
        EXIT WHEN FOUND;
        PERFORM quota.enf_active_version(); -- compiles the active version, or says why not
    END LOOP;

    -- §1 skip
    IF v_endpoint LIKE ANY (v_skip) THEN
        RETURN ROW(true, 200, 'skipped', NULL, -1, -1, 0, 0, NULL, NULL, 0)::quota.check_result;
    END IF;

    -- §2 identifier
    v_client := quota.enf_client_address(p_ip, p_forwarded_for, v_trusted);
    IF v_client IS NULL THEN
        RETURN ROW(false, 400, 'invalid_identifier', NULL, -1, -1, 0, 0, NULL, NULL, 0)
            ::quota.check_result;
    END IF;
    v_client_key := quota.enf_client_key(v_client);

    IF v_auth THEN
        SELECT sub.plan, sub.previous_plan, sub.grace_end INTO v_plan, v_prev_plan, v_grace_end
        FROM quota.subscriptions sub WHERE sub.user_id = v_user;
        IF NOT FOUND THEN
            v_plan := p_plan;
        END IF;
        IF v_plan IS NULL OR NOT v_plan = ANY (v_plan_names) THEN
            v_plan := v_default_plan;
        END IF;
        IF v_grace_end IS NULL OR v_tsz >= v_grace_end THEN
            v_prev_plan := NULL;
        END IF;
    END IF;

    -- §3 blocked
    IF EXISTS (
        SELECT 1 FROM quota.blocked_identifiers b
        WHERE ((b.target = 'ip' AND b.value = host(v_client))
               OR (v_auth AND b.target = 'user' AND b.value = v_user)
               OR (b.target = 'network' AND v_client <<= ANY (quota.enf_parse_cidr(b.value))))
          AND b.blocked_from <= v_tsz
          AND (b.blocked_until IS NULL OR v_tsz < b.blocked_until)
          AND (b.unblocked_at IS NULL OR v_tsz < b.unblocked_at))
    THEN
        RETURN ROW(false, 403, 'blocked', NULL, -1, -1, 0, 0, NULL, NULL, 0)::quota.check_result;
    END IF;

    -- §4 idempotency: the (scope, key) lock comes first, before any counter row.
    IF v_key <> '' THEN
        v_scope := CASE WHEN v_auth THEN 'user:' || v_user ELSE 'ip:' || v_client_key END;
        PERFORM pg_advisory_xact_lock(1903326002, hashtext(v_scope || E'\n' || v_key));
        SELECT * INTO v_entry FROM quota.idempotency_ledger l
        WHERE l.scope = v_scope AND l.key = v_key;
        v_live := FOUND AND v_ts < v_entry.first_seen_ms + v_ttl_ms;
        IF v_live THEN
            IF v_entry.request_hash = v_hash THEN
                RETURN ROW(v_entry.allowed, v_entry.status, 'idempotent_replay', v_entry.rule,
                    v_entry.lim, v_entry.remaining, v_entry.reset_at, 0, NULL, NULL, 0)
                    ::quota.check_result;
            END IF;
            v_flags := 1
                | CASE WHEN v_ts - v_entry.first_seen_ms > 300000 THEN 2 ELSE 0 END
                | CASE WHEN v_ua <> v_entry.user_agent THEN 4 ELSE 0 END;
            v_kind := CASE WHEN v_flags & 4 <> 0 THEN 'user_agent'
                           WHEN v_flags & 2 <> 0 THEN 'late' ELSE 'parameters' END;
            UPDATE quota.idempotency_ledger l
            SET collision_count = l.collision_count + 1, last_collision_at = v_tsz
            WHERE l.scope = v_scope AND l.key = v_key;
            INSERT INTO quota.idempotency_collisions (ts, scope, key, request_id, first_request_id,
                flags, kind, different_parameters, late, different_user_agent, on_conflict,
                user_id, client_key, endpoint, method, stored_request_hash, request_hash,
                stored_user_agent, user_agent, first_seen, ms_since_first, metadata)
            VALUES (v_tsz, v_scope, v_key, p_request_id, v_entry.request_id, v_flags, v_kind,
                true, v_flags & 2 <> 0, v_flags & 4 <> 0, v_on_conflict, nullif(v_user, ''),
                v_client_key, v_endpoint, v_method, v_entry.request_hash, v_hash,
                v_entry.user_agent, v_ua, v_entry.first_seen, v_ts - v_entry.first_seen_ms,
                jsonb_build_object('first_endpoint', v_entry.endpoint,
                    'collision_count', v_entry.collision_count + 1,
                    'stored_status', v_entry.status));
            IF v_on_conflict = 'reject' THEN
                RETURN ROW(false, 409, 'idempotency_conflict', NULL, -1, -1, 0, 0, NULL, v_kind,
                    v_flags)::quota.check_result;
            END IF;
        END IF;
    END IF;

    -- §5 rules: which apply, and their identifiers
    FOR i IN 1..cardinality(v_rules) LOOP
        r := v_rules[i];
        CONTINUE WHEN cardinality(r.endpoint_likes) > 0 AND NOT v_endpoint LIKE ANY (r.endpoint_likes);
        CONTINUE WHEN cardinality(r.methods) > 0 AND NOT v_method = ANY (r.methods);
        CONTINUE WHEN cardinality(r.plans) > 0 AND (NOT v_auth OR NOT v_plan = ANY (r.plans));
        CONTINUE WHEN r.scope IN ('user', 'user_endpoint') AND NOT v_auth;
        v_n := v_n + 1;
        k_pos[v_n] := i;
        k_rule[v_n] := r.id;
        k_ident[v_n] := CASE r.scope WHEN 'ip' THEN v_client_key WHEN 'ip_endpoint' THEN v_client_key
                                     WHEN 'global' THEN '' ELSE v_user END;
        k_ep[v_n] := CASE WHEN r.scope IN ('user_endpoint', 'ip_endpoint') THEN v_endpoint ELSE '' END;
        k_of_rule[i] := v_n;
    END LOOP;

    IF v_n > 0 THEN
        -- Lock the counter rows in one global order (rule id, identifier, endpoint): two
        -- requests touching overlapping rule sets cannot wait on each other in a cycle. A call
        -- has one row per rule, so the rule order compiled with the policy is that order. One
        -- index lookup per row; a missing row is created, then locked.
        FOR o IN 1..cardinality(v_lock_order) LOOP
            v_j := k_of_rule[v_lock_order[o]];
            CONTINUE WHEN v_j IS NULL;
            FOR attempt IN 1..3 LOOP
                SELECT rc.shape, rc.win_index, rc.prev_count, rc.curr_count, rc.tat_us, rc.ctid
                INTO c
                FROM quota.rate_counters rc
                WHERE rc.rule_id = k_rule[v_j] AND rc.identifier = k_ident[v_j]
                  AND rc.endpoint = k_ep[v_j]
                FOR UPDATE;
                EXIT WHEN FOUND;
                -- Housekeeping may delete an expired row again before it is locked: retry.
                IF attempt = 3 THEN
                    RAISE EXCEPTION 'quota_check: counter row % / % vanished while being locked',
                        k_rule[v_j], k_ident[v_j];
                END IF;
                INSERT INTO quota.rate_counters (rule_id, identifier, endpoint)
                VALUES (k_rule[v_j], k_ident[v_j], k_ep[v_j])
                ON CONFLICT DO NOTHING;
            END LOOP;
            k_row[v_j] := c.ctid;
            IF c.shape = v_rules[k_pos[v_j]].shape THEN
                s_win[v_j] := c.win_index;
                s_prev[v_j] := c.prev_count;
                s_curr[v_j] := c.curr_count;
                s_tat[v_j] := c.tat_us;
            ELSE
                s_win[v_j] := -1;
                s_prev[v_j] := 0;
                s_curr[v_j] := 0;
                s_tat[v_j] := 0;
            END IF;
        END LOOP;

        FOR j IN 1..v_n LOOP
            r := v_rules[k_pos[j]];
            IF r.algorithm = 'fixed_window' THEN
                v_index := v_ts / r.window_ms;
                v_count := CASE WHEN s_win[j] = v_index THEN s_curr[j] ELSE 0 END;
                v_admit := v_count < r.lim;
                e_lim[j] := r.lim;
                e_reset[j] := (v_index + 1) * r.window_ms;
                e_rem[j] := CASE WHEN v_admit THEN r.lim - (v_count + 1) ELSE 0 END;
                n_win[j] := v_index;
                n_prev[j] := 0;
                n_curr[j] := v_count + 1;
                n_tat[j] := 0;
                n_exp[j] := (v_index + 1) * r.window_ms;
            ELSIF r.algorithm = 'sliding_window' THEN
                v_index := v_ts / r.window_ms;
                IF s_win[j] = v_index THEN
                    v_prev := s_prev[j];
                    v_curr := s_curr[j];
                ELSIF s_win[j] = v_index - 1 THEN
                    v_prev := s_curr[j];
                    v_curr := 0;
                ELSE
                    v_prev := 0;
                    v_curr := 0;
                END IF;
                v_estimate := v_prev * (r.window_ms - (v_ts - v_index * r.window_ms)) / r.window_ms
                    + v_curr;
                v_admit := v_estimate < r.lim;
                e_lim[j] := r.lim;
                e_reset[j] := (v_index + 1) * r.window_ms;
                e_rem[j] := CASE WHEN v_admit THEN greatest(r.lim - (v_estimate + 1), 0) ELSE 0 END;
                n_win[j] := v_index;
                n_prev[j] := v_prev;
                n_curr[j] := v_curr + 1;
                n_tat[j] := 0;
                n_exp[j] := (v_index + 2) * r.window_ms;
            ELSE
                v_t := v_ts * 1000;
                v_tat := greatest(s_tat[j], v_t);
                v_admit := v_tat - v_t <= r.tau_us;
                e_lim[j] := r.burst;
                IF v_admit THEN
                    e_rem[j] := CASE WHEN v_t + r.tau_us - (v_tat + r.t_us) < 0 THEN 0
                                     ELSE (v_t + r.tau_us - (v_tat + r.t_us)) / r.t_us + 1 END;
                    e_reset[j] := (v_tat + r.t_us + 999) / 1000;
                ELSE
                    e_rem[j] := 0;
                    e_reset[j] := (v_tat - r.tau_us + 999) / 1000;
                END IF;
                n_win[j] := -1;
                n_prev[j] := 0;
                n_curr[j] := 0;
                n_tat[j] := v_tat + r.t_us;
                n_exp[j] := (v_tat + r.t_us + 999) / 1000;
            END IF;
            n_move[j] := v_admit;
            IF NOT v_admit THEN
                IF r.shadow THEN
                    IF v_would IS NULL THEN
                        v_would := r.id;
                    END IF;
                ELSIF v_deny IS NULL THEN
                    v_deny := j;
                END IF;
            END IF;
        END LOOP;
    END IF;

    IF v_deny IS NOT NULL THEN
        r := v_rules[k_pos[v_deny]];
        RETURN ROW(false, 429, 'rate_limited', r.id, e_lim[v_deny], 0, e_reset[v_deny],
            greatest(1, (e_reset[v_deny] - v_ts + 999) / 1000), v_would, v_kind, v_flags)
            ::quota.check_result;
    END IF;

    -- §6 plan quota
    IF v_auth THEN
        SELECT m.metric, coalesce((SELECT q.lim FROM quota.enf_plan_quotas q
                                   WHERE q.version_id = v_version
                                     AND q.plan = coalesce(v_prev_plan, v_plan)
                                     AND q.metric = m.metric), -1)
        INTO v_metric, v_quota
        FROM quota.enf_endpoint_metrics m
        WHERE m.version_id = v_version
          AND (cardinality(m.endpoint_likes) = 0 OR v_endpoint LIKE ANY (m.endpoint_likes))
        ORDER BY m.ord LIMIT 1;
        IF v_metric IS NOT NULL THEN
            IF v_cycle_ms > 0 THEN
                v_cycle_start := v_ts / v_cycle_ms * v_cycle_ms;
                v_cycle_end := v_cycle_start + v_cycle_ms;
            ELSE
                v_cycle_start := quota.enf_ms(date_trunc('month', v_tsz AT TIME ZONE 'UTC')
                    AT TIME ZONE 'UTC');
                v_cycle_end := quota.enf_ms((date_trunc('month', v_tsz AT TIME ZONE 'UTC')
                    + interval '1 month') AT TIME ZONE 'UTC');
            END IF;
            IF v_quota >= 0 THEN
                -- Locked before deciding; a first request of the cycle creates the row.
                SELECT u.used, u.ctid INTO v_used, v_usage_row FROM quota.quota_usage u
                WHERE u.user_id = v_user AND u.metric = v_metric
                  AND u.cycle_start = quota.enf_tstz(v_cycle_start)
                FOR UPDATE;
                IF NOT FOUND THEN
                    INSERT INTO quota.quota_usage (user_id, metric, cycle_start)
                    VALUES (v_user, v_metric, quota.enf_tstz(v_cycle_start))
                    ON CONFLICT DO NOTHING;
                    SELECT u.used, u.ctid INTO v_used, v_usage_row FROM quota.quota_usage u
                    WHERE u.user_id = v_user AND u.metric = v_metric
                      AND u.cycle_start = quota.enf_tstz(v_cycle_start)
                    FOR UPDATE;
                END IF;
                v_quota_denies := v_used >= v_quota;
            END IF;
        END IF;
    END IF;

    IF v_quota_denies THEN
        RETURN ROW(false, 429, 'quota_exceeded', NULL, v_quota, 0, v_cycle_end,
            greatest(1, (v_cycle_end - v_ts + 999) / 1000), v_would, v_kind, v_flags)
            ::quota.check_result;
    END IF;

    -- §7 admission: everything was decided above; now every write, in one go.
    IF v_n > 0 THEN
        -- One statement for every moving row: they are locked by this transaction, so their
        -- ctids still hold; a row's index in k_row picks its new values.
        UPDATE quota.rate_counters rc
        SET shape = v_rules[k_pos[array_position(k_row, rc.ctid)]].shape,
            win_index = n_win[array_position(k_row, rc.ctid)],
            prev_count = n_prev[array_position(k_row, rc.ctid)],
            curr_count = n_curr[array_position(k_row, rc.ctid)],
            tat_us = n_tat[array_position(k_row, rc.ctid)], updated_ms = v_ts,
            expires_ms = n_exp[array_position(k_row, rc.ctid)]
        WHERE rc.ctid = ANY (ARRAY(SELECT k_row[j] FROM generate_subscripts(k_row, 1) AS j
                                   WHERE n_move[j]));
        FOR j IN 1..v_n LOOP
            CONTINUE WHEN v_rules[k_pos[j]].shadow;
            IF v_best IS NULL OR e_rem[j] < e_rem[v_best] THEN
                v_best := j;
            END IF;
        END LOOP;
    END IF;
    IF v_usage_row IS NOT NULL THEN
        -- The row is locked by this transaction since the decision, so its ctid still holds.
        UPDATE quota.quota_usage u SET used = u.used + 1, updated_at = v_tsz
        WHERE u.ctid = v_usage_row;
    ELSIF v_metric IS NOT NULL THEN
        INSERT INTO quota.quota_usage AS u (user_id, metric, cycle_start, used, updated_at)
        VALUES (v_user, v_metric, quota.enf_tstz(v_cycle_start), 1, v_tsz)
        ON CONFLICT (user_id, metric, cycle_start)
        DO UPDATE SET used = u.used + 1, updated_at = v_tsz;
    END IF;
    IF v_key <> '' AND NOT v_live THEN
        INSERT INTO quota.idempotency_ledger AS l (scope, key, request_hash, user_agent,
            request_id, endpoint, first_seen_ms, first_seen, allowed, status, rule, lim,
            remaining, reset_at)
        VALUES (v_scope, v_key, v_hash, v_ua, p_request_id, v_endpoint, v_ts, v_tsz, true, 200,
            NULL, coalesce(e_lim[v_best], -1), coalesce(e_rem[v_best], -1),
            coalesce(e_reset[v_best], 0))
        ON CONFLICT (scope, key) DO UPDATE SET request_hash = EXCLUDED.request_hash,
            user_agent = EXCLUDED.user_agent, request_id = EXCLUDED.request_id,
            endpoint = EXCLUDED.endpoint, first_seen_ms = EXCLUDED.first_seen_ms,
            first_seen = EXCLUDED.first_seen, allowed = true, status = 200, rule = NULL,
            lim = EXCLUDED.lim, remaining = EXCLUDED.remaining, reset_at = EXCLUDED.reset_at,
            collision_count = 0, last_collision_at = NULL;
    END IF;

    RETURN ROW(true, 200, 'admitted', NULL, coalesce(e_lim[v_best], -1),
        coalesce(e_rem[v_best], -1), coalesce(e_reset[v_best], 0), 0, v_would, v_kind, v_flags)
        ::quota.check_result;
END
$fn$;

-- ---------------------------------------------------------------------------------------------
-- quota_complete: cost, abuse detection and the request log (docs/enforcement.md §7, §8)
-- ---------------------------------------------------------------------------------------------

-- Cost of an allowed request in micro-dollars (§7): the recorded cost, else the policy's model.
CREATE FUNCTION quota.enf_cost_micro(p_version bigint, p_endpoint text, p_cost_usd numeric,
    p_tokens bigint, p_model text, p_response_ms bigint) RETURNS bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = quota, pg_temp AS $$
DECLARE
    v_base bigint := 0;
    v_memory bigint;
    v_endpoint_memory bigint;
    v_gb_hour bigint;
    v_per_1k bigint := 0;
BEGIN
    IF p_cost_usd IS NOT NULL THEN
        RETURN round(p_cost_usd * 1000000)::bigint;
    END IF;
    SELECT s.gb_hour_micro, s.default_memory_mb INTO v_gb_hour, v_memory
    FROM quota.enf_settings s WHERE s.version_id = p_version;
    SELECT e.base_micro, e.memory_mb INTO v_base, v_endpoint_memory
    FROM quota.enf_cost_endpoints e
    WHERE e.version_id = p_version
      AND (cardinality(e.endpoint_likes) = 0 OR p_endpoint LIKE ANY (e.endpoint_likes))
    ORDER BY e.ord LIMIT 1;
    IF FOUND THEN
        v_memory := v_endpoint_memory;
    ELSE
        v_base := 0;
    END IF;
    SELECT m.per_1k_micro INTO v_per_1k FROM quota.enf_cost_models m
    WHERE m.version_id = p_version AND m.model = coalesce(p_model, '');
    -- numeric keeps the products exact; each term truncates on its own, as in the C++ core.
    RETURN v_base
        + div(coalesce(p_response_ms, 0)::numeric * v_memory * v_gb_hour, 3600000 * 1024::numeric)::bigint
        + div(coalesce(p_tokens, 0)::numeric * coalesce(v_per_1k, 0), 1000)::bigint;
END $$;

CREATE FUNCTION quota.quota_complete(p_ts timestamptz, p_request_id text, p_ip text,
    p_forwarded_for text, p_user_id text, p_plan text, p_endpoint text, p_method text,
    p_user_agent text, p_country text, p_idempotency_key text, p_request_hash text,
    p_allowed boolean, p_status int, p_reason text, p_rule text, p_cost_usd numeric,
    p_tokens int, p_model text, p_response_ms int, p_quota_check_ms double precision,
    p_fail_open boolean, p_collision int DEFAULT 0, p_would_deny text DEFAULT NULL)
RETURNS TABLE (incident_id bigint, pattern_id text, scope text, identifier text,
    ts timestamptz, severity text, action text, blocked_until timestamptz)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = quota, pg_temp AS $fn$
#variable_conflict use_column
DECLARE
    v_ts bigint := quota.enf_ms(p_ts);
    v_tsz timestamptz;
    v_endpoint text := coalesce(p_endpoint, '');
    v_user text := coalesce(p_user_id, '');
    v_auth boolean := coalesce(p_user_id, '') <> '';
    v_version bigint;
    v_trusted inet[];
    v_skip text[];
    v_default_plan text;
    v_plan_names text[];
    v_patterns quota.enf_abuse_patterns[];
    v_lock_order int[];
    v_plan text;
    v_client inet;
    v_client_key text;
    v_cost bigint := 0;
    v_evaluate boolean;
    p quota.enf_abuse_patterns;
    v_n int := 0;
    k_pos int[] := '{}';
    k_pattern text[] := '{}';
    k_ident text[] := '{}';
    k_event boolean[] := '{}';
    k_of_pattern int[] := '{}';
    k_was_armed boolean[] := '{}';
    k_was_last bigint[] := '{}';
    s_armed boolean[] := '{}';
    s_last bigint[] := '{}';
    c record;
    v_j int;
    v_cond boolean;
    v_value bigint;
    v_armed boolean;
    v_ua text := quota.enf_lower(coalesce(p_user_agent, ''));
    v_country text := quota.enf_upper(coalesce(p_country, ''));
    v_incident bigint;
    v_until timestamptz;
BEGIN
    v_tsz := quota.enf_tstz(v_ts);
    FOR attempt IN 1..2 LOOP
        SELECT s.version_id, s.trusted_proxies, s.skip_likes, s.default_plan, s.plan_names,
            s.patterns, s.pattern_lock_order
        INTO v_version, v_trusted, v_skip, v_default_plan, v_plan_names, v_patterns, v_lock_order
        FROM quota.enf_settings s
        WHERE s.version_id = (SELECT pv.id FROM quota.policy_versions pv WHERE pv.active);
        EXIT WHEN FOUND;
        PERFORM quota.enf_active_version();
    END LOOP;

    IF coalesce(p_allowed, false) THEN
        v_cost := quota.enf_cost_micro(v_version, v_endpoint, p_cost_usd, p_tokens, p_model,
            p_response_ms);
    END IF;

    IF v_auth THEN
        SELECT sub.plan INTO v_plan FROM quota.subscriptions sub WHERE sub.user_id = v_user;
        IF NOT FOUND THEN
            v_plan := p_plan;
        END IF;
        IF v_plan IS NULL OR NOT v_plan = ANY (v_plan_names) THEN
            v_plan := v_default_plan;
        END IF;
    END IF;

    -- §8: every request that passed step 2 and was not skipped.
    v_evaluate := NOT v_endpoint LIKE ANY (v_skip);
    IF v_evaluate THEN
        v_client := quota.enf_client_address(p_ip, p_forwarded_for, v_trusted);
        v_evaluate := v_client IS NOT NULL;
    END IF;

    IF v_evaluate THEN
        v_client_key := quota.enf_client_key(v_client);
        FOR i IN 1..cardinality(v_patterns) LOOP
            p := v_patterns[i];
            CONTINUE WHEN p.scope = 'user' AND NOT v_auth;
            v_n := v_n + 1;
            k_pos[v_n] := i;
            k_pattern[v_n] := p.id;
            k_ident[v_n] := CASE WHEN p.scope = 'ip' THEN v_client_key ELSE v_user END;
            k_event[v_n] := (p.kind = 'rate' AND (cardinality(p.endpoint_likes) = 0
                                                  OR v_endpoint LIKE ANY (p.endpoint_likes)))
                            OR (p.kind = 'cost' AND v_cost > 0);
            k_of_pattern[i] := v_n;
        END LOOP;
    END IF;

    IF v_n > 0 THEN
        -- Serialize per pattern · identifier (fixed order) so that trailing-window counts see
        -- every earlier request, including ones completed concurrently.
        FOR o IN 1..cardinality(v_lock_order) LOOP
            v_j := k_of_pattern[v_lock_order[o]];
            CONTINUE WHEN v_j IS NULL;
            FOR attempt IN 1..3 LOOP
                SELECT st.armed, st.last_incident_ms INTO c FROM quota.abuse_state st
                WHERE st.pattern_id = k_pattern[v_j] AND st.identifier = k_ident[v_j]
                FOR UPDATE;
                EXIT WHEN FOUND;
                IF attempt = 3 THEN
                    RAISE EXCEPTION 'quota_complete: abuse state % / % vanished while being locked',
                        k_pattern[v_j], k_ident[v_j];
                END IF;
                INSERT INTO quota.abuse_state (pattern_id, identifier)
                VALUES (k_pattern[v_j], k_ident[v_j])
                ON CONFLICT DO NOTHING;
            END LOOP;
            s_armed[v_j] := c.armed;
            s_last[v_j] := c.last_incident_ms;
            k_was_armed[v_j] := c.armed;
            k_was_last[v_j] := c.last_incident_ms;
        END LOOP;

        INSERT INTO quota.abuse_events (pattern_id, identifier, ts_ms, cost_micro)
        SELECT k_pattern[j], k_ident[j], v_ts, v_cost
        FROM generate_subscripts(k_pattern, 1) AS j WHERE k_event[j];

        FOR j IN 1..v_n LOOP
            p := v_patterns[k_pos[j]];
            IF p.kind IN ('rate', 'cost') THEN
                -- Events that can no longer count are pruned by key in the same statement.
                WITH pruned AS (
                    DELETE FROM quota.abuse_events e
                    WHERE e.pattern_id = p.id AND e.identifier = k_ident[j]
                      AND e.ts_ms <= v_ts - p.window_ms)
                SELECT CASE WHEN p.kind = 'rate' THEN count(*) ELSE coalesce(sum(e.cost_micro), 0) END
                INTO v_value FROM quota.abuse_events e
                WHERE e.pattern_id = p.id AND e.identifier = k_ident[j]
                  AND e.ts_ms > v_ts - p.window_ms AND e.ts_ms <= v_ts;
                v_cond := v_value > CASE WHEN p.kind = 'rate' THEN p.threshold ELSE p.threshold_micro END;
            ELSIF p.kind = 'user_agent' THEN
                v_cond := EXISTS (SELECT 1 FROM unnest(p.user_agent_contains) AS needle
                                  WHERE strpos(v_ua, needle) > 0);
            ELSE
                v_cond := v_country = ANY (p.countries);
            END IF;

            v_armed := s_armed[j] OR v_ts >= s_last[j] + p.rearm_ms;
            IF v_cond AND v_armed THEN
                v_until := CASE WHEN p.action IN ('block', 'escalate')
                                THEN quota.enf_tstz(v_ts + p.block_for_ms) END;
                INSERT INTO quota.abuse_incidents (pattern_id, scope, identifier, ts, severity,
                    action, blocked_until, request_id, details)
                VALUES (p.id, p.scope, k_ident[j], v_tsz, p.severity, p.action, v_until,
                    p_request_id, jsonb_build_object('pattern_name', p.name, 'kind', p.kind,
                        'value', v_value, 'page', p.action = 'escalate',
                        'endpoint', v_endpoint, 'user_id', nullif(v_user, ''),
                        'client_key', v_client_key, 'policy_version', v_version))
                RETURNING id INTO v_incident;
                IF v_until IS NOT NULL THEN
                    INSERT INTO quota.blocked_identifiers (target, value, blocked_from,
                        blocked_until, reason, source, incident_id, created_by)
                    VALUES (CASE WHEN p.scope = 'user' THEN 'user'
                                 WHEN family(v_client) = 4 THEN 'ip' ELSE 'network' END,
                        k_ident[j], v_tsz, v_until, 'abuse pattern ' || p.id, 'auto', v_incident,
                        'quota_complete');
                END IF;
                s_armed[j] := false;
                s_last[j] := v_ts;
                incident_id := v_incident;
                pattern_id := p.id;
                scope := p.scope;
                identifier := k_ident[j];
                ts := v_tsz;
                severity := p.severity;
                action := p.action;
                blocked_until := v_until;
                RETURN NEXT;
            ELSIF NOT v_cond THEN
                s_armed[j] := true;
            END IF;
        END LOOP;

        FOR j IN 1..v_n LOOP
            CONTINUE WHEN s_armed[j] = k_was_armed[j] AND s_last[j] IS NOT DISTINCT FROM k_was_last[j];
            UPDATE quota.abuse_state st SET armed = s_armed[j], last_incident_ms = s_last[j]
            WHERE st.pattern_id = k_pattern[j] AND st.identifier = k_ident[j];
        END LOOP;
    END IF;

    PERFORM quota.log_request(jsonb_build_object('ts', v_tsz, 'request_id', p_request_id,
        'endpoint', v_endpoint, 'method', p_method, 'user_id', nullif(v_user, ''), 'plan', v_plan,
        'ip', p_ip, 'forwarded_for', p_forwarded_for, 'user_agent', p_user_agent,
        'country', p_country, 'idempotency_key', p_idempotency_key,
        'request_hash', p_request_hash, 'quota_check_ms', p_quota_check_ms,
        'response_ms', p_response_ms, 'status', p_status,
        'decision', CASE WHEN coalesce(p_allowed, false) THEN 'allowed' ELSE 'denied' END,
        'reason', p_reason, 'rule', nullif(p_rule, ''), 'cost_usd', v_cost / 1000000.0,
        'tokens', p_tokens, 'model', p_model, 'fail_open', coalesce(p_fail_open, false),
        'collision', coalesce(p_collision, 0), 'would_deny', nullif(p_would_deny, '')));
    RETURN;
END
$fn$;

-- ---------------------------------------------------------------------------------------------
-- Housekeeping: removes state that is equivalent to absent state (never changes a decision).
-- ---------------------------------------------------------------------------------------------

CREATE FUNCTION quota.enforcement_housekeeping(p_now timestamptz DEFAULT now())
RETURNS TABLE (what text, removed bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = quota, pg_temp AS $$
DECLARE
    v_now bigint := quota.enf_ms(p_now);
    v_version bigint := quota.enf_active_version();
    v_ttl bigint;
    v_window bigint;
    v_count bigint;
BEGIN
    SELECT s.idempotency_ttl_ms INTO v_ttl FROM quota.enf_settings s WHERE s.version_id = v_version;
    SELECT coalesce(max(a.window_ms), 0) INTO v_window
    FROM quota.enf_abuse_patterns a WHERE a.version_id = v_version;

    DELETE FROM quota.rate_counters rc WHERE rc.expires_ms <= v_now;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    what := 'rate_counters'; removed := v_count; RETURN NEXT;

    DELETE FROM quota.idempotency_ledger l WHERE l.first_seen_ms + v_ttl <= v_now;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    what := 'idempotency_ledger'; removed := v_count; RETURN NEXT;

    DELETE FROM quota.abuse_events e WHERE e.ts_ms <= v_now - v_window;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    what := 'abuse_events'; removed := v_count; RETURN NEXT;

    -- Armed rows are the default; disarmed rows whose re-arm time has passed are armed too.
    DELETE FROM quota.abuse_state st
    WHERE st.armed
       OR st.last_incident_ms + coalesce((SELECT max(a.rearm_ms) FROM quota.enf_abuse_patterns a
                                          WHERE a.version_id = v_version
                                            AND a.id = st.pattern_id), 0) <= v_now;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    what := 'abuse_state'; removed := v_count; RETURN NEXT;
END $$;

-- ---------------------------------------------------------------------------------------------
-- Privileges: services call quota_check and quota_complete, nothing else.
-- ---------------------------------------------------------------------------------------------

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'quota_service') THEN
        CREATE ROLE quota_service NOLOGIN;
    END IF;
END $$;

REVOKE ALL ON FUNCTION quota.enf_compile(bigint), quota.enf_compile_trigger(),
    quota.enf_active_version(),
    quota.enf_cost_micro(bigint, text, numeric, bigint, text, bigint),
    quota.enforcement_housekeeping(timestamptz) FROM PUBLIC;
REVOKE ALL ON FUNCTION quota.quota_check(timestamptz, text, text, text, text, text, text, text,
    text, text, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION quota.quota_complete(timestamptz, text, text, text, text, text, text, text,
    text, text, text, text, boolean, int, text, text, numeric, int, text, int, double precision,
    boolean, int, text) FROM PUBLIC;
GRANT USAGE ON SCHEMA quota TO quota_service;
GRANT EXECUTE ON FUNCTION quota.quota_check(timestamptz, text, text, text, text, text, text, text,
    text, text, text, text) TO quota_service;
GRANT EXECUTE ON FUNCTION quota.quota_complete(timestamptz, text, text, text, text, text, text,
    text, text, text, text, text, boolean, int, text, text, numeric, int, text, int,
    double precision, boolean, int, text) TO quota_service;
