import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Pool } from 'pg';
import { PiiCipher } from '../common/crypto/pii-cipher';
import { FileStore } from '../storage/file-store';
import { runSql } from '../database/sql';
import { FileCopier } from './file-copier';
import { prepareState, STATE_SCHEMA } from './import-state';
import { importFollows, importRecommended, importRoles, moveUserSequence, recomputeFollowCounters, reportOrphans, reportUnported } from './relations';
import { ThinksnsSource, UserRelations } from './source';
import { BatchContext, BatchOutcome, importUserBatch, isDataError, reportFailedUser } from './user-batch';
import { SourceUser } from './user-plan';
import { Check, verifyImport } from './verification';

export type ImportStage = 'users' | 'follows' | 'verification';

export interface ImportOptions {
  source: ThinksnsSource;
  target: Pool;
  cipher: PiiCipher;
  /** the original's `storage/app` folder (null: images are reported missing) */
  storageFrom: string | null;
  /** this service's file store (STORAGE_DRIVER) */
  files: FileStore;
  /** where the report goes (JSON lines) */
  reportPath: string;
  /** users per transaction (default 500) */
  batchSize?: number;
  progress?: (done: number, total: number, stage: ImportStage) => void;
  /** test hook: after this many users are in, the next batch calls `crash` before its commit */
  crashAfterUsers?: number;
  crash?: () => void;
}

export interface ImportOutcome {
  users: { imported: number; skipped: number; already: number };
  checks: Check[];
  /** report entries by action and reason, over every run so far */
  reasons: Array<{ source_table: string; action: string; reason: string; n: number }>;
  ok: boolean;
}

/** Serialises imports into one database: a second run waits for none, it refuses. */
export const IMPORT_LOCK_KEY = 0x7453_6e73;

export async function importThinksns(options: ImportOptions): Promise<ImportOutcome> {
  const { source, target } = options;
  const batchSize = options.batchSize ?? 500;
  const progress = options.progress ?? (() => undefined);
  const lock = await target.connect();
  try {
    const {
      rows: [{ locked }],
    } = await runSql(lock, 'SELECT pg_try_advisory_lock($1) AS locked', [IMPORT_LOCK_KEY]);
    if (!locked) throw new Error('another import into this database is running');
    await source.open();
    await prepareState(target);
    await reportUnported(source, target);
    await reportOrphans(source, target);
    const roleMap = await importRoles(source, target);

    const files = new FileCopier(options.storageFrom, options.files);
    const totalUsers = await source.count('users');
    const users = { imported: 0, skipped: 0, already: 0 };
    progress(0, totalUsers, 'users');
    // The next batch is read from MySQL while the current one is written to PostgreSQL.
    let next = readBatch(source, 0, batchSize);
    for (;;) {
      const { batch, relations } = await next;
      if (!batch.length) break;
      next = readBatch(source, batch[batch.length - 1].id, batchSize);
      next.catch(() => undefined); // awaited on the next turn; a failure then stops the import
      const crashing = options.crashAfterUsers !== undefined && users.imported >= options.crashAfterUsers;
      const ctx = { source, target, cipher: options.cipher, files, roleMap, beforeCommit: crashing ? options.crash : undefined };
      const outcome = await importBatchOrEachUser(ctx, batch, relations ?? undefined);
      users.imported += outcome.imported;
      users.skipped += outcome.skipped;
      users.already += outcome.already;
      progress(users.imported + users.skipped + users.already, totalUsers, 'users');
    }
    await importFollows(source, target, batchSize * 20, (done, total) => progress(done, total, 'follows'));
    await importRecommended(source, target);
    await recomputeFollowCounters(target);
    await moveUserSequence(target);

    progress(0, 1, 'verification');
    const checks = await verifyImport(source, target, [...roleMap.keys()]);
    progress(1, 1, 'verification');
    await writeReportFile(target, options.reportPath);
    const { rows: reasons } = await runSql<{ source_table: string; action: string; reason: string; n: number }>(
      target,
      `SELECT source_table, action, reason, count(*)::int AS n FROM ${STATE_SCHEMA}.report GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    );
    return { users, checks, reasons, ok: checks.every((c) => c.ok) };
  } finally {
    await runSql(lock, 'SELECT pg_advisory_unlock($1)', [IMPORT_LOCK_KEY]).catch(() => undefined);
    lock.release();
  }
}

/** The next users after `afterId` and every row they own. */
async function readBatch(source: ThinksnsSource, afterId: number, size: number) {
  const batch = await source.users(afterId, size);
  return { batch, relations: batch.length ? await source.relations(batch.map((u) => u.id)) : null };
}

/**
 * A batch PostgreSQL refuses for its data (a value no rule here foresaw) is retried user by user, so one bad user
 * is skipped and reported instead of stopping the import or taking its batch with it.
 */
async function importBatchOrEachUser(ctx: BatchContext, batch: SourceUser[], relations?: UserRelations): Promise<BatchOutcome> {
  try {
    return await importUserBatch(ctx, batch, relations);
  } catch (error) {
    if (!isDataError(error)) throw error;
  }
  const total: BatchOutcome = { imported: 0, skipped: 0, already: 0 };
  for (const user of batch) {
    try {
      const one = await importUserBatch(ctx, [user]);
      total.imported += one.imported;
      total.skipped += one.skipped;
      total.already += one.already;
    } catch (error) {
      if (!isDataError(error)) throw error;
      await reportFailedUser(ctx, user, error);
      total.skipped++;
    }
  }
  return total;
}

/** Every report entry of every run so far, one JSON object a line, in the order they were found. */
async function writeReportFile(target: Pool, path: string): Promise<void> {
  const out = createWriteStream(path);
  let lastId = 0;
  for (;;) {
    const { rows } = await runSql<{ id: number } & Record<string, unknown>>(
      target,
      `SELECT id, source_table, source_key, user_id, action, reason, detail FROM ${STATE_SCHEMA}.report WHERE id > $1 ORDER BY id LIMIT 10000`,
      [lastId],
    );
    if (!rows.length) break;
    lastId = rows[rows.length - 1].id;
    for (const { id: _id, ...entry } of rows) {
      if (!out.write(`${JSON.stringify(entry)}\n`)) await once(out, 'drain');
    }
  }
  out.end();
  await once(out, 'finish');
}
