-- the top earners of all time (ranking snapshots): $1 how many
-- Composed by the code beside this file; UPDATE_SQL_SNAPSHOTS=1 npx jest src/sql-files.spec.ts rewrites it.
SELECT c.owner_id, c.earned_total AS amount
              FROM user_currencies c JOIN users u ON u.id = c.owner_id
             WHERE c.earned_total > 0 AND u.cancelled_at IS NULL AND u.disabled_at IS NULL 
             ORDER BY c.earned_total DESC, c.owner_id LIMIT $1
