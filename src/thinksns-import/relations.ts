import type { Pool } from 'pg';
import { runSql } from '../database/sql';
import { insertRows } from './bulk-insert';
import { inTransaction, STATE_SCHEMA, withdrawSkips, writeReport } from './import-state';
import { ReportEntries } from './report';
import { ThinksnsSource } from './source';

/** The original's admin abilities that mean something here, in this service's names (mobile-api §10). */
const ABILITIES: Record<string, string[]> = {
  'admin:user:show': ['admin:user:show'],
  'admin:user:update': ['admin:user:update'],
  'admin:user:add': ['admin:user:update'],
  'admin:user:delete': ['admin:user:disable'],
};
const FOUNDER = 'founder';

/**
 * Roles: the founder is this service's founder (every ability); another role is created under its name with the
 * abilities that map, when any does. Roles with none (the register role `owner`, …) are reported with their member
 * count and not created. Returns source role id → role id here.
 */
export async function importRoles(source: ThinksnsSource, target: Pool): Promise<Map<number, number>> {
  const roles = await source.roles();
  const map = new Map<number, number>();
  await inTransaction(target, async (client) => {
    const report = new ReportEntries();
    for (const role of roles) {
      const abilities = [...new Set(role.abilities.flatMap((name) => ABILITIES[name] ?? []))];
      for (const name of role.abilities.filter((a) => !ABILITIES[a])) {
        report.skipped('abilities', name.slice(0, 64), null, 'ability_unknown', `held by role ${role.name}; no such ability in this service`);
      }
      if (role.name !== FOUNDER && !abilities.length) {
        report.skipped('roles', role.id, null, 'role_without_known_ability', `${role.name}: its ${role.members} members get no role here`);
        continue;
      }
      const name = role.name.slice(0, 64);
      await runSql(client, 'INSERT INTO roles (name, display_name) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
        name,
        (role.display_name || name).slice(0, 128),
      ]);
      const {
        rows: [row],
      } = await runSql<{ id: number }>(client, 'SELECT id FROM roles WHERE name = $1', [name]);
      if (role.name !== FOUNDER) {
        await runSql(
          client,
          `INSERT INTO role_abilities (role_id, ability_id) SELECT $1, a.id FROM abilities a WHERE a.name = ANY($2) ON CONFLICT DO NOTHING`,
          [row.id, abilities],
        );
      }
      map.set(role.id, row.id);
    }
    await writeReport(client, report.entries);
  });
  return map;
}

/** Rows of per-user tables whose owner is not among the source users: reported, never imported. */
export async function reportOrphans(source: ThinksnsSource, target: Pool): Promise<void> {
  const report = new ReportEntries();
  for (const [table, column] of [
    ['currency_orders', 'owner_id'],
    ['wallet_orders', 'owner_id'],
    ['certifications', 'user_id'],
  ]) {
    for (const row of await source.orphans(table, column)) report.skipped(table, row.id, null, 'owner_missing', `user ${row.owner} does not exist`);
  }
  await inTransaction(target, (client) => writeReport(client, report.entries));
}

/** Source tables with no counterpart here: one report line each, with the row count. */
export async function reportUnported(source: ThinksnsSource, target: Pool): Promise<void> {
  const report = new ReportEntries();
  const tags = await source.count('tags');
  const taggables = await source.count('taggables', "WHERE taggable_type = 'users'");
  if (tags || taggables) {
    report.skipped('tags', '*', null, 'no_tags_table', `${tags} tags and ${taggables} user tags not imported: the importer does not move tags yet`);
  }
  const cashes = await source.count('wallet_cashes');
  if (cashes) {
    report.skipped(
      'wallet_cashes',
      '*',
      null,
      'no_withdrawal_requests_table',
      `${cashes} withdrawal requests not imported; the money they moved is in wallet_orders`,
    );
  }
  const legacy = await source.count('wallets', 'WHERE balance <> 0');
  if (legacy)
    report.skipped('wallets', '*', null, 'legacy_wallet', `${legacy} balances of the pre-2018 wallet table not imported (the original no longer uses it)`);
  await inTransaction(target, (client) => writeReport(client, report.entries));
}

