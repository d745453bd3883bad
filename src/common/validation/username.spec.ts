import { usernameSkeleton } from './username';

describe('usernameSkeleton (Unicode TS #39 confusable skeleton, case- and width-folded)', () => {
  const admin = usernameSkeleton('admin');

  it.each([
    ['full-width', 'ａｄｍｉｎ'],
    ['Cyrillic а', '\u0430dmin'],
    ['Turkish dotted capital İ', 'ADM\u0130N'],
    ['upper case', 'ADMIN'],
    ['Latin alpha Ɑ', '\u2c6ddmin'],
    ['combining mark on a letter', 'adm\u0301in'],
    ['rn for m', 'adrnin'],
  ])('%s (%s) looks like admin', (_label, name) => {
    expect(usernameSkeleton(name)).toBe(admin);
  });

  it.each([['admins'], ['adnim'], ['张三'], ['user_2']])('%s does not look like admin', (name) => {
    expect(usernameSkeleton(name)).not.toBe(admin);
  });

  it('maps look-alike digits and letters together (1, l), folds case first (I is i), keeps CJK names as they are', () => {
    expect(usernameSkeleton('user_1')).toBe(usernameSkeleton('user_l'));
    expect(usernameSkeleton('USER_I')).toBe(usernameSkeleton('user_i'));
    expect(usernameSkeleton('USER_I')).not.toBe(usernameSkeleton('user_l'));
    expect(usernameSkeleton('张三')).toBe('张三');
  });
});
