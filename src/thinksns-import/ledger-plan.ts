import { isEarned } from '../currency/earned-income';
import { ReportEntries } from './report';

/** A row of `currency_orders` or `wallet_orders` (2018_01_09 / 2017_12_26 migrations). */
export interface SourceOrder {
  id: number;
  owner_id: number;
  title: string | null;
  body: string | null;
  type: number;
  target_type: string | null;
  target_id: string | null;
  amount: number;
  state: number | null;
  created_at: Date | null;
  /** currency_orders only: the currency type (1 = the points this service keeps) */
  currency?: number;
}

export interface LedgerRow {
  owner_id: number;
  title: string;
  body: string | null;
  type: 1 | -1;
  target_type: string;
  target_id: number | null;
  amount: number;
  created_at: Date;
}

export interface BookPlan {
  rows: LedgerRow[];
  balance: number;
  income: number;
  expenses: number;
  /** points only: income that counts for the ranking, per UTC day (YYYY-MM-DD) */
  earnedByDay: Map<string, number>;
  earned: number;
}

/** The title and target type of the row that reconciles an imported balance with its orders. */
export const ADJUSTMENT_TITLE = '导入校正';
export const ADJUSTMENT_TARGET = 'import';

/** The original's target types, in this service's words (its column holds 16 characters). */
const TARGET_TYPES: Record<string, string> = { recharge_ping_p_p: 'recharge', widthdraw: 'withdraw' };

/**
 * The ledger of one account: its successful orders, plus one labelled adjustment row when the original's balance
 * and the orders disagree (the balance wins). Pending and failed orders, zero amounts and other currencies move no
 * balance and are reported, not imported. A negative original balance is imported as 0 (reported).
 */
export function planBook(
  book: 'currency_orders' | 'wallet_orders',
  ownerId: number,
  sourceBalance: number | null,
  orders: SourceOrder[],
  /** when the original's balance was last written (the adjustment's date; the same on every run) */
  balanceAt: Date,
  report: ReportEntries,
): BookPlan {
  const rows: LedgerRow[] = [];
  for (const order of orders) {
    const skip = (reason: string, detail: string | null = null) => report.skipped(book, order.id, ownerId, reason, detail);
    if (order.currency !== undefined && order.currency !== 1) skip('other_currency', `currency type ${order.currency}`);
    else if (order.state !== 1) skip(order.state === 0 ? 'order_pending' : 'order_failed', `state ${order.state}: moved no balance`);
    else if (order.type !== 1 && order.type !== -1) skip('order_type_invalid', `type ${order.type}`);
    else if (!(order.amount > 0)) skip('order_amount_zero', `amount ${order.amount}`);
    else {
      const rawTarget = order.target_type ?? 'default';
      const targetType = (TARGET_TYPES[rawTarget] ?? rawTarget).slice(0, 16);
      const title = (order.title ?? '').slice(0, 64) || '订单';
      if (title !== order.title) report.altered(book, order.id, ownerId, 'title_changed', `${JSON.stringify(order.title)} stored as ${JSON.stringify(title)}`);
      rows.push({
        owner_id: ownerId,
        title,
        body: order.body == null ? null : order.body.slice(0, 255),
        type: order.type,
        target_type: targetType,
        target_id: order.target_id != null && /^\d{1,15}$/.test(order.target_id) ? Number(order.target_id) : null,
        amount: order.amount,
        created_at: order.created_at ?? balanceAt,
      });
    }
  }
  let balance = sourceBalance ?? 0;
  if (balance < 0) {
    report.altered(book === 'wallet_orders' ? 'wallet' : 'currencies', ownerId, ownerId, 'balance_negative', `${balance} imported as 0`);
    balance = 0;
  }
  const net = rows.reduce((sum, row) => sum + row.type * row.amount, 0);
  if (net !== balance) {
    const difference = balance - net;
    rows.push({
      owner_id: ownerId,
      title: ADJUSTMENT_TITLE,
      body: `balance ${balance}, orders ${net}`,
      type: difference > 0 ? 1 : -1,
      target_type: ADJUSTMENT_TARGET,
      target_id: null,
      amount: Math.abs(difference),
      created_at: rows.reduce((latest, row) => (row.created_at > latest ? row.created_at : latest), balanceAt),
    });
    report.adjusted(
      book === 'wallet_orders' ? 'wallet' : 'currencies',
      ownerId,
      ownerId,
      'balance_differs_from_orders',
      `balance ${balance}, successful orders sum to ${net}: adjustment ${difference > 0 ? '+' : ''}${difference}`,
    );
  }
  const plan: BookPlan = { rows, balance, income: 0, expenses: 0, earnedByDay: new Map(), earned: 0 };
  for (const row of rows) {
    if (row.type === 1) plan.income += row.amount;
    else plan.expenses += row.amount;
    if (row.type === 1 && isEarned(row.target_type)) {
      plan.earned += row.amount;
      const day = row.created_at.toISOString().slice(0, 10);
      plan.earnedByDay.set(day, (plan.earnedByDay.get(day) ?? 0) + row.amount);
    }
  }
  return plan;
}
