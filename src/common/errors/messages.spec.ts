import { fieldName, isMessageKey, languageOf, MESSAGES, MessageKey, translate } from './messages';

const placeholders = (template: string) => new Set([...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]));

describe('messages', () => {
  describe('catalogue', () => {
    const keys = Object.keys(MESSAGES) as MessageKey[];

    it('is not empty', () => {
      expect(keys.length).toBeGreaterThan(10);
    });

    it.each(keys)('%s has a zh and an en text', (key) => {
      const entry = MESSAGES[key] as { zh: unknown; en: unknown };
      expect(Object.keys(entry).sort()).toEqual(['en', 'zh']);
      expect(typeof entry.zh).toBe('string');
      expect(typeof entry.en).toBe('string');
      expect((entry.zh as string).trim()).not.toBe('');
      expect((entry.en as string).trim()).not.toBe('');
    });

    it.each(keys)('%s uses the same value placeholders in both languages', (key) => {
      const zh = placeholders(MESSAGES[key].zh);
      const en = placeholders(MESSAGES[key].en);
      zh.delete('field');
      en.delete('field');
      expect([...zh].sort()).toEqual([...en].sort());
    });

    it('keeps the ThinkSNS+ strings clients know', () => {
      expect(MESSAGES.unauthenticated.zh).toBe('Unauthenticated.');
      expect(MESSAGES.not_found.zh).toBe('内容不存在');
      expect(MESSAGES.malformed_json.zh).toBe('请求数据格式错误');
      expect(MESSAGES.bad_credentials.zh).toBe('账号或密码不正确');
      expect(MESSAGES.account_disabled.zh).toBe('账号已被禁用，请联系管理员');
      expect(MESSAGES.code_sent.zh).toBe('获取成功');
      expect(MESSAGES.code_invalid.zh).toBe('验证码错误或者已失效');
      expect(MESSAGES.name_taken.zh).toBe('用户名已被使用');
      expect(MESSAGES.reserved_name.zh).toBe('系统保留昵称，禁止使用');
      expect(MESSAGES.logout_ok.zh).toBe('退出成功');
      expect(MESSAGES.cancel_ok.zh).toBe('操作成功,再见');
    });

    it('isMessageKey tells keys from other strings, including inherited names', () => {
      expect(isMessageKey('not_found')).toBe(true);
      expect(isMessageKey('v.required')).toBe(true);
      expect(isMessageKey('nope')).toBe(false);
      expect(isMessageKey('toString')).toBe(false);
      expect(isMessageKey('__proto__')).toBe(false);
    });
  });

  describe('translate', () => {
    it('picks the language', () => {
      expect(translate('not_found', 'zh')).toBe('内容不存在');
      expect(translate('not_found', 'en')).toBe('Not found.');
    });

    it('fills in parameters', () => {
      expect(translate('code_resend_wait', 'zh', { seconds: 42 })).toBe('还需要42秒后才能获取');
      expect(translate('code_resend_wait', 'en', { seconds: 42 })).toBe('Please wait 42 seconds before requesting another code.');
      expect(translate('v.min', 'en', { field: 'limit', min: 1 })).toBe('The limit must be at least 1.');
    });

    it('names fields in Chinese for zh and in words for en', () => {
      expect(translate('v.required', 'zh', { field: 'name' })).toBe('用户名不能为空');
      expect(translate('v.required', 'zh', { field: 'verifiable_code' })).toBe('验证码不能为空');
      expect(translate('v.required', 'en', { field: 'verifiable_code' })).toBe('The verifiable code field is required.');
      expect(translate('v.required', 'zh', { field: 'unknown_field' })).toBe('unknown_field不能为空');
      expect(fieldName('password_confirmation', 'zh')).toBe('确认密码');
      expect(fieldName('password_confirmation', 'en')).toBe('password confirmation');
    });

    it('leaves a placeholder without a parameter visible rather than inventing a value', () => {
      expect(translate('code_resend_wait', 'zh')).toBe('还需要{seconds}秒后才能获取');
    });

    it('does not interpret parameter values as templates', () => {
      expect(translate('code_resend_wait', 'en', { seconds: '{seconds}$&' })).toBe('Please wait {seconds}$& seconds before requesting another code.');
    });
  });

  describe('languageOf', () => {
    it.each([
      [undefined, 'zh'],
      ['', 'zh'],
      ['zh-CN', 'zh'],
      ['zh-CN,zh;q=0.9,en;q=0.8', 'zh'],
      ['en', 'en'],
      ['EN', 'en'],
      ['en-US', 'en'],
      ['en-GB,en;q=0.9,zh;q=0.8', 'en'],
      [' en-US , zh', 'en'],
      ['fr-FR', 'zh'],
      ['*', 'zh'],
      [['en-US'], 'en'],
      [['zh-CN', 'en'], 'zh'],
    ])('%p → %p', (header, expected) => {
      expect(languageOf(header as string | string[] | undefined)).toBe(expected);
    });
  });
});
