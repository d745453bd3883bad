import { AppConfig } from '../config/app-config';

/** 分 per 元: the wallet counts money in 分. */
const RATIO = 100;

/**
 * The wallet settings in the original's keys (thinksns-compat §6), for `GET /wallet` and `GET /bootstrappers`.
 * Recharge is off (no payment gateway); withdrawals and wallet → points follow the configuration.
 */
export function walletSettings(config: AppConfig) {
  const c = config.community;
  return {
    rule: c.walletRule,
    labels: c.walletLabels,
    ratio: RATIO,
    cash: { 'min-amount': c.walletCashMin, 'max-amount': c.walletCashMax, types: c.walletCashTypes, status: c.walletCashEnabled },
    recharge: { types: [] as string[], status: false },
    'transform-currency': true,
    // The original's `GET /wallet` spelled these so (WalletConfigController).
    recharge_type: [] as string[],
    case_min_amount: c.walletCashMin,
  };
}
