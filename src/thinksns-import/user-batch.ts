import type { Pool, PoolClient } from 'pg';
import { PiiCipher } from '../common/crypto/pii-cipher';
import { usernameSkeleton } from '../common/validation/username';
import { runSql } from '../database/sql';
import { EXISTING_USER } from '../users/live-user';
import { insertRows } from './bulk-insert';
import { planVerification, TargetVerification } from './certification-plan';
import { CopiedFile, FileCopier } from './file-copier';
import { inTransaction, STATE_SCHEMA, withdrawOwnedSkips, withdrawSkips, writeReport } from './import-state';
import { BookPlan, LedgerRow, planBook, SourceOrder } from './ledger-plan';
import { ReportEntries } from './report';
import { COPIED_COUNTERS, SourceFileWith, ThinksnsSource, UserRelations } from './source';
import { planUser, SourceUser, TakenContacts, TargetUser } from './user-plan';

export interface BatchContext {
  source: ThinksnsSource;
  target: Pool;
  cipher: PiiCipher;
  files: FileCopier;
  /** source role id → this service's role id (roles without a known ability are absent) */
  roleMap: Map<number, number>;
  /** test hook: called after every row of the batch is written, before the commit */
  beforeCommit?: () => void;
}

export interface BatchOutcome {
  imported: number;
  skipped: number;
  already: number;
}

const LEDGER_COLUMNS = {
  owner_id: 'bigint',
  title: 'text',
  body: 'text',
  type: 'smallint',
  target_type: 'text',
  target_id: 'bigint',
  amount: 'bigint',
  created_at: 'timestamptz',
} as const;

/**
 * The live accounts' names (as confusable skeletons), e-mails and phones among the ones this batch wants. Names are
 * matched by skeleton and by lower case: rows written before the skeleton column may not carry one.
 */
async function takenContacts(client: PoolClient, users: SourceUser[]): Promise<TakenContacts> {
  const names = users.flatMap((u) => [u.name?.trim().normalize('NFKC') ?? '', `user_${u.id}`]).filter(Boolean);
  const emails = users.map((u) => u.email?.trim().toLowerCase()).filter((e): e is string => Boolean(e));
  const phones = users.map((u) => u.phone?.replace(/[\s-]/g, '').slice(-11)).filter((p): p is string => Boolean(p));
  const { rows } = await runSql<{ name: string; email: string | null; phone: string | null }>(
    client,
    `SELECT u.name, lower(u.email) AS email, u.phone FROM users u
      WHERE ${EXISTING_USER} AND (u.name_skeleton = ANY($1) OR lower(u.name) = ANY($2) OR lower(u.email) = ANY($3) OR u.phone = ANY($4))`,
    [names.map(usernameSkeleton), names.map((n) => n.toLowerCase()), emails, phones],
  );
  return {
    names: new Set(rows.map((r) => usernameSkeleton(r.name))),
    emails: new Set(rows.map((r) => r.email).filter((e): e is string => Boolean(e))),
    phones: new Set(rows.map((r) => r.phone).filter((p): p is string => Boolean(p))),
  };
}

function byOwner(orders: SourceOrder[]): Map<number, SourceOrder[]> {
  const map = new Map<number, SourceOrder[]>();
  for (const order of orders) {
    const list = map.get(order.owner_id);
    if (list) list.push(order);
    else map.set(order.owner_id, [order]);
  }
  return map;
}

/** Every row of a user the import leaves out, named in the report (nothing is lost silently). */
function reportLeftOut(userId: number, relations: UserRelations, roleMap: Map<number, number>, report: ReportEntries, reason: string): void {
  for (const o of relations.pointOrders.filter((r) => r.owner_id === userId)) report.skipped('currency_orders', o.id, userId, reason);
  for (const o of relations.walletOrders.filter((r) => r.owner_id === userId)) report.skipped('wallet_orders', o.id, userId, reason);
  for (const c of relations.certifications.filter((r) => r.user_id === userId)) report.skipped('certifications', c.id, userId, reason);
  for (const r of relations.roles.filter((r) => r.user_id === userId && roleMap.has(r.role_id)))
    report.skipped('role_user', `${r.user_id}:${r.role_id}`, userId, reason);
}

