import { AppConfig } from '../config/app-config';
import { bootstrapCurrencySettings } from '../currency/currency.settings';
import { walletSettings } from '../wallet/wallet.settings';

const DATA_LIMIT = 20;

/**
 * `GET /bootstrappers` in the original's keys and types (BootstrappersController of ThinkSNS+ 2.4), every value from
 * configuration. `registerSettings.method` is what registration enforces (auth register); `type: all` because
 * anyone may register (an invite code is optional).
 */
export function bootstrapperSettings(config: AppConfig) {
  const c = config.community;
  const wallet = walletSettings(config);
  return {
    ad: [],
    site: {
      name: c.siteName,
      anonymous: { status: false, rule: '' },
      client_email: '',
      gold: { status: false },
      reserved_nickname: config.reservedNames.join(','),
      reward: { status: true, amounts: c.rewardAmounts },
      currency_name: { id: 1, name: c.currencyName, unit: '', enable: 1 },
    },
    registerSettings: {
      showTerms: c.registerTerms !== '',
      method: c.registerMethod,
      content: c.registerTerms,
      fixed: 'need',
      type: 'all',
    },
    currency: bootstrapCurrencySettings(config),
    wallet: {
      rule: wallet.rule,
      labels: wallet.labels,
      ratio: wallet.ratio,
      cash: { 'min-amount': wallet.cash['min-amount'], types: wallet.cash.types, status: wallet.cash.status },
      recharge: wallet.recharge,
      'transform-currency': wallet['transform-currency'],
    },
    limit: DATA_LIMIT,
    'pay-validate-user-password': config.payValidatePassword,
    checkin: { switch: c.checkinPoints > 0, balance: c.checkinPoints },
  };
}
