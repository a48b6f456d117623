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
    default_memory_mb bigint NOT NULL,
    -- The small lookups of a decision, as arrays read with the row (filled by enf_compile from
    -- the tables below): one element per glob of endpoint_metrics and cost.endpoints in policy
    -- order ('%' for an entry without globs), so the first match is the first matching entry;
    -- plan quotas by quota.enf_quota_key(plan, metric); cost models by name.
    metric_likes text[] NOT NULL DEFAULT '{}',
    metric_names text[] NOT NULL DEFAULT '{}',
    quota_keys text[] NOT NULL DEFAULT '{}',
    quota_lims bigint[] NOT NULL DEFAULT '{}',
    cost_likes text[] NOT NULL DEFAULT '{}',
    cost_base_micro bigint[] NOT NULL DEFAULT '{}',
    cost_memory_mb bigint[] NOT NULL DEFAULT '{}',
    model_names text[] NOT NULL DEFAULT '{}',
    model_per_1k_micro bigint[] NOT NULL DEFAULT '{}'
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
    rule_id text COLLATE "C" NOT NULL,
    identifier text COLLATE "C" NOT NULL,
    endpoint text COLLATE "C" NOT NULL DEFAULT '',
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
    user_id text COLLATE "C" NOT NULL,
    metric text COLLATE "C" NOT NULL,
    cycle_start timestamptz NOT NULL,
    used bigint NOT NULL DEFAULT 0,
    updated_at timestamptz,
    PRIMARY KEY (user_id, metric, cycle_start)
) WITH (fillfactor = 70);

-- The idempotency ledger (docs/enforcement.md §4): only admitted requests create entries.
CREATE TABLE quota.idempotency_ledger (
    scope text COLLATE "C" NOT NULL, -- user:<id> or ip:<client key>
    key text COLLATE "C" NOT NULL,
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
    pattern_id text COLLATE "C" NOT NULL,
    identifier text COLLATE "C" NOT NULL,
    ts_ms bigint NOT NULL,
    cost_micro bigint NOT NULL DEFAULT 0
);
CREATE INDEX abuse_events_window ON quota.abuse_events (pattern_id, identifier, ts_ms);

