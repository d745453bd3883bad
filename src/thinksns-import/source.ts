import { createPool, Pool, RowDataPacket } from 'mysql2/promise';
import { SourceCertification } from './certification-plan';
import { SourceOrder } from './ledger-plan';
import { SourceUser } from './user-plan';

/** Content counters of `user_extras` this service keeps but cannot recompute (the original's other modules own them). */
export const COPIED_COUNTERS = [
  'likes_count',
  'comments_count',
  'feeds_count',
  'questions_count',
  'answers_count',
  'be_reward_count',
  'checkin_count',
  'last_checkin_count',
] as const;
export type CopiedCounter = (typeof COPIED_COUNTERS)[number];

export interface SourceFileWith {
  id: number;
  user_id: number;
  filename: string;
  hash: string;
  created_at: Date | null;
}

export interface SourceRole {
  id: number;
  name: string;
  display_name: string | null;
  abilities: string[];
  members: number;
}

export interface SourceFollow {
  id: number;
  user_id: number;
  target: number;
  created_at: Date | null;
}

export interface SourceBalance {
  balance: number;
  updated_at: Date | null;
}

export interface UserRelations {
  extras: Map<number, Partial<Record<CopiedCounter, number>>>;
  roles: Array<{ user_id: number; role_id: number }>;
  certifications: SourceCertification[];
  points: Map<number, SourceBalance>;
  pointOrders: SourceOrder[];
  wallets: Map<number, SourceBalance>;
  walletOrders: SourceOrder[];
}

type BalanceRow = SourceBalance & { owner_id: number };

const balances = (rows: BalanceRow[]) => new Map(rows.map((r) => [r.owner_id, { balance: Number(r.balance), updated_at: r.updated_at }]));

/**
 * A zero date ('0000-00-00') reaches JavaScript as an invalid Date: it means no date. NUL characters, which MySQL
 * stores and PostgreSQL text cannot, are dropped.
 */
function cleanRows<T extends object>(rows: T[]): T[] {
  for (const row of rows) {
    for (const [key, value] of Object.entries(row)) {
      if (value instanceof Date && Number.isNaN(value.getTime())) (row as Record<string, unknown>)[key] = null;
      else if (typeof value === 'string' && value.includes('\0')) (row as Record<string, unknown>)[key] = value.replaceAll('\0', '');
    }
  }
  return rows;
}

/** The original's MySQL / MariaDB database (slimkit/plus 2.4 schema), read through mysql2. */
export class ThinksnsSource {
  private readonly pool: Pool;
  private tables = new Set<string>();
  private extraColumns: CopiedCounter[] = [];

  constructor(url: string) {
    // TIMESTAMP columns come out in the session time zone: UTC, read as UTC.
    this.pool = createPool({ uri: url, connectionLimit: 2, supportBigNumbers: true, bigNumberStrings: false, timezone: 'Z', dateStrings: false });
    this.pool.on('connection', (connection) => {
      void connection.query("SET time_zone = '+00:00'");
    });
  }

  async open(): Promise<void> {
    const rows = await this.rows<{ name: string }>('SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()');
    this.tables = new Set(rows.map((row) => row.name));
    const missing = ['users'].filter((table) => !this.tables.has(table));
    if (missing.length) throw new Error(`the source database has no ${missing.join(', ')} table: is it a ThinkSNS+ database?`);
    const columns = await this.rows<{ name: string }>(
      "SELECT column_name AS name FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'user_extras'",
    );
    const present = new Set(columns.map((c) => c.name));
    this.extraColumns = COPIED_COUNTERS.filter((c) => present.has(c));
  }

