import { EntityManager } from 'typeorm';
import { Ledger } from '../common/ledger/ledger';
import { runSql } from '../database/sql';

/** Money (分): the balance and running totals in `wallets`, its history in `wallet_ledger`. Only this module writes them. */
export const MONEY = new Ledger({
  balances: 'wallets',
  balance: 'balance',
  ledger: 'wallet_ledger',
  totals: { income: 'total_income', expenses: 'total_expenses' },
});

/** Opens a new user's wallet (0 分), in the registration's transaction. */
export async function openWallet(manager: EntityManager, ownerId: number): Promise<void> {
  await runSql(manager, 'INSERT INTO wallets (owner_id) VALUES ($1)', [ownerId]);
}
