import { Pool } from 'pg';

/**
 * mobile-api §8 / quality §3 "Ledger": for EVERY account in the database, the balance equals the sum of its ledger
 * rows (income − expense), and no ledger row belongs to an account without a balance row. Returns the accounts that
 * break it (empty when all is well), so a test can `expect(...).toEqual([])` and see the culprits when it fails.
 */
export async function ledgerMismatches(db: Pool): Promise<Array<Record<string, unknown>>> {
  const { rows: points } = await db.query(`
    SELECT 'points' AS book, coalesce(c.owner_id, l.owner_id) AS owner_id, c.sum AS balance, coalesce(l.net, 0)::bigint AS ledger
      FROM user_currencies c
      FULL JOIN (SELECT owner_id, sum(type * amount) AS net FROM currency_ledger GROUP BY owner_id) l ON l.owner_id = c.owner_id
     WHERE c.owner_id IS NULL OR c.sum <> coalesce(l.net, 0)`);
  const { rows: money } = await db.query(`
    SELECT 'money' AS book, coalesce(w.owner_id, l.owner_id) AS owner_id, w.balance, coalesce(l.net, 0)::bigint AS ledger,
           w.total_income, coalesce(l.income, 0)::bigint AS ledger_income,
           w.total_expenses, coalesce(l.expenses, 0)::bigint AS ledger_expenses
      FROM wallets w
      FULL JOIN (SELECT owner_id, sum(type * amount) AS net,
                        sum(amount) FILTER (WHERE type = 1) AS income, sum(amount) FILTER (WHERE type = -1) AS expenses
                   FROM wallet_ledger GROUP BY owner_id) l ON l.owner_id = w.owner_id
     WHERE w.owner_id IS NULL OR w.balance <> coalesce(l.net, 0)
        OR w.total_income <> coalesce(l.income, 0) OR w.total_expenses <> coalesce(l.expenses, 0)`);
  return [...points, ...money];
}

/**
 * The ranking's aggregates agree with the points ledger: `user_currencies.earned_total` and the per-day
 * `currency_income_daily` rows both equal the earned income rows (type 1, not `recharge` nor a withdrawal coming back). Only meaningful in a
 * database where no test back-dated or hand-wrote aggregate rows.
 */
export async function earnedIncomeMismatches(db: Pool): Promise<Array<Record<string, unknown>>> {
  const { rows } = await db.query(`
    SELECT c.owner_id, c.earned_total, coalesce(l.earned, 0)::bigint AS ledger_earned, coalesce(d.daily, 0)::bigint AS daily
      FROM user_currencies c
      LEFT JOIN (SELECT owner_id, sum(amount) AS earned FROM currency_ledger
                  WHERE type = 1 AND state = 1 AND target_type NOT IN ('recharge', 'cash') GROUP BY owner_id) l ON l.owner_id = c.owner_id
      LEFT JOIN (SELECT owner_id, sum(amount) AS daily FROM currency_income_daily GROUP BY owner_id) d ON d.owner_id = c.owner_id
     WHERE c.earned_total <> coalesce(l.earned, 0) OR c.earned_total <> coalesce(d.daily, 0)`);
  return rows;
}

/**
 * The kept windows' running totals against a full recomputation from the daily rows: for every built window, each
 * owner's total equals the sum of their daily rows after `as_of - days`. Rows where they differ.
 */
export async function incomeWindowMismatches(db: Pool): Promise<Array<Record<string, unknown>>> {
  const { rows } = await db.query(`
    WITH expected AS (
      SELECT w.days, d.owner_id, sum(d.amount)::bigint AS amount
        FROM currency_income_window_days w JOIN currency_income_daily d ON d.day > w.as_of - w.days
       WHERE w.built_through IS NULL
       GROUP BY w.days, d.owner_id HAVING sum(d.amount) > 0)
    SELECT coalesce(e.days, t.days) AS days, coalesce(e.owner_id, t.owner_id) AS owner_id, e.amount AS expected, t.amount AS kept
      FROM expected e FULL JOIN (SELECT t.* FROM currency_income_windows t JOIN currency_income_window_days w ON w.days = t.days AND w.built_through IS NULL WHERE t.amount > 0) t ON t.days = e.days AND t.owner_id = e.owner_id
     WHERE e.amount IS DISTINCT FROM t.amount`);
  return rows;
}
