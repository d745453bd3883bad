import { Ledger } from '../common/ledger/ledger';

/** Points (积分): the balance in `user_currencies.sum`, its history in `currency_ledger`. Only this module writes them. */
export const POINTS = new Ledger({ balances: 'user_currencies', balance: 'sum', ledger: 'currency_ledger' });