/**
 * Imports one batch of source users in one transaction: each user with its counters, balances and ledgers, roles,
 * verification and images, or (on any failure) none of them. Users already imported are left alone.
 */
export async function importUserBatch(ctx: BatchContext, batch: SourceUser[], prefetched?: UserRelations): Promise<BatchOutcome> {
  const ids = batch.map((u) => u.id);
  const { rows: done } = await runSql<{ source_id: number }>(ctx.target, `SELECT source_id FROM ${STATE_SCHEMA}.imported_users WHERE source_id = ANY($1)`, [
    ids,
  ]);
  const already = new Set<number>(done.map((r) => r.source_id));
  const todo = batch.filter((u) => !already.has(u.id));
  if (!todo.length) return { imported: 0, skipped: 0, already: already.size };
  // Prefetched relations may hold rows of users imported already: everything below picks rows by planned user.
  const relations = prefetched ?? (await ctx.source.relations(todo.map((u) => u.id)));

  return inTransaction(ctx.target, async (client) => {
    const report = new ReportEntries();
    const { rows: held } = await runSql<{ id: number }>(client, 'SELECT id FROM users WHERE id = ANY($1)', [todo.map((u) => u.id)]);
    const heldIds = new Set<number>(held.map((r) => r.id));
    const taken = await takenContacts(client, todo);
    const users: TargetUser[] = [];
    for (const source of todo) {
      if (heldIds.has(source.id)) {
        report.skipped('users', source.id, null, 'id_taken', 'an account of this service already has this id');
        reportLeftOut(source.id, relations, ctx.roleMap, report, 'owner_not_imported');
        continue;
      }
      users.push(planUser(source, taken, report));
    }
    const files: CopiedFile[] = [];
    const images = await copyProfileImages(ctx, todo, users, report, files);
    const verifications = await planVerifications(ctx, users, relations, report, files);
    const { points, money } = planBooks(users, relations, report);
    const userIds = new Set(users.map((u) => u.id));
    const roles: Array<{ user_id: number; role_id: number }> = [];
    for (const link of relations.roles) {
      if (!userIds.has(link.user_id)) continue;
      const roleId = ctx.roleMap.get(link.role_id);
      if (roleId !== undefined) roles.push({ user_id: link.user_id, role_id: roleId });
    }

    await writeBatch(client, { users, images, files, extras: relations.extras, points, money, verifications, roles });
    await withdrawSkips(
      client,
      'users',
      users.map((u) => u.id),
    );
    await withdrawOwnedSkips(
      client,
      users.map((u) => u.id),
    );
    await writeReport(client, report.entries);
    ctx.beforeCommit?.();
    return { imported: users.length, skipped: todo.length - users.length, already: already.size };
  });
}

/** Points and wallet ledger of every user of the batch (orders grouped by owner once). */
function planBooks(users: TargetUser[], relations: UserRelations, report: ReportEntries) {
  const points = new Map<number, BookPlan>();
  const money = new Map<number, BookPlan>();
  const pointOrders = byOwner(relations.pointOrders);
  const walletOrders = byOwner(relations.walletOrders);
  for (const user of users) {
    const point = relations.points.get(user.id);
    const wallet = relations.wallets.get(user.id);
    points.set(
      user.id,
      planBook('currency_orders', user.id, point?.balance ?? 0, pointOrders.get(user.id) ?? [], point?.updated_at ?? user.created_at, report),
    );
    money.set(
      user.id,
      planBook('wallet_orders', user.id, wallet?.balance ?? 0, walletOrders.get(user.id) ?? [], wallet?.updated_at ?? user.created_at, report),
    );
  }
  return { points, money };
}

/** What a batch writes, planned before the first INSERT. */
interface BatchRows {
  users: TargetUser[];
  images: Map<number, { avatar: string | null; bg: string | null }>;
  files: CopiedFile[];
  extras: UserRelations['extras'];
  points: Map<number, BookPlan>;
  money: Map<number, BookPlan>;
  verifications: VerificationRow[];
  roles: Array<{ user_id: number; role_id: number }>;
}

