import { Ledger } from '../common/ledger/ledger';

/** Money (分): the balance and running totals in `wallets`, its history in `wallet_ledger`. Only this module writes them. */
export const MONEY = new Ledger({
  balances: 'wallets',
  balance: 'balance',
  ledger: 'wallet_ledger',
  totals: { income: 'total_income', expenses: 'total_expenses' },
});
