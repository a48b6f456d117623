-- Group roles of the console's users (docs/database.md "Roles"). Roles belong to the whole
-- cluster, so they are created only when absent (several quota databases may share a server).
-- People log in with their own LOGIN roles made members of one of these.

DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['quota_viewer', 'quota_operator', 'quota_admin'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
    IF NOT pg_has_role('quota_operator', 'quota_viewer', 'MEMBER') THEN
        GRANT quota_viewer TO quota_operator;
    END IF;
    IF NOT pg_has_role('quota_admin', 'quota_operator', 'MEMBER') THEN
        GRANT quota_operator TO quota_admin;
    END IF;
END;
$$;

-- Nobody writes tables directly: every change goes through an audited function.
REVOKE ALL ON SCHEMA quota FROM PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA quota FROM PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA quota FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA quota FROM PUBLIC;

GRANT USAGE ON SCHEMA quota TO quota_viewer;
GRANT SELECT ON ALL TABLES IN SCHEMA quota TO quota_viewer;
-- Tables of later migrations are readable too (for objects made by the migrating role).
ALTER DEFAULT PRIVILEGES IN SCHEMA quota GRANT SELECT ON TABLES TO quota_viewer;

GRANT EXECUTE ON FUNCTION
    quota.verify_audit_chain(),
    quota.plan_rank(text),
    quota.latency_bucket_bounds(),
    quota.latency_quantile(numeric[], numeric),
    quota.rollup_rows(timestamptz, timestamptz, interval),
    quota.rollup_hour_span(timestamptz, timestamptz, interval),
    quota.top_identifiers(text, timestamptz, timestamptz, integer)
    TO quota_viewer;

GRANT EXECUTE ON FUNCTION
    quota.block(text, text, text, text, timestamptz, timestamptz),
    quota.unblock(text, bigint, bigint, text, timestamptz),
    quota.acknowledge_alert(text, bigint, bigint, text),
    quota.unacknowledge_alert(text, bigint, bigint, text)
    TO quota_operator;

GRANT EXECUTE ON FUNCTION
    quota.change_plan(text, text, text, bigint, text, timestamptz, interval),
    quota.create_policy_version(text, jsonb, text),
    quota.activate_policy_version(text, bigint, bigint, text, text),
    quota.rollback_policy(text, bigint, text)
    TO quota_admin;
