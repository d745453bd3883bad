import { EntityManager } from 'typeorm';
import { runSql } from '../../database/sql';
import { isoSeconds } from '../http/format';
import { DEFAULT_LIMIT } from '../pagination/paging';

/** What a ledger row says about a balance change (mobile-api §8). */
export interface LedgerEntry {
  title: string;
  body?: string | null;
  targetType: string;
  targetId?: number | null;
  /** 1 succeeded (default); 0 a pending hold (a withdrawal awaiting review), settled later by settle(). */
  state?: 0 | 1;
}

/**
 * Where a kind of balance lives, named by the module that owns it (currency: points in `user_currencies.sum`, wallet:
 * money in `wallets.balance`, 分). Table and column names are SQL identifiers from code, never from input.
 */
export interface Book {
  balances: string;
  balance: string;
  ledger: string;
  /** running totals kept next to the balance (wallets only) */
  totals?: { income: string; expenses: string };
}

export interface LedgerQuery {
  limit?: number;
  after?: number;
  action?: 'income' | 'expenses';
}

export interface LedgerRow {
  id: number;
  owner_id: number;
  title: string;
  body: string | null;
  type: number;
  target_type: string;
  target_id: number | null;
  amount: number;
  state: number;
  created_at: Date;
}

export function toLedgerView(row: LedgerRow) {
  return {
    id: row.id,
    owner_id: row.owner_id,
    title: row.title,
    body: row.body,
    type: row.type,
    target_type: row.target_type,
    target_id: row.target_id,
    amount: row.amount,
    state: row.state,
    created_at: isoSeconds(row.created_at),
  };
}

/**
 * Every balance change goes through here: one conditional UPDATE (a debit never takes a balance below zero; the
 * CHECK constraint is the backstop) and its ledger row, in the caller's transaction. Arithmetic stays in SQL.
 */
export class Ledger {
  constructor(private readonly book: Book) {}

  /** A new owner's balance row (zero), in the caller's transaction: registration opens one per book. */
  async open(manager: EntityManager, ownerId: number): Promise<void> {
    await runSql(manager, `INSERT INTO ${this.book.balances} (owner_id) VALUES ($1)`, [ownerId]);
  }

  /** Locks several balances in owner-id order, so two opposite transfers cannot deadlock. */
  async lock(manager: EntityManager, ownerIds: number[]): Promise<void> {
    await runSql(manager, `SELECT 1 FROM ${this.book.balances} WHERE owner_id = ANY($1) ORDER BY owner_id FOR UPDATE`, [ownerIds]);
  }

  async credit(manager: EntityManager, ownerId: number, amount: number, entry: LedgerEntry): Promise<number> {
    const total = this.book.totals ? `, ${this.book.totals.income} = ${this.book.totals.income} + $2` : '';
    await runSql(manager, `UPDATE ${this.book.balances} SET ${this.book.balance} = ${this.book.balance} + $2${total}, updated_at = now() WHERE owner_id = $1`, [
      ownerId,
      amount,
    ]);
    return this.write(manager, ownerId, 1, amount, entry);
  }

  /** The ledger row's id, or null (and nothing written) when the balance is short. */
  async debit(manager: EntityManager, ownerId: number, amount: number, entry: LedgerEntry): Promise<number | null> {
    const total = this.book.totals ? `, ${this.book.totals.expenses} = ${this.book.totals.expenses} + $2` : '';
    const updated = await runSql(
      manager,
      `UPDATE ${this.book.balances} SET ${this.book.balance} = ${this.book.balance} - $2${total}, updated_at = now()
        WHERE owner_id = $1 AND ${this.book.balance} >= $2 RETURNING owner_id`,
      [ownerId, amount],
    );
    if (updated.rowCount !== 1) return null;
    return this.write(manager, ownerId, -1, amount, entry);
  }

  /** Settles a pending row (a hold): 1 paid out, -1 failed (its amount comes back by a credit the caller writes). */
  async settle(manager: EntityManager, entryId: number, state: 1 | -1): Promise<void> {
    await runSql(manager, `UPDATE ${this.book.ledger} SET state = $2 WHERE id = $1 AND state = 0`, [entryId, state]);
  }

  /** Newest first, keyset by id (`after`), optionally incomes or expenses only. */
  async list(manager: EntityManager, ownerId: number, query: LedgerQuery) {
    const params: unknown[] = [ownerId, query.limit ?? DEFAULT_LIMIT];
    const where = ['owner_id = $1'];
    if (query.after != null) where.push(`id < $${params.push(query.after)}`);
    if (query.action) where.push(`type = $${params.push(query.action === 'income' ? 1 : -1)}`);
    const { rows } = await runSql<LedgerRow>(
      manager,
      `SELECT id, owner_id, title, body, type, target_type, target_id, amount, state, created_at
         FROM ${this.book.ledger} WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT $2`,
      params,
    );
    return rows.map(toLedgerView);
  }

  private async write(manager: EntityManager, ownerId: number, type: 1 | -1, amount: number, entry: LedgerEntry): Promise<number> {
    const { rows } = await runSql<{ id: number }>(
      manager,
      `INSERT INTO ${this.book.ledger} (owner_id, title, body, type, target_type, target_id, amount, state)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [ownerId, entry.title, entry.body ?? null, type, entry.targetType, entry.targetId ?? null, amount, entry.state ?? 1],
    );
    return Number(rows[0].id);
  }
}
