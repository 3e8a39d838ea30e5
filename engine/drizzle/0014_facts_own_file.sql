-- The report's fact tables and report_cursors leave this file for one of their own, beside it
-- (engine.sqlite -> engine.facts.sqlite; drizzle-facts holds its migrations). drizzle-kit wrote
-- DROP TABLE for each of them here; the rows have to be copied out first, which a migration on this
-- file alone cannot do (ATTACH is refused inside its transaction). So this migration only moves
-- drizzle's snapshot on, and the store moves the tables on open, after migrating: copy the rows
-- into the facts file, then drop them here (engine/src/store/sqlite/facts.ts).
SELECT 1;
