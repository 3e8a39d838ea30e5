-- Per-user serialisation for several workers: transaction-scoped advisory locks, one per person
-- (namespace 1280, key hashtext(user_id)), always taken in ascending key order so two batches
-- that share people wait for each other instead of deadlocking. One round trip for a whole batch.
CREATE OR REPLACE FUNCTION lifeloop_lock_users(ids text[]) RETURNS void AS $$
DECLARE
  k integer;
BEGIN
  FOR k IN SELECT DISTINCT hashtext(id) AS h FROM unnest(ids) AS id ORDER BY h LOOP
    PERFORM pg_advisory_xact_lock(1280, k);
  END LOOP;
END
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- The partitions workers lease, all free at first.
INSERT INTO leases (part, owner, expires_at) SELECT p, NULL, 0 FROM generate_series(0, 31) AS p ON CONFLICT (part) DO NOTHING;
