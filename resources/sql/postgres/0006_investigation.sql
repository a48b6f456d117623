-- What the console's investigation and request-log views need from the database
-- (docs/investigation.md): a row identity for request logs (keyset paging on (ts, id)), an
-- index for the collisions of one client address, and the rate-limit state of an identifier
-- right now, computed from quota.rate_counters with the compiled policy exactly as
-- quota.quota_check decides.

-- Request log rows get an id: the tie-breaker of keyset paging (ORDER BY ts, id) and a stable
-- name for one row in exports. Existing rows are numbered in physical order.
CREATE SEQUENCE quota.request_logs_id_seq AS bigint;
ALTER TABLE quota.request_logs
    ADD COLUMN id bigint NOT NULL DEFAULT nextval('quota.request_logs_id_seq');
ALTER SEQUENCE quota.request_logs_id_seq OWNED BY quota.request_logs.id;

-- Collisions of one client address (the user scope is served by idempotency_collisions_scope).
CREATE INDEX idempotency_collisions_client ON quota.idempotency_collisions (client_key, ts);
-- The block an incident made (auto-blocks name their incident).
CREATE INDEX blocked_identifiers_incident ON quota.blocked_identifiers (incident_id)
    WHERE incident_id IS NOT NULL;

-- The state of every rate-limit rule of the active policy for one identifier at p_at, as
-- quota_check would see it for a request at that time:
--   p_kind 'ip'       an address; IP-scoped rules are counted per client key (IPv6: its /64)
--   p_kind 'network'  a CIDR; a /64 is one IPv6 client key, other networks list the counters
--                     of the client keys inside them (the 100 most recently updated per rule)
--   p_kind 'user'     a user id; user-scoped rules
--   p_kind 'endpoint' an endpoint; global rules that match it and the counters of the
--                     *_endpoint rules for it (the 100 most recently updated per rule)
-- used: the count (fixed window), the estimate (sliding window) or the tokens taken (token
-- bucket) that the rule compares with its limit; remaining: requests the rule would still
-- admit now (each consumes one); admits: whether the rule admits a request now; reset_at: the
-- end of the window, or for a token bucket when it is full again (admitting) or admits again
-- (denying). note: why a rule may not apply to every request of the identifier (plans,
-- endpoints, methods), NULL when it does. A counter written under another shape (algorithm or
-- window changed by a rollout) reads as empty, as in quota_check.
CREATE FUNCTION quota.rate_limit_state(p_kind text, p_value text, p_at timestamptz DEFAULT now())
RETURNS TABLE (ord int, rule_id text, scope text, algorithm text, shadow boolean, identifier text,
               endpoint text, lim bigint, used bigint, remaining bigint, window_ms bigint,
               reset_at timestamptz, admits boolean, note text, updated_at timestamptz)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = quota, pg_temp AS $fn$
DECLARE
    v_ts bigint := quota.enf_ms(coalesce(p_at, now()));
    v_version bigint;
    v_rules quota.enf_rules[];
    v_default_plan text;
    v_plan_names text[];
    v_addr inet;
    v_net inet;
    v_key text;
    v_user text;
    v_plan text;
    v_is_key boolean := false;
    r quota.enf_rules;
    c record;
    v_found boolean;
    v_win bigint;
    v_prev bigint;
    v_curr bigint;
    v_tat bigint;
    v_index bigint;
    v_t bigint;
