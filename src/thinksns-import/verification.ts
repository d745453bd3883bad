import type { Pool } from 'pg';
import { runSql } from '../database/sql';
import { STATE_SCHEMA } from './import-state';
import { ADJUSTMENT_TARGET } from './ledger-plan';
import { ThinksnsSource } from './source';

/** One line of the final check: source = target + reported, or a named invariant that holds. */
export interface Check {
  name: string;
  source: number;
  target: number;
  reported: number;
  ok: boolean;
}

const IMPORTED = `(SELECT source_id FROM ${STATE_SCHEMA}.imported_users)`;

/**
 * Compares the source with what was imported, table by table: every source row is either in this service or named in
 * the report; balances total the same; every imported balance equals its ledger and every counter its rows.
 */
export async function verifyImport(source: ThinksnsSource, target: Pool, mappedRoleIds: number[]): Promise<Check[]> {
  const one = async (sql: string, values: unknown[] = []) => Number((await runSql(target, sql, values)).rows[0].n);
  const reported = (table: string) => one(`SELECT count(*) AS n FROM ${STATE_SCHEMA}.report WHERE source_table = $1 AND action = 'skipped'`, [table]);
  const rowCheck = async (name: string, sourceCount: number, targetSql: string, reportTable = name): Promise<Check> => {
    const [t, r] = [await one(targetSql), await reported(reportTable)];
    return { name, source: sourceCount, target: t, reported: r, ok: sourceCount === t + r };
  };
  const checks: Check[] = [];
  checks.push(await rowCheck('users', await source.count('users'), `SELECT count(*) AS n FROM ${STATE_SCHEMA}.imported_users`));
  checks.push(
    await rowCheck(
      'user_follow',
      await source.count('user_follow'),
      `SELECT count(*) AS n FROM follows WHERE follower_id IN ${IMPORTED} AND followee_id IN ${IMPORTED}`,
    ),
  );
  checks.push(await rowCheck('certifications', await source.count('certifications'), `SELECT count(*) AS n FROM verifications WHERE user_id IN ${IMPORTED}`));
  for (const [table, ledger] of [
    ['currency_orders', 'currency_ledger'],
    ['wallet_orders', 'wallet_ledger'],
  ]) {
    checks.push(
      await rowCheck(
        table,
        await source.count(table),
        `SELECT count(*) AS n FROM ${ledger} WHERE owner_id IN ${IMPORTED} AND target_type <> '${ADJUSTMENT_TARGET}'`,
      ),
    );
  }
  const mappedMembers = mappedRoleIds.length ? await source.count('role_user', `WHERE role_id IN (${mappedRoleIds.map(Number).join(', ')})`) : 0;
  checks.push(await rowCheck('role_user', mappedMembers, `SELECT count(*) AS n FROM user_roles WHERE user_id IN ${IMPORTED}`));
  checks.push(
    await rowCheck('users_recommended', await source.count('users_recommended'), `SELECT count(*) AS n FROM recommended_users WHERE user_id IN ${IMPORTED}`),
  );

  const { rows: skipped } = await runSql(target, `SELECT source_key FROM ${STATE_SCHEMA}.report WHERE source_table = 'users' AND action = 'skipped'`);
  const skippedIds = skipped.map((r) => Number(r.source_key));
  for (const [book, sql] of [
    ['points', `SELECT coalesce(sum(sum), 0) AS n FROM user_currencies WHERE owner_id IN ${IMPORTED}`],
    ['wallet', `SELECT coalesce(sum(balance), 0) AS n FROM wallets WHERE owner_id IN ${IMPORTED}`],
  ] as const) {
    const [s, t] = [await source.balanceTotal(book, skippedIds), await one(sql)];
    checks.push({ name: `${book} balance total`, source: s, target: t, reported: 0, ok: s === t });
  }
  const invariants: Array<[string, string]> = [
    [
      'points balance = ledger',
      `SELECT count(*) AS n FROM user_currencies c LEFT JOIN (SELECT owner_id, sum(type * amount) AS net FROM currency_ledger GROUP BY owner_id) l
       ON l.owner_id = c.owner_id WHERE c.owner_id IN ${IMPORTED} AND c.sum <> coalesce(l.net, 0)`,
    ],
    [
      'wallet balance = ledger',
      `SELECT count(*) AS n FROM wallets w LEFT JOIN (SELECT owner_id, sum(type * amount) AS net,
         coalesce(sum(amount) FILTER (WHERE type = 1), 0) AS income, coalesce(sum(amount) FILTER (WHERE type = -1), 0) AS expenses
         FROM wallet_ledger GROUP BY owner_id) l ON l.owner_id = w.owner_id
       WHERE w.owner_id IN ${IMPORTED} AND (w.balance <> coalesce(l.net, 0) OR w.total_income <> coalesce(l.income, 0) OR w.total_expenses <> coalesce(l.expenses, 0))`,
    ],
    [
      'follow counters = rows',
      `SELECT count(*) AS n FROM user_extras e WHERE e.user_id IN ${IMPORTED}
       AND (e.followers_count <> (SELECT count(*) FROM follows f WHERE f.followee_id = e.user_id)
         OR e.followings_count <> (SELECT count(*) FROM follows f WHERE f.follower_id = e.user_id))`,
    ],
  ];
  for (const [name, sql] of invariants) {
    const broken = await one(sql);
    checks.push({ name, source: 0, target: broken, reported: 0, ok: broken === 0 });
  }
  return checks;
}
