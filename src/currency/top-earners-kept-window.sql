-- the top earners of a kept window of days in a city (ranking snapshots): $1 days, $2 city, $3 how many
-- Composed by the code beside this file; UPDATE_SQL_SNAPSHOTS=1 npx jest src/sql-files.spec.ts rewrites it.
SELECT t.owner_id, t.amount
              FROM currency_income_windows t JOIN users u ON u.id = t.owner_id
             WHERE t.days = $2::int AND t.amount > 0 AND u.cancelled_at IS NULL AND u.disabled_at IS NULL AND u.city = $1
             ORDER BY t.amount DESC, t.owner_id LIMIT $3