/** Follows between imported users, batch by batch of the source ids; self-follows and orphans reported. */
export async function importFollows(source: ThinksnsSource, target: Pool, batchSize: number, progress: (done: number, total: number) => void): Promise<void> {
  const total = await source.count('user_follow');
  let afterId = 0;
  let done = 0;
  progress(0, total);
  for (;;) {
    const rows = await source.follows(afterId, batchSize);
    if (!rows.length) break;
    afterId = rows[rows.length - 1].id;
    await inTransaction(target, async (client) => {
      const ends = [...new Set(rows.flatMap((r) => [r.user_id, r.target]))];
      const { rows: present } = await runSql<{ source_id: number }>(client, `SELECT source_id FROM ${STATE_SCHEMA}.imported_users WHERE source_id = ANY($1)`, [
        ends,
      ]);
      const imported = new Set<number>(present.map((r) => r.source_id));
      const report = new ReportEntries();
      const follows = rows.filter((row) => {
        if (row.user_id === row.target) report.skipped('user_follow', row.id, row.user_id, 'self_follow');
        else if (!imported.has(row.user_id) || !imported.has(row.target)) {
          const missing = !imported.has(row.user_id) ? row.user_id : row.target;
          report.skipped('user_follow', row.id, null, 'user_not_imported', `user ${missing} is not imported (missing or skipped)`);
        } else return true;
        return false;
      });
      await insertRows(
        client,
        'follows',
        { follower_id: 'bigint', followee_id: 'bigint', created_at: 'timestamptz' },
        follows.map((f) => ({ follower_id: f.user_id, followee_id: f.target, created_at: f.created_at ?? new Date() })),
        'ON CONFLICT DO NOTHING',
      );
      await withdrawSkips(
        client,
        'user_follow',
        follows.map((f) => f.id),
      );
      await writeReport(client, report.entries);
    });
    done += rows.length;
    progress(done, total);
  }
}

/** Recommended users (the original allowed the same user twice: the first row wins). */
export async function importRecommended(source: ThinksnsSource, target: Pool): Promise<void> {
  const rows = await source.recommended();
  await inTransaction(target, async (client) => {
    const { rows: present } = await runSql<{ source_id: number }>(client, `SELECT source_id FROM ${STATE_SCHEMA}.imported_users WHERE source_id = ANY($1)`, [
      rows.map((r) => r.user_id),
    ]);
    const imported = new Set<number>(present.map((r) => r.source_id));
    const seen = new Set<number>();
    const report = new ReportEntries();
    const kept = rows.filter((row) => {
      if (!imported.has(row.user_id)) report.skipped('users_recommended', row.id, null, 'user_not_imported', `user ${row.user_id}`);
      else if (seen.has(row.user_id)) report.skipped('users_recommended', row.id, row.user_id, 'duplicate', 'the user is recommended by an earlier row');
      else return seen.add(row.user_id);
      return false;
    });
    await insertRows(
      client,
      'recommended_users',
      { user_id: 'bigint', created_at: 'timestamptz' },
      kept.map((r) => ({ user_id: r.user_id, created_at: r.created_at ?? new Date() })),
      'ON CONFLICT DO NOTHING',
    );
    await withdrawSkips(
      client,
      'users_recommended',
      kept.map((r) => r.id),
    );
    await writeReport(client, report.entries);
  });
}

/** Follower / following counters of the imported users from the follow rows (never copied from the original). */
export async function recomputeFollowCounters(target: Pool): Promise<void> {
  await runSql(
    target,
    `
    UPDATE user_extras e SET followers_count = c.followers, followings_count = c.followings, updated_at = now()
      FROM (SELECT i.source_id AS id,
                   (SELECT count(*) FROM follows f WHERE f.followee_id = i.source_id)::int AS followers,
                   (SELECT count(*) FROM follows f WHERE f.follower_id = i.source_id)::int AS followings
              FROM ${STATE_SCHEMA}.imported_users i) c
     WHERE e.user_id = c.id AND (e.followers_count <> c.followers OR e.followings_count <> c.followings)`,
  );
}

/** New accounts get ids after the imported ones. */
export async function moveUserSequence(target: Pool): Promise<void> {
  await runSql(target, `SELECT setval(pg_get_serial_sequence('users', 'id'), greatest((SELECT max(id) FROM users), 1))`);
}
