-- the viewer's place in a snapshot: $1 key, $2 the viewer
-- Composed by the code beside this file; UPDATE_SQL_SNAPSHOTS=1 npx jest src/sql-files.spec.ts rewrites it.
SELECT mine.amount, (SELECT count(*) FROM income_rank_entries e JOIN users u ON u.id = e.user_id
                             WHERE e.key = $1 AND e.rank <= mine.rank AND u.cancelled_at IS NULL AND u.disabled_at IS NULL) AS position
         FROM income_rank_entries mine WHERE mine.key = $1 AND mine.user_id = $2