/** One INSERT … unnest per table (files before the rows that name them, users before everything they own). */
async function writeBatch(client: PoolClient, b: BatchRows): Promise<void> {
  await insertRows(
    client,
    'users',
    {
      id: 'bigint',
      name: 'text',
      name_skeleton: 'text',
      email: 'text',
      phone: 'text',
      email_verified: 'boolean',
      phone_verified: 'boolean',
      password: 'text',
      bio: 'text',
      sex: 'smallint',
      location: 'text',
      city: 'text',
      avatar: 'text',
      bg: 'text',
      invite_code: 'text',
      register_ip: 'text',
      last_login_ip: 'text',
      disabled_at: 'timestamptz',
      created_at: 'timestamptz',
      updated_at: 'timestamptz',
    },
    b.users.map((u) => ({
      ...u,
      ...b.images.get(u.id),
      name_skeleton: usernameSkeleton(u.name),
      email_verified: u.email !== null,
      phone_verified: u.phone !== null,
    })),
  );
  await insertRows(
    client,
    'files',
    {
      node: 'text',
      owner_id: 'bigint',
      mime: 'text',
      size: 'integer',
      width: 'integer',
      height: 'integer',
      private: 'boolean',
      created_at: 'timestamptz',
    },
    b.files,
    'ON CONFLICT (node) DO NOTHING',
  );
  await insertRows(
    client,
    'user_extras',
    Object.fromEntries([['user_id', 'bigint'], ...COPIED_COUNTERS.map((c) => [c, 'integer'])]),
    b.users.map((u) => ({ user_id: u.id, ...Object.fromEntries(COPIED_COUNTERS.map((c) => [c, b.extras.get(u.id)?.[c] ?? 0])) })),
  );
  await insertRows(
    client,
    'user_currencies',
    { owner_id: 'bigint', sum: 'bigint', earned_total: 'bigint', created_at: 'timestamptz' },
    b.users.map((u) => ({ owner_id: u.id, sum: b.points.get(u.id)!.balance, earned_total: b.points.get(u.id)!.earned, created_at: u.created_at })),
  );
  await insertRows(
    client,
    'wallets',
    { owner_id: 'bigint', balance: 'bigint', total_income: 'bigint', total_expenses: 'bigint', created_at: 'timestamptz' },
    b.users.map((u) => {
      const book = b.money.get(u.id)!;
      return { owner_id: u.id, balance: book.balance, total_income: book.income, total_expenses: book.expenses, created_at: u.created_at };
    }),
  );
  const ledger = (plans: Map<number, BookPlan>): LedgerRow[] =>
    [...plans.values()].flatMap((p) => p.rows).sort((a, b) => a.created_at.getTime() - b.created_at.getTime());
  await insertRows(client, 'currency_ledger', LEDGER_COLUMNS, ledger(b.points));
  await insertRows(client, 'wallet_ledger', LEDGER_COLUMNS, ledger(b.money));
  await insertRows(
    client,
    'currency_income_daily',
    { owner_id: 'bigint', day: 'date', amount: 'bigint' },
    [...b.points.entries()].flatMap(([ownerId, plan]) => [...plan.earnedByDay].map(([day, amount]) => ({ owner_id: ownerId, day, amount }))),
  );
  await insertRows(
    client,
    'verifications',
    {
      user_id: 'bigint',
      type: 'text',
      state: 'smallint',
      desc: 'text',
      reject_reason: 'text',
      phone_number: 'text',
      real_name_sealed: 'text',
      id_number_sealed: 'text',
      id_card_front: 'text',
      id_card_rear: 'text',
      org_name: 'text',
      org_address: 'text',
      org_certificate: 'text',
      person_name_sealed: 'text',
      person_number_sealed: 'text',
      reviewed_by: 'bigint',
      reviewed_at: 'timestamptz',
      created_at: 'timestamptz',
      updated_at: 'timestamptz',
    },
    b.verifications,
  );
  await insertRows(client, 'user_roles', { user_id: 'bigint', role_id: 'integer' }, b.roles, 'ON CONFLICT DO NOTHING');
  await insertRows(
    client,
    `${STATE_SCHEMA}.imported_users`,
    { source_id: 'bigint' },
    b.users.map((u) => ({ source_id: u.id })),
  );
}

