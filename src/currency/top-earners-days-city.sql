-- the top earners of the last days in a city, from the daily rows (a window not kept): $1 city, $2 today, $3 days, $4 how many
-- Composed by the code beside this file; UPDATE_SQL_SNAPSHOTS=1 npx jest src/sql-files.spec.ts rewrites it.
SELECT a.owner_id, a.amount FROM (
            SELECT d.owner_id, sum(d.amount)::bigint AS amount FROM currency_income_daily d
             WHERE d.day > $2::date - $3::int AND d.owner_id IN (SELECT u.id FROM users u WHERE u.city = $1)
             GROUP BY d.owner_id) a
           WHERE a.amount > 0 AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = a.owner_id AND (u.cancelled_at IS NOT NULL OR u.disabled_at IS NOT NULL))
           ORDER BY a.amount DESC, a.owner_id LIMIT $4
