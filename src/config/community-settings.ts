import { bool, ConfigError, Env, int, list, str } from './app-config';

export type RegisterMethod = 'all' | 'mobile-only' | 'mail-only';

/**
 * The site settings ThinkSNS+ clients read from `GET /bootstrappers`, `/currency` and `/wallet` (thinksns-compat §3,
 * §6). The service enforces what they announce: the registration method, withdrawal limits, check-in points.
 */
export interface CommunitySettings {
  /** SITE_NAME */
  siteName: string;
  /** REGISTER_METHOD: which account a new user registers with (phone, e-mail or either). */
  registerMethod: RegisterMethod;
  /** REGISTER_TERMS: the terms shown at registration (Markdown); empty → none shown. */
  registerTerms: string;
  /** REWARD_AMOUNTS: the reward amounts (points) the clients offer, a comma string as the original. */
  rewardAmounts: string;
  /** CURRENCY_NAME: what points are called. */
  currencyName: string;
  /** CURRENCY_RULE, CURRENCY_CASH_RULE, WALLET_RULE: texts shown on the points, withdrawal and wallet pages. */
  currencyRule: string;
  currencyCashRule: string;
  walletRule: string;
  /** CURRENCY_CASH_ENABLED, CURRENCY_CASH_MIN, CURRENCY_CASH_MAX: points withdrawals. */
  currencyCashEnabled: boolean;
  currencyCashMin: number;
  currencyCashMax: number;
  /** WALLET_CASH_ENABLED, WALLET_CASH_TYPES, WALLET_CASH_MIN, WALLET_CASH_MAX (分): wallet withdrawals. */
  walletCashEnabled: boolean;
  walletCashTypes: string[];
  walletCashMin: number;
  walletCashMax: number;
  /** WALLET_LABELS: amount labels (分) the wallet page shows. */
  walletLabels: number[];
  /** CHECKIN_POINTS: points a daily check-in earns; 0 turns check-in off. */
  checkinPoints: number;
}

const REGISTER_METHODS: RegisterMethod[] = ['all', 'mobile-only', 'mail-only'];
const MAX_LIMIT = 1_000_000_000_000;

export function communitySettings(env: Env): CommunitySettings {
  const registerMethod = (str(env, 'REGISTER_METHOD') ?? 'all') as RegisterMethod;
  if (!REGISTER_METHODS.includes(registerMethod)) throw new ConfigError(`REGISTER_METHOD must be all, mobile-only or mail-only, got "${registerMethod}"`);
  const settings: CommunitySettings = {
    siteName: str(env, 'SITE_NAME') ?? 'ThinkSNS+',
    registerMethod,
    registerTerms: str(env, 'REGISTER_TERMS') ?? '',
    rewardAmounts: wholeNumbers(env, 'REWARD_AMOUNTS', [5, 10, 15]).join(','),
    currencyName: str(env, 'CURRENCY_NAME') ?? '积分',
    currencyRule: str(env, 'CURRENCY_RULE') ?? '',
    currencyCashRule: str(env, 'CURRENCY_CASH_RULE') ?? '',
    walletRule: str(env, 'WALLET_RULE') ?? '',
    currencyCashEnabled: bool(env, 'CURRENCY_CASH_ENABLED', true),
    currencyCashMin: int(env, 'CURRENCY_CASH_MIN', 100, 1, MAX_LIMIT),
    currencyCashMax: int(env, 'CURRENCY_CASH_MAX', 10_000_000, 1, MAX_LIMIT),
    walletCashEnabled: bool(env, 'WALLET_CASH_ENABLED', true),
    walletCashTypes: list(env, 'WALLET_CASH_TYPES', ['alipay']),
    walletCashMin: int(env, 'WALLET_CASH_MIN', 100, 1, MAX_LIMIT),
    walletCashMax: int(env, 'WALLET_CASH_MAX', 10_000_000, 1, MAX_LIMIT),
    walletLabels: wholeNumbers(env, 'WALLET_LABELS', [100, 500, 1000, 2000, 5000, 10000]),
    checkinPoints: int(env, 'CHECKIN_POINTS', 1, 0, 1_000_000),
  };
  if (settings.currencyCashMin > settings.currencyCashMax) throw new ConfigError('CURRENCY_CASH_MIN must not exceed CURRENCY_CASH_MAX');
  if (settings.walletCashMin > settings.walletCashMax) throw new ConfigError('WALLET_CASH_MIN must not exceed WALLET_CASH_MAX');
  return settings;
}

function wholeNumbers(env: Env, key: string, fallback: number[]): number[] {
  const values = list(env, key, fallback.map(String));
  const wrong = values.find((v) => !/^\d{1,12}$/.test(v) || Number(v) < 1);
  if (wrong !== undefined) throw new ConfigError(`${key} must be a comma list of positive whole numbers, got "${wrong}"`);
  return values.map(Number);
}