/** Avatars and backgrounds copied into storage (public files of their user); a missing one is reported. */
async function copyProfileImages(ctx: BatchContext, sources: SourceUser[], users: TargetUser[], report: ReportEntries, files: CopiedFile[]) {
  const sourceById = new Map(sources.map((u) => [u.id, u]));
  const images = new Map<number, { avatar: string | null; bg: string | null }>();
  for (const user of users) {
    const source = sourceById.get(user.id)!;
    const nodes = { avatar: null as string | null, bg: null as string | null };
    for (const field of ['avatar', 'bg'] as const) {
      const node = source[field]?.trim();
      if (!node) continue;
      const result = await ctx.files.copy(ctx.files.nodePaths(node), user.id, user.created_at, false);
      if ('file' in result) {
        files.push(result.file);
        nodes[field] = result.file.node;
      } else report.altered('users', user.id, user.id, `${field}_missing`, `${node}: ${result.missing}`);
    }
    images.set(user.id, nodes);
  }
  return images;
}

/** PostgreSQL refused the data itself (class 22 data exception, 23 constraint): other users are not to blame. */
export function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^2[23]/.test(code);
}

/** A user whose rows PostgreSQL refused even alone: reported with every row it owns, so the check still balances. */
export async function reportFailedUser(ctx: BatchContext, user: SourceUser, error: unknown): Promise<void> {
  const relations = await ctx.source.relations([user.id]);
  const report = new ReportEntries();
  report.skipped('users', user.id, null, 'import_failed', String((error as Error).message ?? error).slice(0, 500));
  reportLeftOut(user.id, relations, ctx.roleMap, report, 'owner_not_imported');
  await inTransaction(ctx.target, (client) => writeReport(client, report.entries));
}

type VerificationRow = Omit<TargetVerification, 'fileWithIds'> & {
  id_card_front: string | null;
  id_card_rear: string | null;
  org_certificate: string | null;
};

/** Verifications of the batch, with their images copied as private files of their owner. */
async function planVerifications(
  ctx: BatchContext,
  users: TargetUser[],
  relations: UserRelations,
  report: ReportEntries,
  files: CopiedFile[],
): Promise<VerificationRow[]> {
  const byUser = new Map<number, typeof relations.certifications>();
  for (const row of relations.certifications) {
    const list = byUser.get(row.user_id);
    if (list) list.push(row);
    else byUser.set(row.user_id, [row]);
  }
  const planned: TargetVerification[] = [];
  for (const user of users) {
    const rows = byUser.get(user.id);
    const plan = rows ? planVerification(rows, ctx.cipher, report) : null;
    if (plan) planned.push(plan);
  }
  const fileWiths = new Map<number, SourceFileWith>((await ctx.source.fileWiths(planned.flatMap((p) => p.fileWithIds))).map((f) => [f.id, f]));
  const result: VerificationRow[] = [];
  for (const { fileWithIds, ...plan } of planned) {
    const nodes: Array<string | null> = [];
    for (const id of fileWithIds) {
      const fileWith = fileWiths.get(id);
      const copied = fileWith
        ? await ctx.files.copy(ctx.files.filenamePaths(fileWith.filename), plan.user_id, fileWith.created_at ?? plan.created_at, true)
        : { missing: `file_withs ${id} does not exist` };
      if ('file' in copied) {
        files.push(copied.file);
        nodes.push(copied.file.node);
      } else {
        report.altered('file_withs', id, plan.user_id, 'certification_file_missing', copied.missing);
        nodes.push(null);
      }
    }
    result.push({
      ...plan,
      id_card_front: plan.type === 'user' ? (nodes[0] ?? null) : null,
      id_card_rear: plan.type === 'user' ? (nodes[1] ?? null) : null,
      org_certificate: plan.type === 'org' ? (nodes[0] ?? null) : null,
    });
  }
  return result;
}
