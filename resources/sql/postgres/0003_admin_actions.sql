-- Audited admin actions (docs/database.md "Admin actions"). Every action:
--   * checks the caller's role (session_user must be a member of quota_operator or quota_admin),
--   * is idempotent per client action id: a retry returns the first result and applies nothing,
--   * locks the row it changes and compares the version the caller last saw (a stale form gets
--     SQLSTATE QC409 "conflict: changed by <who> at <when>", never a silent overwrite),
--   * writes one hash-chained audit row in the same transaction,
--   * returns a JSON object: {"audit_id", "client_action_id", "replayed", "result"}.
-- SQLSTATEs: 42501 not allowed for the caller's role, 22023 invalid argument (names the
-- argument), P0002 target row not found, QC409 stale version / state already changed,
-- QC422 a client action id reused for a different action.

-- Raises 42501 unless session_user is a member of p_role (membership is inherited:
-- quota_admin includes quota_operator includes quota_viewer).
CREATE FUNCTION quota.require_role(p_role text, p_action text) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = quota, pg_temp AS $$
BEGIN
    IF NOT pg_has_role(session_user, p_role, 'MEMBER') THEN
        RAISE EXCEPTION 'permission denied: % requires role %, which % does not have', p_action, p_role, session_user
            USING ERRCODE = 'insufficient_privilege',
                  HINT = format('Ask an administrator to GRANT %s TO %s.', p_role, session_user);
    END IF;
END;
$$;

CREATE FUNCTION quota.require_text(p_value text, p_argument text, p_action text) RETURNS void
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF p_value IS NULL OR btrim(p_value) = '' THEN
        RAISE EXCEPTION '%: % is required', p_action, p_argument USING ERRCODE = 'invalid_parameter_value';
    END IF;
END;
$$;

