-- lifeloop_lock_users, and each person's stored state in the same round trip (a batch's people are
-- locked, then read, before any of them is stepped).
CREATE OR REPLACE FUNCTION lifeloop_lock_and_load(ids text[]) RETURNS TABLE (user_id text, state text) AS $$
BEGIN
  PERFORM lifeloop_lock_users(ids);
  RETURN QUERY SELECT u.user_id, u.state FROM users u WHERE u.user_id = ANY(ids);
END
$$ LANGUAGE plpgsql;