  has(table: string): boolean {
    return this.tables.has(table);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  async rows<T>(sql: string, values: unknown[] = []): Promise<T[]> {
    const [rows] = await this.pool.query<RowDataPacket[]>(sql, values);
    return cleanRows(rows) as unknown as T[];
  }

  async count(table: string, where = ''): Promise<number> {
    if (!this.has(table)) return 0;
    const [row] = await this.rows<{ n: number }>(`SELECT count(*) AS n FROM \`${table}\` ${where}`);
    return Number(row.n);
  }

  async maxUserId(): Promise<number> {
    const [row] = await this.rows<{ n: number | null }>('SELECT max(id) AS n FROM users');
    return Number(row.n ?? 0);
  }

  users(afterId: number, limit: number): Promise<SourceUser[]> {
    return this.rows<SourceUser>(
      `SELECT id, name, email, phone, password, bio, sex, location, avatar, bg, register_ip, last_login_ip, created_at, updated_at, deleted_at
         FROM users WHERE id > ? ORDER BY id LIMIT ?`,
      [afterId, limit],
    );
  }

  async relations(ids: number[]): Promise<UserRelations> {
    const none = Promise.resolve([]);
    const [extras, roles, certifications, points, pointOrders, wallets, walletOrders] = await Promise.all([
      this.has('user_extras')
        ? this.rows<Record<string, number>>(
            `SELECT user_id${this.extraColumns.map((c) => `, ${c}`).join('')} FROM user_extras WHERE user_id IN (?) ORDER BY user_id`,
            [ids],
          )
        : none,
      this.has('role_user') ? this.rows<{ user_id: number; role_id: number }>('SELECT user_id, role_id FROM role_user WHERE user_id IN (?)', [ids]) : none,
      this.has('certifications')
        ? this.rows<SourceCertification>(
            'SELECT id, certification_name, user_id, data, examiner, status, created_at, updated_at FROM certifications WHERE user_id IN (?) ORDER BY id',
            [ids],
          )
        : none,
      this.has('currencies')
        ? this.rows<BalanceRow>('SELECT owner_id, sum AS balance, updated_at FROM currencies WHERE type = 1 AND owner_id IN (?)', [ids])
        : none,
      this.has('currency_orders')
        ? this.rows<SourceOrder>(
            `SELECT id, owner_id, title, body, type, target_type, target_id, amount, state, created_at, currency
               FROM currency_orders WHERE owner_id IN (?) ORDER BY id`,
            [ids],
          )
        : none,
      this.has('wallet') ? this.rows<BalanceRow>('SELECT owner_id, balance, updated_at FROM wallet WHERE owner_id IN (?)', [ids]) : none,
      this.has('wallet_orders')
        ? this.rows<SourceOrder>(
            'SELECT id, owner_id, title, body, type, target_type, target_id, amount, state, created_at FROM wallet_orders WHERE owner_id IN (?) ORDER BY id',
            [ids],
          )
        : none,
    ]);
    const extrasByUser = new Map<number, Partial<Record<CopiedCounter, number>>>();
    for (const row of extras as Array<Record<string, number>>) {
      if (extrasByUser.has(row.user_id)) continue;
      const counters: Partial<Record<CopiedCounter, number>> = {};
      for (const column of this.extraColumns) counters[column] = Math.max(0, Math.min(2147483647, Number(row[column] ?? 0)));
      extrasByUser.set(row.user_id, counters);
    }
    for (const order of [...(pointOrders as SourceOrder[]), ...(walletOrders as SourceOrder[])]) {
      order.target_id = order.target_id == null ? null : String(order.target_id);
      order.amount = Number(order.amount);
    }
    return {
      extras: extrasByUser,
      roles: roles as Array<{ user_id: number; role_id: number }>,
      certifications: certifications as SourceCertification[],
      points: balances(points as BalanceRow[]),
      pointOrders: pointOrders as SourceOrder[],
      wallets: balances(wallets as BalanceRow[]),
      walletOrders: walletOrders as SourceOrder[],
    };
  }

  fileWiths(ids: number[]): Promise<SourceFileWith[]> {
    if (!ids.length || !this.has('file_withs') || !this.has('files')) return Promise.resolve([]);
    return this.rows<SourceFileWith>(
      'SELECT fw.id, fw.user_id, f.filename, f.hash, f.created_at FROM file_withs fw JOIN files f ON f.id = fw.file_id WHERE fw.id IN (?)',
      [ids],
    );
  }

  async roles(): Promise<SourceRole[]> {
    if (!this.has('roles')) return [];
    const roles = await this.rows<Omit<SourceRole, 'abilities'>>(
      `SELECT r.id, r.name, r.display_name, ${this.has('role_user') ? '(SELECT count(*) FROM role_user ru WHERE ru.role_id = r.id)' : '0'} AS members
         FROM roles r ORDER BY r.id`,
    );
    const grants =
      this.has('ability_role') && this.has('abilities')
        ? await this.rows<{ role_id: number; name: string }>('SELECT ar.role_id, a.name FROM ability_role ar JOIN abilities a ON a.id = ar.ability_id')
        : [];
    return roles.map((role) => ({
      ...role,
      members: Number(role.members),
      abilities: grants.filter((g) => g.role_id === role.id).map((g) => g.name),
    }));
  }

  follows(afterId: number, limit: number): Promise<SourceFollow[]> {
    if (!this.has('user_follow')) return Promise.resolve([]);
    return this.rows<SourceFollow>('SELECT id, user_id, target, created_at FROM user_follow WHERE id > ? ORDER BY id LIMIT ?', [afterId, limit]);
  }

  recommended(): Promise<Array<{ id: number; user_id: number; created_at: Date | null }>> {
    if (!this.has('users_recommended')) return Promise.resolve([]);
    return this.rows('SELECT id, user_id, created_at FROM users_recommended ORDER BY id');
  }

  /** Rows of a per-user table whose owner is not in `users` (the original has no foreign key there). */
  async orphans(table: string, ownerColumn: string): Promise<Array<{ id: number; owner: number }>> {
    if (!this.has(table)) return [];
    return this.rows(
      `SELECT t.id, t.\`${ownerColumn}\` AS owner FROM \`${table}\` t LEFT JOIN users u ON u.id = t.\`${ownerColumn}\` WHERE u.id IS NULL ORDER BY t.id`,
    );
  }

  /** Sum of the non-negative balances of owners in `users`, leaving out some owners. */
  async balanceTotal(book: 'points' | 'wallet', excluded: number[]): Promise<number> {
    const [table, column, extra] = book === 'points' ? ['currencies', 'sum', 'AND b.type = 1'] : ['wallet', 'balance', ''];
    if (!this.has(table)) return 0;
    const [row] = await this.rows<{ n: string | number | null }>(
      `SELECT CAST(coalesce(sum(GREATEST(b.\`${column}\`, 0)), 0) AS CHAR) AS n FROM \`${table}\` b JOIN users u ON u.id = b.owner_id
        WHERE 1 = 1 ${extra} ${excluded.length ? 'AND b.owner_id NOT IN (?)' : ''}`,
      excluded.length ? [excluded] : [],
    );
    return Number(row.n ?? 0);
  }
}
