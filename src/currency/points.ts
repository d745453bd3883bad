import { EntityManager } from 'typeorm';
import { Ledger } from '../common/ledger/ledger';
import { runSql } from '../database/sql';

/** Points (积分): the balance in `user_currencies.sum`, its history in `currency_ledger`. Only this module writes them. */
export const POINTS = new Ledger({ balances: 'user_currencies', balance: 'sum', ledger: 'currency_ledger' });

/** Opens a new user's points balance (0), in the registration's transaction. */
export async function openPointsAccount(manager: EntityManager, ownerId: number): Promise<void> {
  await runSql(manager, 'INSERT INTO user_currencies (owner_id) VALUES ($1)', [ownerId]);
}
