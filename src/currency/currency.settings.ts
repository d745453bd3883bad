import { AppConfig } from '../config/app-config';

/** Recharge needs a payment gateway this service does not have: announced off, the order routes refuse. */
const RECHARGE_OPTIONS = '100,500,1000,2000,5000,10000';
const RECHARGE_MIN = 100;
const RECHARGE_MAX = 10_000_000;

/**
 * The points settings in the original's keys (thinksns-compat §6): the flat keys `GET /currency` answers and the H5
 * client reads (it splits `recharge-options`), and the nested form `GET /bootstrappers` carries under `currency`.
 */
export function currencySettings(config: AppConfig) {
  const c = config.community;
  return {
    rule: c.currencyRule,
    'recharge-rule': '',
    'recharge-type': [] as string[],
    'recharge-ratio': config.rechargeRatio,
    'recharge-options': RECHARGE_OPTIONS,
    'recharge-max': RECHARGE_MAX,
    'recharge-min': RECHARGE_MIN,
    'cash-rule': c.currencyCashRule,
    'cash-max': c.currencyCashMax,
    'cash-min': c.currencyCashMin,
    cash: { rule: c.currencyCashRule, status: c.currencyCashEnabled },
    recharge: { rule: '', status: false },
  };
}

export function bootstrapCurrencySettings(config: AppConfig) {
  const flat = currencySettings(config);
  return {
    IAP: { only: false, rule: '' },
    cash: flat.cash,
    recharge: flat.recharge,
    rule: flat.rule,
    settings: {
      'recharge-ratio': flat['recharge-ratio'],
      'recharge-options': flat['recharge-options'],
      'recharge-max': flat['recharge-max'],
      'recharge-min': flat['recharge-min'],
      'cash-max': flat['cash-max'],
      'cash-min': flat['cash-min'],
    },
  };
}