-- State of a pattern per identifier: armed (no row = armed, no events) and, for rate and cost
-- patterns, the number and cost of its rows in abuse_events (kept with every insert and delete
-- of those rows, under this row's lock) and the latest event time.
CREATE TABLE quota.abuse_state (
    pattern_id text COLLATE "C" NOT NULL,
    identifier text COLLATE "C" NOT NULL,
    armed boolean NOT NULL DEFAULT true,
    last_incident_ms bigint,
    event_count bigint NOT NULL DEFAULT 0,
    event_cost bigint NOT NULL DEFAULT 0,
    last_event_ms bigint,
    PRIMARY KEY (pattern_id, identifier)
) WITH (fillfactor = 70); -- room for HOT updates: no indexed column ever changes

-- An applicable rule with the state of its locked counter row (inside quota_check).
CREATE TYPE quota.enf_rule_state AS (
    ord int,
    id text,
    identifier text,
    endpoint text,
    algorithm text,
    window_ms bigint,
    lim bigint,
    t_us bigint,
    tau_us bigint,
    burst bigint,
    shadow boolean,
    shape text,
    same boolean,
    win_index bigint,
    prev_count bigint,
    curr_count bigint,
    tat_us bigint
);

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

-- The helpers called on the hot path are SQL functions that the planner inlines into the
-- calling expression (a body no more volatile than declared, strict only when the body is, an
-- argument used once or cheap): a call then costs an expression, not a function invocation.
-- enf_ms avoids extract(epoch FROM timestamptz), which is only STABLE; timestamptz + interval
-- is STABLE too, so enf_tstz says so.
CREATE FUNCTION quota.enf_ms(p_ts timestamptz) RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN floor(extract(epoch FROM (p_ts - timestamptz 'epoch')) * 1000)::bigint;

CREATE FUNCTION quota.enf_tstz(p_ms bigint) RETURNS timestamptz
LANGUAGE sql STABLE STRICT PARALLEL SAFE
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

-- A strict dotted quad of docs/enforcement.md §2: four decimal parts 0-255 without leading
-- zeros. One regular expression, inlined where it is used.
CREATE FUNCTION quota.enf_is_v4(p text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN p ~ '^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$';

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
        RETURN CASE WHEN quota.enf_is_v4(v_text) THEN v_text::inet END;
    END IF;
    IF v_text !~ '^[0-9A-Fa-f:.]+$' OR position(':::' IN v_text) > 0 THEN
        RETURN NULL;
    END IF;
    IF position('.' IN v_text) > 0 THEN
        -- Only the last group may be a dotted quad; it stands for two groups.
        v_tail := substring(v_text FROM '[^:]*$');
        IF NOT quota.enf_is_v4(v_tail) THEN
            RETURN NULL;
        END IF;
        v_v4 := v_tail::inet - inet '0.0.0.0';
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
LANGUAGE sql IMMUTABLE PARALLEL SAFE
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

-- The key of a plan's quota for a metric in enf_settings.quota_keys.
CREATE FUNCTION quota.enf_quota_key(p_plan text, p_metric text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN length(p_plan)::text || ':' || p_plan || p_metric;

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
    SET metric_likes = coalesce(m.likes, '{}'), metric_names = coalesce(m.names, '{}'),
        quota_keys = coalesce(q.keys, '{}'), quota_lims = coalesce(q.lims, '{}'),
        cost_likes = coalesce(c.likes, '{}'), cost_base_micro = coalesce(c.base, '{}'),
        cost_memory_mb = coalesce(c.memory, '{}'), model_names = coalesce(cm.names, '{}'),
        model_per_1k_micro = coalesce(cm.per_1k, '{}')
    FROM (SELECT array_agg(g.glob ORDER BY x.ord, g.o) AS likes,
                 array_agg(x.metric ORDER BY x.ord, g.o) AS names
          FROM quota.enf_endpoint_metrics x
          CROSS JOIN LATERAL unnest(CASE WHEN cardinality(x.endpoint_likes) = 0 THEN ARRAY['%']
                                         ELSE x.endpoint_likes END) WITH ORDINALITY AS g(glob, o)
          WHERE x.version_id = p_version) m,
         (SELECT array_agg(quota.enf_quota_key(x.plan, x.metric)) AS keys,
                 array_agg(x.lim) AS lims
          FROM quota.enf_plan_quotas x WHERE x.version_id = p_version) q,
         (SELECT array_agg(g.glob ORDER BY x.ord, g.o) AS likes,
                 array_agg(x.base_micro ORDER BY x.ord, g.o) AS base,
                 array_agg(x.memory_mb ORDER BY x.ord, g.o) AS memory
          FROM quota.enf_cost_endpoints x
          CROSS JOIN LATERAL unnest(CASE WHEN cardinality(x.endpoint_likes) = 0 THEN ARRAY['%']
                                         ELSE x.endpoint_likes END) WITH ORDINALITY AS g(glob, o)
          WHERE x.version_id = p_version) c,
         (SELECT array_agg(x.model) AS names, array_agg(x.per_1k_micro) AS per_1k
          FROM quota.enf_cost_models x WHERE x.version_id = p_version) cm
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

-- The rules of a version that apply to a request (docs/enforcement.md §5), with the key of
-- the counter row each one uses. p_plan is NULL for anonymous requests (p_user = '').
-- Inlined by the planner into the statements that use it.
CREATE FUNCTION quota.enf_rule_keys(p_version bigint, p_endpoint text, p_method text,
    p_plan text, p_client_key text, p_user text)
RETURNS TABLE (ord int, id text, algorithm text, window_ms bigint, lim bigint, t_us bigint,
    tau_us bigint, burst bigint, shadow boolean, shape text, identifier text, endpoint text)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT r.ord, r.id, r.algorithm, r.window_ms, r.lim, r.t_us, r.tau_us, r.burst, r.shadow,
        r.shape,
        CASE r.scope WHEN 'ip' THEN p_client_key WHEN 'ip_endpoint' THEN p_client_key
                     WHEN 'global' THEN '' ELSE p_user END,
        CASE WHEN r.scope IN ('user_endpoint', 'ip_endpoint') THEN p_endpoint ELSE '' END
    FROM quota.enf_rules r
    WHERE r.version_id = p_version
      AND (cardinality(r.endpoint_likes) = 0 OR p_endpoint LIKE ANY (r.endpoint_likes))
      AND (cardinality(r.methods) = 0 OR p_method = ANY (r.methods))
      AND (cardinality(r.plans) = 0 OR p_plan = ANY (r.plans))
      AND (p_user <> '' OR r.scope NOT IN ('user', 'user_endpoint'));
END;

CREATE FUNCTION quota.quota_check(p_ts timestamptz, p_request_id text, p_ip text,
    p_forwarded_for text, p_user_id text, p_plan text, p_endpoint text, p_method text,
    p_user_agent text, p_country text, p_idempotency_key text, p_request_hash text)
RETURNS quota.check_result
LANGUAGE plpgsql SECURITY DEFINER SET search_path = quota, pg_temp
-- Plans are made once per session and kept (parameters do not change their shape), with index
-- access only: the state tables start empty and grow while sessions keep their plans.
SET plan_cache_mode = force_generic_plan SET enable_seqscan = off SET enable_hashjoin = off
SET enable_mergejoin = off AS $fn$
DECLARE
    v_ts bigint := quota.enf_ms(p_ts);
    v_tsz timestamptz := quota.enf_tstz(quota.enf_ms(p_ts));
    v_endpoint text := coalesce(p_endpoint, '');
    v_method text := quota.enf_upper(coalesce(p_method, ''));
    v_user text := coalesce(p_user_id, '');
    v_key text := coalesce(p_idempotency_key, '');
    s record; -- the compiled policy, and the user's subscription
    v_states quota.enf_rule_state[];
    r quota.enf_rule_state;
    v_client inet;
    v_client_key text;
    v_plan text;
    v_metric text;
    v_quota bigint := -1;
    v_cycle_start timestamptz;
    v_cycle_end bigint;
    v_used bigint;
    -- the applicable rules: key, whether it admits, reported limit/remaining/reset, new state
    v_n int := 0;
    e_admit boolean[];
    e_lim bigint[];
    e_rem bigint[];
    e_reset bigint[];
    n_win bigint[];
    n_prev bigint[];
    n_curr bigint[];
    n_tat bigint[];
    n_exp bigint[];
    v_index bigint;
    v_prev bigint;
    v_curr bigint;
    v_estimate bigint;
    v_t bigint;
    v_tat bigint;
    v_admit boolean;
    v_deny int;
    v_would int;
    v_best int;
    -- idempotency
    v_scope text;
    v_entry quota.idempotency_ledger;
    v_live boolean := false;
    v_flags int := 0;
    v_kind text;
BEGIN
    -- The compiled policy (one row) and the subscription.
    FOR attempt IN 1..2 LOOP
        SELECT st.version_id, st.trusted_proxies, st.skip_likes, st.default_plan, st.plan_names,
            st.billing_cycle_ms, st.idempotency_ttl_ms, st.on_conflict, st.metric_likes,
            st.metric_names, st.quota_keys, st.quota_lims, sub.plan AS sub_plan,
            sub.previous_plan, sub.grace_end, sub.user_id IS NOT NULL AS subscribed
        INTO s
        FROM quota.enf_settings st
        LEFT JOIN quota.subscriptions sub ON sub.user_id = v_user AND v_user <> ''
        WHERE st.version_id = (SELECT pv.id FROM quota.policy_versions pv WHERE pv.active);
        EXIT WHEN FOUND;
        PERFORM quota.enf_active_version(); -- compiles the active version, or says why not
    END LOOP;

    -- §1 skip
    IF v_endpoint LIKE ANY (s.skip_likes) THEN
        RETURN ROW(true, 200, 'skipped', NULL, -1, -1, 0, 0, NULL, NULL, 0)::quota.check_result;
    END IF;

    -- §2 identifier: a socket address alone is the common case, checked by one expression.
    IF coalesce(p_forwarded_for, '') = '' AND quota.enf_is_v4(p_ip) THEN
        v_client := p_ip::inet;
        v_client_key := p_ip;
    ELSE
        v_client := quota.enf_client_address(p_ip, p_forwarded_for, s.trusted_proxies);
        IF v_client IS NULL THEN
            RETURN ROW(false, 400, 'invalid_identifier', NULL, -1, -1, 0, 0, NULL, NULL, 0)
                ::quota.check_result;
        END IF;
        v_client_key := quota.enf_client_key(v_client);
    END IF;

    -- §3 blocked
    -- (one index scan for the address and the user: its keys are the pairs of both arrays)
    IF EXISTS (SELECT FROM quota.blocked_identifiers b
               WHERE b.target = ANY ('{ip,user}') AND b.value = ANY (ARRAY[host(v_client), v_user])
                 AND ((b.target = 'ip' AND b.value = host(v_client))
                      OR (b.target = 'user' AND b.value = v_user AND v_user <> ''))
                 AND b.blocked_from <= v_tsz AND (b.blocked_until IS NULL OR v_tsz < b.blocked_until)
                 AND (b.unblocked_at IS NULL OR v_tsz < b.unblocked_at))
       OR EXISTS (SELECT FROM quota.blocked_identifiers b
               WHERE b.target = 'network'
                 AND b.blocked_from <= v_tsz AND (b.blocked_until IS NULL OR v_tsz < b.blocked_until)
                 AND (b.unblocked_at IS NULL OR v_tsz < b.unblocked_at)
                 AND v_client <<= ANY (quota.enf_parse_cidr(b.value)))
    THEN
        RETURN ROW(false, 403, 'blocked', NULL, -1, -1, 0, 0, NULL, NULL, 0)::quota.check_result;
    END IF;

    -- §6 the plan: the subscription's, else the request's if the policy knows it, else the
    -- default; during a downgrade's grace the previous plan's quota applies.
    IF v_user <> '' THEN
        v_plan := CASE WHEN s.subscribed THEN s.sub_plan ELSE p_plan END;
        IF v_plan IS NULL OR NOT v_plan = ANY (s.plan_names) THEN
            v_plan := s.default_plan;
        END IF;
    END IF;

    -- §4 idempotency: the (scope, key) lock comes first, before any counter row.
    IF v_key <> '' THEN
        v_scope := CASE WHEN v_user <> '' THEN 'user:' || v_user ELSE 'ip:' || v_client_key END;
        PERFORM pg_advisory_xact_lock(1903326002, hashtext(v_scope || E'\n' || v_key));
        SELECT * INTO v_entry FROM quota.idempotency_ledger l
        WHERE l.scope = v_scope AND l.key = v_key;
        v_live := FOUND AND v_ts < v_entry.first_seen_ms + s.idempotency_ttl_ms;
        IF v_live THEN
            IF v_entry.request_hash = coalesce(p_request_hash, '') THEN
                RETURN ROW(v_entry.allowed, v_entry.status, 'idempotent_replay', v_entry.rule,
                    v_entry.lim, v_entry.remaining, v_entry.reset_at, 0, NULL, NULL, 0)
                    ::quota.check_result;
            END IF;
            v_flags := 1
                | CASE WHEN v_ts - v_entry.first_seen_ms > 300000 THEN 2 ELSE 0 END
                | CASE WHEN coalesce(p_user_agent, '') <> v_entry.user_agent THEN 4 ELSE 0 END;
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
                true, v_flags & 2 <> 0, v_flags & 4 <> 0, s.on_conflict, nullif(v_user, ''),
                v_client_key, v_endpoint, v_method, v_entry.request_hash,
                coalesce(p_request_hash, ''), v_entry.user_agent, coalesce(p_user_agent, ''),
                v_entry.first_seen, v_ts - v_entry.first_seen_ms,
                jsonb_build_object('first_endpoint', v_entry.endpoint,
                    'collision_count', v_entry.collision_count + 1,
                    'stored_status', v_entry.status));
            IF s.on_conflict = 'reject' THEN
                RETURN ROW(false, 409, 'idempotency_conflict', NULL, -1, -1, 0, 0, NULL, v_kind,
                    v_flags)::quota.check_result;
            END IF;
        END IF;
    END IF;

    -- §6 the endpoint's metric (first matching entry) and the effective limit.
    IF v_user <> '' THEN
        FOR i IN 1..cardinality(s.metric_likes) LOOP
            IF v_endpoint LIKE s.metric_likes[i] THEN
                v_metric := s.metric_names[i];
                EXIT;
            END IF;
        END LOOP;
        IF v_metric IS NOT NULL THEN
            v_quota := coalesce(s.quota_lims[array_position(s.quota_keys, quota.enf_quota_key(
                CASE WHEN v_tsz < s.grace_end THEN coalesce(s.previous_plan, v_plan) ELSE v_plan END,
                v_metric))], -1);
            IF s.billing_cycle_ms > 0 THEN
                v_cycle_start := quota.enf_tstz(v_ts / s.billing_cycle_ms * s.billing_cycle_ms);
                v_cycle_end := v_ts / s.billing_cycle_ms * s.billing_cycle_ms + s.billing_cycle_ms;
            ELSE
                v_cycle_start := date_trunc('month', v_tsz AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
                v_cycle_end := quota.enf_ms((date_trunc('month', v_tsz AT TIME ZONE 'UTC')
                    + interval '1 month') AT TIME ZONE 'UTC');
            END IF;
        END IF;
    END IF;

    -- Lock, in one statement, the counter row of every applicable rule in the global order
    -- (rule id, identifier, endpoint), creating missing ones: ON CONFLICT DO UPDATE ...
    -- WHERE false locks an existing row (waiting for its holder, then taking the latest
    -- version) and writes nothing.
    INSERT INTO quota.rate_counters AS rc (rule_id, identifier, endpoint)
    SELECT k.id, k.identifier, k.endpoint
    FROM quota.enf_rule_keys(s.version_id, v_endpoint, v_method, v_plan, v_client_key, v_user) k
    ORDER BY k.id COLLATE "C", k.identifier COLLATE "C", k.endpoint COLLATE "C"
    ON CONFLICT (rule_id, identifier, endpoint) DO UPDATE SET expires_ms = rc.expires_ms
    WHERE false;

    -- Then the quota row, last in the lock order; SELECT ... FOR UPDATE reads the latest
    -- committed version after waiting for its holder.
    IF v_quota >= 0 THEN
        SELECT u.used INTO v_used FROM quota.quota_usage u
        WHERE u.user_id = v_user AND u.metric = v_metric AND u.cycle_start = v_cycle_start
        FOR UPDATE;
        IF NOT FOUND THEN
            INSERT INTO quota.quota_usage (user_id, metric, cycle_start)
            VALUES (v_user, v_metric, v_cycle_start)
            ON CONFLICT DO NOTHING;
            SELECT u.used INTO v_used FROM quota.quota_usage u
            WHERE u.user_id = v_user AND u.metric = v_metric AND u.cycle_start = v_cycle_start
            FOR UPDATE;
        END IF;
    END IF;

    -- §5 every applicable rule evaluated against its locked row (read after locking: READ
    -- COMMITTED gives the latest committed version), without changing state.
    SELECT array_agg(ROW(k.ord, k.id, k.identifier, k.endpoint, k.algorithm, k.window_ms, k.lim,
            k.t_us, k.tau_us, k.burst, k.shadow, k.shape, rc.shape = k.shape, rc.win_index,
            rc.prev_count, rc.curr_count, rc.tat_us)::quota.enf_rule_state)
    INTO v_states
    FROM quota.enf_rule_keys(s.version_id, v_endpoint, v_method, v_plan, v_client_key, v_user) k
    JOIN quota.rate_counters rc
      ON rc.rule_id = k.id AND rc.identifier = k.identifier AND rc.endpoint = k.endpoint;
    v_n := coalesce(cardinality(v_states), 0);
    FOR j IN 1..v_n LOOP
        r := v_states[j];
        IF r.algorithm = 'token_bucket' THEN
            v_t := v_ts * 1000;
            v_tat := greatest(CASE WHEN r.same THEN r.tat_us ELSE 0 END, v_t);
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
        ELSE
            v_index := v_ts / r.window_ms;
            -- state written under another shape of the rule reads as absent
            v_prev := CASE WHEN NOT r.same THEN 0 WHEN r.win_index = v_index THEN r.prev_count
                           WHEN r.win_index = v_index - 1 THEN r.curr_count ELSE 0 END;
            v_curr := CASE WHEN r.same AND r.win_index = v_index THEN r.curr_count ELSE 0 END;
            IF r.algorithm = 'sliding_window' THEN
                v_estimate := v_prev * (r.window_ms - (v_ts - v_index * r.window_ms)) / r.window_ms
                    + v_curr;
                n_prev[j] := v_prev;
                n_exp[j] := (v_index + 2) * r.window_ms;
            ELSE
                v_estimate := v_curr;
                n_prev[j] := 0;
                n_exp[j] := (v_index + 1) * r.window_ms;
            END IF;
            v_admit := v_estimate < r.lim;
            e_lim[j] := r.lim;
            e_reset[j] := (v_index + 1) * r.window_ms;
            e_rem[j] := CASE WHEN v_admit THEN greatest(r.lim - (v_estimate + 1), 0) ELSE 0 END;
            n_win[j] := v_index;
            n_curr[j] := v_curr + 1;
            n_tat[j] := 0;
        END IF;
        e_admit[j] := v_admit;
        -- the first denying enforcing rule and the first shadow rule that would deny, in
        -- policy order
        IF NOT v_admit THEN
            IF r.shadow THEN
                IF v_would IS NULL OR r.ord < v_states[v_would].ord THEN
                    v_would := j;
                END IF;
            ELSIF v_deny IS NULL OR r.ord < v_states[v_deny].ord THEN
                v_deny := j;
            END IF;
        END IF;
    END LOOP;

    IF v_deny IS NOT NULL THEN
        RETURN ROW(false, 429, 'rate_limited', v_states[v_deny].id, e_lim[v_deny], 0,
            e_reset[v_deny], greatest(1, (e_reset[v_deny] - v_ts + 999) / 1000),
            v_states[v_would].id, v_kind, v_flags)
            ::quota.check_result;
    ELSIF v_quota >= 0 AND v_used >= v_quota THEN
        RETURN ROW(false, 429, 'quota_exceeded', NULL, v_quota, 0, v_cycle_end,
            greatest(1, (v_cycle_end - v_ts + 999) / 1000), v_states[v_would].id, v_kind, v_flags)
            ::quota.check_result;
    END IF;

    -- §7 admission: every applicable rule that admits moves (shadow rules included), in one
    -- statement; then the quota. The enforcing rule with the least remaining (ties: policy
    -- order) gives the headers.
    FOR j IN 1..v_n LOOP
        CONTINUE WHEN v_states[j].shadow;
        IF v_best IS NULL OR e_rem[j] < e_rem[v_best]
           OR (e_rem[j] = e_rem[v_best] AND v_states[j].ord < v_states[v_best].ord) THEN
            v_best := j;
        END IF;
    END LOOP;
    -- One statement for every write: the counters, then (after count(*) of them, so in the
    -- lock order) the quota row, locked above when limited, upserted when unlimited.
    WITH moved AS (
        UPDATE quota.rate_counters rc
        SET shape = n.shape, win_index = n.win_index, prev_count = n.prev_count,
            curr_count = n.curr_count, tat_us = n.tat_us, updated_ms = v_ts, expires_ms = n.expires_ms
        FROM unnest(v_states, n_win, n_prev, n_curr, n_tat, n_exp, e_admit)
            -- the columns of quota.enf_rule_state, then the new state
            AS n(ord, id, identifier, endpoint, algorithm, window_ms, lim, t_us, tau_us, burst,
                 shadow, shape, same, old_win, old_prev, old_curr, old_tat, win_index,
                 prev_count, curr_count, tat_us, expires_ms, admit)
        WHERE n.admit AND rc.rule_id = n.id AND rc.identifier = n.identifier
          AND rc.endpoint = n.endpoint
        RETURNING 1)
    INSERT INTO quota.quota_usage AS u (user_id, metric, cycle_start, used, updated_at)
    SELECT v_user, v_metric, v_cycle_start, 1, v_tsz
    WHERE (SELECT count(*) FROM moved) >= 0 AND v_metric IS NOT NULL
    ON CONFLICT (user_id, metric, cycle_start)
    DO UPDATE SET used = u.used + 1, updated_at = EXCLUDED.updated_at;

    IF v_key <> '' AND NOT v_live THEN
        INSERT INTO quota.idempotency_ledger AS l (scope, key, request_hash, user_agent,
            request_id, endpoint, first_seen_ms, first_seen, allowed, status, rule, lim,
            remaining, reset_at)
        VALUES (v_scope, v_key, coalesce(p_request_hash, ''), coalesce(p_user_agent, ''),
            p_request_id, v_endpoint, v_ts, v_tsz, true, 200, NULL, coalesce(e_lim[v_best], -1),
            coalesce(e_rem[v_best], -1), coalesce(e_reset[v_best], 0))
        ON CONFLICT (scope, key) DO UPDATE SET request_hash = EXCLUDED.request_hash,
            user_agent = EXCLUDED.user_agent, request_id = EXCLUDED.request_id,
            endpoint = EXCLUDED.endpoint, first_seen_ms = EXCLUDED.first_seen_ms,
            first_seen = EXCLUDED.first_seen, allowed = true, status = 200, rule = NULL,
            lim = EXCLUDED.lim, remaining = EXCLUDED.remaining, reset_at = EXCLUDED.reset_at,
            collision_count = 0, last_collision_at = NULL;
    END IF;

    RETURN ROW(true, 200, 'admitted', NULL, coalesce(e_lim[v_best], -1),
        coalesce(e_rem[v_best], -1), coalesce(e_reset[v_best], 0), 0, v_states[v_would].id, v_kind,
        v_flags)::quota.check_result;
END
$fn$;

-- ---------------------------------------------------------------------------------------------
-- quota_complete: cost, abuse detection and the request log (docs/enforcement.md §7, §8)
-- ---------------------------------------------------------------------------------------------

-- The abuse patterns of a version that apply to a request (docs/enforcement.md §8): ip-scoped
-- ones always, user-scoped ones for authenticated requests (p_user <> ''), with the identifier
-- each one counts, whether the request is an event of its trailing window (rate: the endpoint
-- matches; cost: a positive cost) and, for user_agent and country patterns, whether the
-- condition holds. Inlined by the planner into the statements that use it.
CREATE FUNCTION quota.enf_pattern_keys(p_version bigint, p_client_key text, p_user text,
    p_endpoint text, p_cost bigint, p_user_agent text, p_country text)
RETURNS TABLE (ord int, id text, name text, kind text, scope text, identifier text,
    window_ms bigint, threshold bigint, severity text, action text, block_for_ms bigint,
    rearm_ms bigint, event boolean, holds boolean)
LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT a.ord, a.id, a.name, a.kind, a.scope,
        CASE WHEN a.scope = 'ip' THEN p_client_key ELSE p_user END,
        a.window_ms, CASE WHEN a.kind = 'rate' THEN a.threshold ELSE a.threshold_micro END,
        a.severity, a.action, a.block_for_ms, a.rearm_ms,
        (a.kind = 'rate' AND (cardinality(a.endpoint_likes) = 0
                              OR p_endpoint LIKE ANY (a.endpoint_likes)))
            OR (a.kind = 'cost' AND p_cost > 0),
        CASE a.kind
            WHEN 'user_agent' THEN EXISTS (SELECT FROM unnest(a.user_agent_contains) AS n(needle)
                                           WHERE strpos(p_user_agent, n.needle) > 0)
            WHEN 'country' THEN p_country = ANY (a.countries) END
    FROM quota.enf_abuse_patterns a
    WHERE a.version_id = p_version AND (a.scope = 'ip' OR p_user <> '');
END;

CREATE FUNCTION quota.quota_complete(p_ts timestamptz, p_request_id text, p_ip text,
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
    v_count bigint;
    v_orphans bigint;
BEGIN
    SELECT s.idempotency_ttl_ms INTO v_ttl FROM quota.enf_settings s WHERE s.version_id = v_version;

    DELETE FROM quota.rate_counters rc WHERE rc.expires_ms <= v_now;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    what := 'rate_counters'; removed := v_count; RETURN NEXT;

    DELETE FROM quota.idempotency_ledger l WHERE l.first_seen_ms + v_ttl <= v_now;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    what := 'idempotency_ledger'; removed := v_count; RETURN NEXT;

    -- Windows whose every event has left the window (or whose pattern is gone): the events go
    -- and the counts of their state row with them, each row under its lock (rows in use right
    -- now are left for the next run). Calls prune their own windows; this reaches the
    -- identifiers that stopped sending.
    WITH stale AS (
        SELECT st.pattern_id, st.identifier
        FROM quota.abuse_state st
        LEFT JOIN quota.enf_abuse_patterns a ON a.version_id = v_version AND a.id = st.pattern_id
        WHERE st.event_count > 0 AND st.last_event_ms <= v_now - coalesce(a.window_ms, 0)
        FOR UPDATE OF st SKIP LOCKED
    ), gone AS (
        DELETE FROM quota.abuse_events e USING stale x
        WHERE e.pattern_id = x.pattern_id AND e.identifier = x.identifier
        RETURNING 1
    ), emptied AS (
        UPDATE quota.abuse_state st SET event_count = 0, event_cost = 0
        FROM stale x WHERE st.pattern_id = x.pattern_id AND st.identifier = x.identifier
    )
    SELECT count(*) INTO v_count FROM gone;
    -- Events without a state row (only possible if state rows were deleted by hand) would be
    -- missing from its counts.
    DELETE FROM quota.abuse_events e
    WHERE NOT EXISTS (SELECT FROM quota.abuse_state st
                      WHERE st.pattern_id = e.pattern_id AND st.identifier = e.identifier);
    GET DIAGNOSTICS v_orphans = ROW_COUNT;
    what := 'abuse_events'; removed := v_count + v_orphans; RETURN NEXT;

    -- Armed rows without events are the default; disarmed ones whose re-arm time has passed
    -- are armed too.
    DELETE FROM quota.abuse_state st
    WHERE st.event_count = 0
      AND (st.armed
           OR st.last_incident_ms + coalesce((SELECT max(a.rearm_ms) FROM quota.enf_abuse_patterns a
                                              WHERE a.version_id = v_version
                                                AND a.id = st.pattern_id), 0) <= v_now);
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
