-- The alert evaluator (docs/alerting.md): `quotactl alerts evaluate` logs in as a member of
-- quota_evaluator, takes the evaluator's advisory lock (one evaluator at a time) and writes
-- quota.alerts only through quota.sync_alerts.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'quota_evaluator') THEN
        CREATE ROLE quota_evaluator NOLOGIN;
    END IF;
    IF NOT pg_has_role('quota_evaluator', 'quota_viewer', 'MEMBER') THEN
        GRANT quota_viewer TO quota_evaluator;
    END IF;
END;
$$;

-- What each rule's alerts were at the last evaluation (pending ones included), so that a
-- restarted evaluator, or the next `--once` run, keeps counting a rule's `for` where the last
-- one left off. Written by sync_alerts only.
CREATE TABLE quota.alert_rule_state (
    fingerprint text PRIMARY KEY,
    rule text NOT NULL,
    labels jsonb NOT NULL,
    severity text NOT NULL,
    state text NOT NULL CHECK (state IN ('pending', 'firing')),
    active_at timestamptz NOT NULL,
    fired_at timestamptz,
    value double precision,
    evaluated_at timestamptz NOT NULL
);
GRANT SELECT ON quota.alert_rule_state TO quota_viewer;

-- The recent samples of the metric series the rules read (core/alerting's SeriesStore::toJson),
-- saved by `quotactl alerts evaluate --once` so that the next run, a minute later, computes its
-- rates from them instead of from two scrapes of its own.
CREATE TABLE quota.alert_evaluator_series (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    series jsonb NOT NULL,
    saved_at timestamptz NOT NULL
);
GRANT SELECT ON quota.alert_evaluator_series TO quota_viewer;

-- The session-level advisory lock every evaluator holds while it evaluates:
-- SELECT pg_try_advisory_lock(quota.alert_evaluator_lock_key()).
CREATE FUNCTION quota.alert_evaluator_lock_key() RETURNS bigint
LANGUAGE sql IMMUTABLE AS $$
    SELECT 31915942449869428::bigint -- 0x7163616c657274, "qcalert"
$$;

-- The session holding the evaluator lock (pid, role, application, since), NULL when free.
CREATE FUNCTION quota.alert_evaluator_lock_holder() RETURNS jsonb
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = quota, pg_temp AS $$
    SELECT jsonb_build_object('pid', l.pid, 'role', a.usename, 'application', a.application_name,
                              'client', coalesce(host(a.client_addr), 'local'),
                              'since', quota.format_time(a.backend_start))
    FROM pg_locks l
    LEFT JOIN pg_stat_activity a ON a.pid = l.pid
    WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
      AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND ((l.classid::bigint << 32) | l.objid::bigint) = quota.alert_evaluator_lock_key()
    LIMIT 1
$$;

CREATE FUNCTION quota.alert_evaluator_lock_held() RETURNS boolean
LANGUAGE sql STABLE SET search_path = quota, pg_temp AS $$
    SELECT EXISTS (
        SELECT 1 FROM pg_locks l
        WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 AND l.pid = pg_backend_pid()
          AND ((l.classid::bigint << 32) | l.objid::bigint) = quota.alert_evaluator_lock_key())
$$;

-- One evaluation's outcome, applied in one transaction:
--   p_rules   the rules that were evaluated (alerts of other rules are not touched);
--   p_active  their pending and firing alerts, as core/alerting's alertToJson writes them:
--             {rule, severity, labels, annotations, fingerprint, state, active_at_ms,
--              fired_at_ms, value};
--   p_at      the evaluation time;
--   p_series  when not NULL, the samples to keep for the next run (alert_evaluator_series).
-- A firing alert without an open row (firing or acknowledged) of its fingerprint opens one;
-- one that has a row leaves it as it is (an acknowledged alert stays acknowledged, and its
-- version does not move, so an operator's form does not go stale). Open rows of p_rules whose
-- fingerprint is not firing any more are resolved. Returns {"opened": [...], "resolved": [...]}
-- with id, rule and fingerprint of each.
CREATE FUNCTION quota.sync_alerts(p_rules text[], p_active jsonb, p_at timestamptz,
                                  p_series jsonb DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = quota, pg_temp AS $$
DECLARE
    a jsonb;
    i integer := 0;
    v_id bigint;
    v_row record;
    v_opened jsonb := '[]';
    v_resolved jsonb := '[]';
    v_firing text[] := '{}';
BEGIN
    PERFORM quota.require_role('quota_evaluator', 'sync_alerts');
    IF NOT quota.alert_evaluator_lock_held() THEN
        RAISE EXCEPTION 'sync_alerts: this session does not hold the alert evaluator lock'
            USING ERRCODE = 'lock_not_available',
                  HINT = 'Take it first: SELECT pg_try_advisory_lock(quota.alert_evaluator_lock_key()).';
    END IF;
    IF p_at IS NULL OR p_rules IS NULL THEN
        RAISE EXCEPTION 'sync_alerts: p_rules and p_at are required' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_active IS NULL OR jsonb_typeof(p_active) <> 'array' THEN
        RAISE EXCEPTION 'sync_alerts: p_active must be a JSON array of alerts, not %', coalesce(jsonb_typeof(p_active), 'NULL')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOR a IN SELECT value FROM jsonb_array_elements(p_active) LOOP
        IF jsonb_typeof(a) <> 'object' OR NOT coalesce(a->>'rule' = ANY (p_rules), false)
           OR coalesce(a->>'fingerprint', '') = '' OR jsonb_typeof(a->'labels') IS DISTINCT FROM 'object'
           OR NOT coalesce(a->>'severity' IN ('info', 'warning', 'critical'), false)
           OR NOT coalesce(a->>'state' IN ('pending', 'firing'), false)
           OR jsonb_typeof(a->'active_at_ms') IS DISTINCT FROM 'number' THEN
            RAISE EXCEPTION 'sync_alerts: p_active[%] is not an alert of one of the evaluated rules: %', i, left(a::text, 200)
                USING ERRCODE = 'invalid_parameter_value',
                      HINT = 'Each element needs rule (one of p_rules), fingerprint, labels, severity info|warning|critical, state pending|firing and active_at_ms.';
        END IF;
        i := i + 1;
        IF a->>'state' = 'firing' THEN
            v_firing := v_firing || (a->>'fingerprint');
            INSERT INTO quota.alerts (rule, labels, annotations, severity, state, fingerprint, starts_at,
                                      updated_by, updated_at)
            VALUES (a->>'rule', a->'labels', coalesce(a->'annotations', '{}'), a->>'severity', 'firing',
                    a->>'fingerprint',
                    coalesce(to_timestamp(nullif((a->>'fired_at_ms')::double precision, 0) / 1000), p_at),
                    session_user, now())
            ON CONFLICT (fingerprint) WHERE state <> 'resolved' DO NOTHING
            RETURNING id INTO v_id;
            IF FOUND THEN
                v_opened := v_opened || jsonb_build_object('id', v_id, 'rule', a->>'rule',
                                                           'fingerprint', a->>'fingerprint');
            END IF;
        END IF;
    END LOOP;

    FOR v_row IN
        UPDATE quota.alerts
        SET state = 'resolved', ends_at = p_at, version = version + 1, updated_by = session_user,
            updated_at = now()
        WHERE state <> 'resolved' AND rule = ANY (p_rules) AND NOT (fingerprint = ANY (v_firing))
        RETURNING id, rule, fingerprint
    LOOP
        v_resolved := v_resolved || jsonb_build_object('id', v_row.id, 'rule', v_row.rule,
                                                       'fingerprint', v_row.fingerprint);
    END LOOP;

    DELETE FROM quota.alert_rule_state WHERE rule = ANY (p_rules);
    INSERT INTO quota.alert_rule_state (fingerprint, rule, labels, severity, state, active_at, fired_at,
                                        value, evaluated_at)
    SELECT e->>'fingerprint', e->>'rule', e->'labels', e->>'severity', e->>'state',
           to_timestamp((e->>'active_at_ms')::double precision / 1000),
           to_timestamp(nullif((e->>'fired_at_ms')::double precision, 0) / 1000),
           (e->>'value')::double precision, p_at
    FROM jsonb_array_elements(p_active) e
    ON CONFLICT (fingerprint) DO NOTHING;

    IF p_series IS NOT NULL THEN
        IF jsonb_typeof(p_series) <> 'array' THEN
            RAISE EXCEPTION 'sync_alerts: p_series must be a JSON array of series, not %', jsonb_typeof(p_series)
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        INSERT INTO quota.alert_evaluator_series (series, saved_at) VALUES (p_series, p_at)
        ON CONFLICT (singleton) DO UPDATE SET series = excluded.series, saved_at = excluded.saved_at;
    END IF;

    RETURN jsonb_build_object('opened', v_opened, 'resolved', v_resolved);
END;
$$;

REVOKE ALL ON FUNCTION quota.alert_evaluator_lock_key(), quota.alert_evaluator_lock_holder(),
    quota.alert_evaluator_lock_held(), quota.sync_alerts(text[], jsonb, timestamptz, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION quota.alert_evaluator_lock_key(), quota.alert_evaluator_lock_holder()
    TO quota_viewer;
GRANT EXECUTE ON FUNCTION quota.sync_alerts(text[], jsonb, timestamptz, jsonb) TO quota_evaluator;