CREATE FUNCTION quota.format_time(p_ts timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT to_char(p_ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
$$;

CREATE FUNCTION quota.raise_conflict(p_what text, p_by text, p_at timestamptz, p_current_version bigint,
                                     p_expected_version bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'conflict: changed by % at %', coalesce(p_by, 'unknown'), coalesce(quota.format_time(p_at), 'unknown time')
        USING ERRCODE = 'QC409',
              DETAIL = format('The current version of %s is %s; the request expected version %s.', p_what,
                              p_current_version, p_expected_version),
              HINT = 'Reload, review the change and try again.';
END;
$$;

-- The replay of a finished action, or NULL when the id is new. Serializes concurrent
-- retries of the same id: the second waits for the first to commit, then replays it.
CREATE FUNCTION quota.audit_replay(p_client_action_id text, p_action text) RETURNS jsonb
LANGUAGE plpgsql SET search_path = quota, pg_temp AS $$
DECLARE
    a quota.admin_audit_log;
BEGIN
    PERFORM quota.require_text(p_client_action_id, 'client action id', p_action);
    PERFORM pg_advisory_xact_lock(hashtext('quota.admin_audit_log'), hashtext(p_client_action_id));
    SELECT * INTO a FROM quota.admin_audit_log WHERE client_action_id = p_client_action_id;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    IF a.action <> p_action THEN
        RAISE EXCEPTION 'client action id % was already used for % on %', p_client_action_id, a.action, a.target
            USING ERRCODE = 'QC422', HINT = 'Use a new client action id for a new action.';
    END IF;
    RETURN jsonb_build_object('audit_id', a.id, 'client_action_id', a.client_action_id,
                              'replayed', true, 'result', a.result);
END;
$$;

CREATE FUNCTION quota.audit(p_client_action_id text, p_action text, p_target text, p_reason text,
                            p_before jsonb, p_after jsonb, p_result jsonb) RETURNS jsonb
LANGUAGE plpgsql SET search_path = quota, pg_temp AS $$
DECLARE
    v_id bigint;
BEGIN
    INSERT INTO quota.admin_audit_log (action, target, reason, before, after, result, client_action_id, hash)
    VALUES (p_action, p_target, p_reason, p_before, p_after, p_result, p_client_action_id, '')
    RETURNING id INTO v_id;
    RETURN jsonb_build_object('audit_id', v_id, 'client_action_id', p_client_action_id,
                              'replayed', false, 'result', p_result);
END;
$$;

-- ---------------------------------------------------------------------------------------------

-- Changes a user's plan at p_at (docs/enforcement.md §6). p_expected_version: the subscription
-- version the admin saw (NULL or 0 when the user had none yet).
CREATE FUNCTION quota.change_plan(p_client_action_id text, p_user text, p_plan text,
                                  p_expected_version bigint, p_reason text,
                                  p_at timestamptz DEFAULT now(), p_grace interval DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = quota, pg_temp AS $$
DECLARE
    v_replay jsonb;
    s quota.subscriptions;
    v_after quota.subscriptions;
BEGIN
    PERFORM quota.require_role('quota_admin', 'change_plan');
    v_replay := quota.audit_replay(p_client_action_id, 'change_plan');
    IF v_replay IS NOT NULL THEN
        RETURN v_replay;
    END IF;
    PERFORM quota.require_text(p_user, 'user id', 'change_plan');
    PERFORM quota.require_text(p_plan, 'plan', 'change_plan');
    PERFORM quota.require_text(p_reason, 'reason', 'change_plan');

    SELECT * INTO s FROM quota.subscriptions WHERE user_id = p_user FOR UPDATE;
    IF FOUND AND p_expected_version IS NOT NULL AND s.version <> p_expected_version THEN
        PERFORM quota.raise_conflict(format('the subscription of %s', p_user), s.updated_by, s.updated_at,
                                     s.version, p_expected_version);
    ELSIF NOT FOUND AND coalesce(p_expected_version, 0) <> 0 THEN
        RAISE EXCEPTION 'change_plan: user % has no subscription (expected version %)', p_user, p_expected_version
            USING ERRCODE = 'no_data_found';
    END IF;

    v_after := quota.apply_plan_change(p_user, p_plan, p_at, p_grace, p_reason);
    RETURN quota.audit(p_client_action_id, 'change_plan', 'user:' || p_user, p_reason,
                       CASE WHEN s.user_id IS NULL THEN NULL ELSE to_jsonb(s) END, to_jsonb(v_after),
                       to_jsonb(v_after));
END;
$$;

-- Blocks an ip (one address), a network (CIDR) or a user from p_from until p_until (NULL =
-- permanent). Addresses are stored in PostgreSQL's canonical text form.
CREATE FUNCTION quota.block(p_client_action_id text, p_target text, p_value text, p_reason text,
                            p_until timestamptz DEFAULT NULL, p_from timestamptz DEFAULT now())
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = quota, pg_temp AS $$
DECLARE
    v_replay jsonb;
    v_value text;
    v_inet inet;
    b quota.blocked_identifiers;
BEGIN
    PERFORM quota.require_role('quota_operator', 'block');
    v_replay := quota.audit_replay(p_client_action_id, 'block');
    IF v_replay IS NOT NULL THEN
        RETURN v_replay;
    END IF;
    PERFORM quota.require_text(p_value, 'value', 'block');
    PERFORM quota.require_text(p_reason, 'reason', 'block');
    IF p_from IS NULL THEN
        RAISE EXCEPTION 'block: the start time is required' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_until IS NOT NULL AND p_until <= p_from THEN
        RAISE EXCEPTION 'block: the end % is not after the start %', quota.format_time(p_until), quota.format_time(p_from)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;

    CASE p_target
    WHEN 'ip' THEN
        BEGIN
            v_inet := btrim(p_value)::inet;
        EXCEPTION WHEN invalid_text_representation THEN
            RAISE EXCEPTION 'block: "%" is not an IP address; use e.g. 203.0.113.7 or 2001:db8::1', p_value
                USING ERRCODE = 'invalid_parameter_value';
        END;
        IF masklen(v_inet) <> (CASE family(v_inet) WHEN 4 THEN 32 ELSE 128 END) THEN
            RAISE EXCEPTION 'block: "%" is a network; block it with target network', p_value
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        -- An IPv4-mapped IPv6 address is the IPv4 address (docs/enforcement.md §2).
        IF family(v_inet) = 6 AND v_inet << inet '::ffff:0:0/96' THEN
            v_inet := (split_part(host(v_inet), ':', 4))::inet;
        END IF;
        v_value := host(v_inet);
    WHEN 'network' THEN
        BEGIN
            v_value := btrim(p_value)::cidr::text;
        EXCEPTION WHEN invalid_text_representation OR invalid_binary_representation THEN
            RAISE EXCEPTION 'block: "%" is not a network; use e.g. 198.51.100.0/24 or 2001:db8:1:2::/64 (no bits set after the prefix)', p_value
                USING ERRCODE = 'invalid_parameter_value';
        END;
    WHEN 'user' THEN
        v_value := p_value;
    ELSE
        RAISE EXCEPTION 'block: target "%" is not one of ip, network, user', p_target
            USING ERRCODE = 'invalid_parameter_value';
    END CASE;

    INSERT INTO quota.blocked_identifiers (target, value, blocked_from, blocked_until, reason, source)
    VALUES (p_target, v_value, p_from, p_until, p_reason, 'manual')
    RETURNING * INTO b;
    RETURN quota.audit(p_client_action_id, 'block', p_target || ':' || v_value, p_reason, NULL,
                       to_jsonb(b), to_jsonb(b));
END;
$$;

-- Lifts a block at p_at.
CREATE FUNCTION quota.unblock(p_client_action_id text, p_block_id bigint, p_expected_version bigint,
                              p_reason text, p_at timestamptz DEFAULT now())
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = quota, pg_temp AS $$
DECLARE
    v_replay jsonb;
    b quota.blocked_identifiers;
    v_after quota.blocked_identifiers;
BEGIN
    PERFORM quota.require_role('quota_operator', 'unblock');
    v_replay := quota.audit_replay(p_client_action_id, 'unblock');
    IF v_replay IS NOT NULL THEN
        RETURN v_replay;
    END IF;
    PERFORM quota.require_text(p_reason, 'reason', 'unblock');

    SELECT * INTO b FROM quota.blocked_identifiers WHERE id = p_block_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unblock: there is no block %', p_block_id USING ERRCODE = 'no_data_found';
    END IF;
    IF p_expected_version IS NOT NULL AND b.version <> p_expected_version THEN
        PERFORM quota.raise_conflict(format('block %s', p_block_id), coalesce(b.unblocked_by, b.created_by),
                                     coalesce(b.unblocked_at, b.created_at), b.version, p_expected_version);
    END IF;
    IF b.unblocked_at IS NOT NULL THEN
        PERFORM quota.raise_conflict(format('block %s (already lifted)', p_block_id), b.unblocked_by,
                                     b.unblocked_at, b.version, p_expected_version);
    END IF;

    UPDATE quota.blocked_identifiers
    SET unblocked_by = session_user, unblocked_at = coalesce(p_at, now()), version = version + 1
    WHERE id = p_block_id
    RETURNING * INTO v_after;
    RETURN quota.audit(p_client_action_id, 'unblock', b.target || ':' || b.value, p_reason, to_jsonb(b),
                       to_jsonb(v_after), to_jsonb(v_after));
END;
$$;

CREATE FUNCTION quota.set_alert_acknowledged(p_client_action_id text, p_action text, p_alert_id bigint,
                                             p_expected_version bigint, p_note text, p_acknowledge boolean)
RETURNS jsonb
LANGUAGE plpgsql SET search_path = quota, pg_temp AS $$
DECLARE
    v_replay jsonb;
    a quota.alerts;
    v_after quota.alerts;
BEGIN
    PERFORM quota.require_role('quota_operator', p_action);
    v_replay := quota.audit_replay(p_client_action_id, p_action);
    IF v_replay IS NOT NULL THEN
        RETURN v_replay;
    END IF;
    SELECT * INTO a FROM quota.alerts WHERE id = p_alert_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION '%: there is no alert %', p_action, p_alert_id USING ERRCODE = 'no_data_found';
    END IF;
    IF p_expected_version IS NOT NULL AND a.version <> p_expected_version THEN
        PERFORM quota.raise_conflict(format('alert %s', p_alert_id), a.updated_by, a.updated_at, a.version,
                                     p_expected_version);
    END IF;
    IF a.state <> (CASE WHEN p_acknowledge THEN 'firing' ELSE 'acknowledged' END) THEN
        PERFORM quota.raise_conflict(format('alert %s (now %s)', p_alert_id, a.state), a.updated_by,
                                     a.updated_at, a.version, p_expected_version);
    END IF;

    IF p_acknowledge THEN
        UPDATE quota.alerts
        SET state = 'acknowledged', acknowledged_by = session_user, acknowledged_at = now(),
            acknowledge_note = p_note, version = version + 1, updated_by = session_user, updated_at = now()
        WHERE id = p_alert_id RETURNING * INTO v_after;
    ELSE
        UPDATE quota.alerts
        SET state = 'firing', acknowledged_by = NULL, acknowledged_at = NULL, acknowledge_note = NULL,
            version = version + 1, updated_by = session_user, updated_at = now()
        WHERE id = p_alert_id RETURNING * INTO v_after;
    END IF;
    RETURN quota.audit(p_client_action_id, p_action, 'alert:' || p_alert_id, p_note, to_jsonb(a),
                       to_jsonb(v_after), to_jsonb(v_after));
END;
$$;

CREATE FUNCTION quota.acknowledge_alert(p_client_action_id text, p_alert_id bigint,
                                        p_expected_version bigint, p_note text DEFAULT NULL)
RETURNS jsonb
LANGUAGE sql SECURITY DEFINER SET search_path = quota, pg_temp AS $$
    SELECT quota.set_alert_acknowledged(p_client_action_id, 'acknowledge_alert', p_alert_id,
                                        p_expected_version, p_note, true)
$$;

CREATE FUNCTION quota.unacknowledge_alert(p_client_action_id text, p_alert_id bigint,
                                          p_expected_version bigint, p_note text DEFAULT NULL)
RETURNS jsonb
LANGUAGE sql SECURITY DEFINER SET search_path = quota, pg_temp AS $$
    SELECT quota.set_alert_acknowledged(p_client_action_id, 'unacknowledge_alert', p_alert_id,
                                        p_expected_version, p_note, false)
$$;

-- ---------------------------------------------------------------------------------------------
-- Policy rollout. The JSON is validated by core/policy before it gets here; the database only
-- insists on what it depends on itself (version 1, named plans).

CREATE FUNCTION quota.create_policy_version(p_client_action_id text, p_policy jsonb, p_reason text)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = quota, pg_temp AS $$
DECLARE
    v_replay jsonb;
    v quota.policy_versions;
BEGIN
    PERFORM quota.require_role('quota_admin', 'create_policy_version');
    v_replay := quota.audit_replay(p_client_action_id, 'create_policy_version');
    IF v_replay IS NOT NULL THEN
        RETURN v_replay;
    END IF;
    PERFORM quota.require_text(p_reason, 'reason', 'create_policy_version');
    IF jsonb_typeof(p_policy) IS DISTINCT FROM 'object' OR p_policy -> 'version' IS DISTINCT FROM '1'::jsonb THEN
        RAISE EXCEPTION 'create_policy_version: the policy must be a JSON object with "version": 1'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF jsonb_typeof(p_policy -> 'plans') IS DISTINCT FROM 'array' OR jsonb_array_length(p_policy -> 'plans') = 0
       OR EXISTS (SELECT 1 FROM jsonb_array_elements(p_policy -> 'plans') p WHERE coalesce(p ->> 'name', '') = '') THEN
        RAISE EXCEPTION 'create_policy_version: policy.plans must be a non-empty array of plans with names'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    INSERT INTO quota.policy_versions (policy, reason) VALUES (p_policy, p_reason) RETURNING * INTO v;
    RETURN quota.audit(p_client_action_id, 'create_policy_version', 'policy:' || v.id, p_reason, NULL,
                       jsonb_build_object('id', v.id, 'created_by', v.created_by, 'policy', v.policy),
                       jsonb_build_object('id', v.id, 'version', v.version));
END;
$$;

-- Makes p_id the active version. p_expected_active_id: the version the admin saw active
-- (NULL = no check, 0 = none was active).
CREATE FUNCTION quota.activate_policy_version(p_client_action_id text, p_id bigint,
                                              p_expected_active_id bigint, p_reason text,
                                              p_action text DEFAULT 'activate_policy_version')
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = quota, pg_temp AS $$
DECLARE
    v_replay jsonb;
    v_current quota.policy_versions;
    v_target quota.policy_versions;
    v_after quota.policy_versions;
BEGIN
    IF p_action NOT IN ('activate_policy_version', 'rollback_policy') THEN
        RAISE EXCEPTION 'activate_policy_version: unknown action %', p_action USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM quota.require_role('quota_admin', p_action);
    v_replay := quota.audit_replay(p_client_action_id, p_action);
    IF v_replay IS NOT NULL THEN
        RETURN v_replay;
    END IF;
    PERFORM quota.require_text(p_reason, 'reason', p_action);
    -- One activation at a time; the active row alone cannot be locked while it changes.
    PERFORM pg_advisory_xact_lock(hashtext('quota.policy_versions'), 0);
    SELECT * INTO v_current FROM quota.policy_versions WHERE active FOR UPDATE;
    IF p_expected_active_id IS NOT NULL AND coalesce(v_current.id, 0) <> p_expected_active_id THEN
        RAISE EXCEPTION 'conflict: changed by % at %', coalesce(v_current.activated_by, 'unknown'),
            coalesce(quota.format_time(v_current.activated_at), 'unknown time')
            USING ERRCODE = 'QC409',
                  DETAIL = format('The active policy version is %s, the request expected %s.',
                                  coalesce(v_current.id::text, 'none'), p_expected_active_id),
                  HINT = 'Reload, review the change and try again.';
    END IF;
    SELECT * INTO v_target FROM quota.policy_versions WHERE id = p_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION '%: there is no policy version %', p_action, p_id USING ERRCODE = 'no_data_found';
    END IF;
    IF v_target.active THEN
        RAISE EXCEPTION '%: policy version % is already active', p_action, p_id
            USING ERRCODE = 'QC409';
    END IF;
    UPDATE quota.policy_versions SET active = false, version = version + 1 WHERE id = v_current.id;
    UPDATE quota.policy_versions
    SET active = true, activated_at = now(), activated_by = session_user, version = version + 1
    WHERE id = p_id RETURNING * INTO v_after;
    RETURN quota.audit(p_client_action_id, p_action, 'policy:' || p_id, p_reason,
                       jsonb_build_object('active_id', v_current.id),
                       jsonb_build_object('active_id', v_after.id),
                       jsonb_build_object('active_id', v_after.id, 'previous_active_id', v_current.id));
END;
$$;

-- Re-activates the version that was active before the current one (the most recently
-- activated other version).
CREATE FUNCTION quota.rollback_policy(p_client_action_id text, p_expected_active_id bigint, p_reason text)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = quota, pg_temp AS $$
DECLARE
    v_replay jsonb;
    v_previous bigint;
BEGIN
    PERFORM quota.require_role('quota_admin', 'rollback_policy');
    v_replay := quota.audit_replay(p_client_action_id, 'rollback_policy');
    IF v_replay IS NOT NULL THEN
        RETURN v_replay;
    END IF;
    SELECT id INTO v_previous FROM quota.policy_versions
    WHERE NOT active AND activated_at IS NOT NULL
    ORDER BY activated_at DESC, id DESC LIMIT 1;
    IF v_previous IS NULL THEN
        RAISE EXCEPTION 'rollback_policy: no policy version was active before the current one'
            USING ERRCODE = 'no_data_found';
    END IF;
    RETURN quota.activate_policy_version(p_client_action_id, v_previous, p_expected_active_id, p_reason,
                                         'rollback_policy');
END;
$$;