BEGIN
    IF p_kind IS NULL OR p_kind NOT IN ('ip', 'network', 'user', 'endpoint') THEN
        RAISE EXCEPTION 'rate_limit_state: kind "%" is not one of ip, network, user, endpoint', p_kind
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF coalesce(btrim(p_value), '') = '' THEN
        RAISE EXCEPTION 'rate_limit_state: the % is empty', p_kind USING ERRCODE = 'invalid_parameter_value';
    END IF;
    v_version := quota.enf_active_version();
    SELECT s.default_plan, s.plan_names INTO v_default_plan, v_plan_names
    FROM quota.enf_settings s WHERE s.version_id = v_version;
    SELECT coalesce(array_agg(er ORDER BY er.ord), '{}') INTO v_rules
    FROM quota.enf_rules er WHERE er.version_id = v_version;

    IF p_kind = 'ip' THEN
        v_addr := quota.enf_parse_ip(btrim(p_value));
        IF v_addr IS NULL THEN
            RAISE EXCEPTION 'rate_limit_state: "%" is not an IP address; use e.g. 203.0.113.7 or 2001:db8::1', p_value
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        v_key := quota.enf_client_key(v_addr);
        v_is_key := true;
    ELSIF p_kind = 'network' THEN
        BEGIN
            v_net := btrim(p_value)::cidr;
        EXCEPTION WHEN invalid_text_representation OR invalid_binary_representation THEN
            RAISE EXCEPTION 'rate_limit_state: "%" is not a network; use e.g. 198.51.100.0/24 or 2001:db8:1:2::/64', p_value
                USING ERRCODE = 'invalid_parameter_value';
        END;
        IF family(v_net) = 6 AND masklen(v_net) = 64 THEN
            v_key := host(v_net) || '/64';
            v_is_key := true;
        END IF;
    ELSIF p_kind = 'user' THEN
        v_user := p_value;
        -- Rules match the current plan (a downgrade's grace only concerns the plan quota).
        SELECT sub.plan INTO v_plan FROM quota.subscriptions sub WHERE sub.user_id = v_user;
        IF v_plan IS NULL OR NOT v_plan = ANY (v_plan_names) THEN
            v_plan := v_default_plan;
        END IF;
    END IF;

    FOR i IN 1..cardinality(v_rules) LOOP
        r := v_rules[i];
        CONTINUE WHEN p_kind IN ('ip', 'network') AND r.scope NOT IN ('ip', 'ip_endpoint');
        CONTINUE WHEN p_kind = 'user' AND r.scope NOT IN ('user', 'user_endpoint');
        CONTINUE WHEN p_kind = 'endpoint' AND r.scope NOT IN ('global', 'ip_endpoint', 'user_endpoint');
        CONTINUE WHEN p_kind = 'endpoint' AND r.scope = 'global' AND cardinality(r.endpoint_likes) > 0
                      AND NOT p_value LIKE ANY (r.endpoint_likes);

        ord := i;
        rule_id := r.id;
        scope := r.scope;
        algorithm := r.algorithm;
        shadow := r.shadow;
        lim := CASE WHEN r.algorithm = 'token_bucket' THEN r.burst ELSE r.lim END;
        window_ms := CASE WHEN r.algorithm = 'token_bucket' THEN r.t_us / 1000 ELSE r.window_ms END;
        note := concat_ws('; ',
            CASE WHEN cardinality(r.plans) > 0 THEN
                CASE WHEN p_kind <> 'user'
                     THEN format('only requests of users on plans %s', array_to_string(r.plans, ', '))
                     WHEN NOT v_plan = ANY (r.plans)
                     THEN format('applies to plans %s; this user is on %s', array_to_string(r.plans, ', '), v_plan)
                     END END,
            CASE WHEN cardinality(r.endpoint_likes) > 0 AND p_kind <> 'endpoint' THEN
                format('only endpoints %s', array_to_string(r.endpoint_likes, ', ')) END,
            CASE WHEN cardinality(r.methods) > 0 THEN
                format('only methods %s', array_to_string(r.methods, ', ')) END);
        IF note = '' THEN
            note := NULL;
        END IF;

        v_found := false;
        FOR c IN
            SELECT rc.identifier, rc.endpoint, rc.shape, rc.win_index, rc.prev_count, rc.curr_count,
                   rc.tat_us, rc.updated_ms
            FROM quota.rate_counters rc
            WHERE rc.rule_id = r.id
              AND CASE
                  WHEN v_is_key THEN rc.identifier = v_key
                  WHEN p_kind = 'network' THEN
                      rc.identifier <> ''
                      AND (CASE WHEN position('/' IN rc.identifier) > 0 THEN rc.identifier::inet
                                ELSE quota.enf_parse_ip(rc.identifier) END) <<= v_net
                  WHEN p_kind = 'user' THEN rc.identifier = v_user
                  WHEN r.scope = 'global' THEN rc.identifier = ''
                  ELSE rc.endpoint = p_value
                  END
              AND (r.scope NOT IN ('ip', 'user', 'global') OR rc.endpoint = '')
            ORDER BY rc.updated_ms DESC, rc.identifier, rc.endpoint
            LIMIT 100
        LOOP
            v_found := true;
            identifier := c.identifier;
            endpoint := c.endpoint;
            updated_at := CASE WHEN c.updated_ms > 0 THEN quota.enf_tstz(c.updated_ms) END;
            IF c.shape = r.shape THEN
                v_win := c.win_index;
                v_prev := c.prev_count;
                v_curr := c.curr_count;
                v_tat := c.tat_us;
            ELSE
                v_win := -1;
                v_prev := 0;
                v_curr := 0;
                v_tat := 0;
            END IF;
            IF r.algorithm = 'fixed_window' THEN
                v_index := v_ts / r.window_ms;
                used := CASE WHEN v_win = v_index THEN v_curr ELSE 0 END;
                admits := used < r.lim;
                remaining := greatest(r.lim - used, 0);
                reset_at := quota.enf_tstz((v_index + 1) * r.window_ms);
            ELSIF r.algorithm = 'sliding_window' THEN
                v_index := v_ts / r.window_ms;
                IF v_win = v_index THEN
                    NULL;
                ELSIF v_win = v_index - 1 THEN
                    v_prev := v_curr;
                    v_curr := 0;
                ELSE
                    v_prev := 0;
                    v_curr := 0;
                END IF;
                used := v_prev * (r.window_ms - (v_ts - v_index * r.window_ms)) / r.window_ms + v_curr;
                admits := used < r.lim;
                remaining := greatest(r.lim - used, 0);
                reset_at := quota.enf_tstz((v_index + 1) * r.window_ms);
            ELSE
                v_t := v_ts * 1000;
                v_tat := greatest(v_tat, v_t);
                admits := v_tat - v_t <= r.tau_us;
                remaining := CASE WHEN admits THEN (v_t + r.tau_us - v_tat) / r.t_us + 1 ELSE 0 END;
                used := r.burst - remaining;
                reset_at := quota.enf_tstz(CASE WHEN admits THEN (v_tat + 999) / 1000
                                                ELSE (v_tat - r.tau_us + 999) / 1000 END);
            END IF;
            RETURN NEXT;
        END LOOP;

        IF NOT v_found AND (v_is_key OR p_kind = 'user' OR r.scope = 'global') THEN
            -- No counter yet: the state of a fresh identifier.
            identifier := CASE WHEN r.scope = 'global' THEN '' WHEN p_kind = 'user' THEN v_user ELSE v_key END;
            endpoint := CASE WHEN r.scope IN ('ip_endpoint', 'user_endpoint') THEN NULL ELSE '' END;
            updated_at := NULL;
            admits := true;
            remaining := lim;
            used := 0;
            reset_at := CASE WHEN r.algorithm = 'token_bucket' THEN quota.enf_tstz(v_ts)
                             ELSE quota.enf_tstz((v_ts / r.window_ms + 1) * r.window_ms) END;
            RETURN NEXT;
        END IF;
    END LOOP;
END
$fn$;

REVOKE ALL ON FUNCTION quota.rate_limit_state(text, text, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION quota.rate_limit_state(text, text, timestamptz) TO quota_viewer;

-- The pure helpers the console's read queries use (address parsing, epoch milliseconds):
-- readers may call them.
GRANT EXECUTE ON FUNCTION quota.enf_ms(timestamptz), quota.enf_tstz(bigint),
    quota.enf_is_v4(text), quota.enf_parse_ip(text), quota.enf_client_key(inet) TO quota_viewer;
