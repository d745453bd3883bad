import { ProfileRow, profileShape, toProfile } from './profile.view';
import { UserField } from './user-field.entity';

const row: ProfileRow = {
  id: 4,
  name: 'bob',
  sex: 1,
  avatar: 'public:a.png',
  location: '中国 四川省 成都市',
  city: '成都',
  language: 'zh_CN',
  openid: null,
  unionid: null,
  email: 'b@example.com',
  phone: '13800138000',
  email_verified: true,
  phone_verified: false,
  custom: { level: 3 },
  created_unix: 1700000000,
  updated_unix: 1700000100,
  user_group: [1],
};
const fields = [
  { name: 'level', type: 'integer' },
  { name: 'motto', type: 'string' },
] as UserField[];

describe('operator profile view', () => {
  it('is the minapp _userprofile: built-ins, region from the location, then every custom field (null when unset)', () => {
    expect(toProfile(row, fields, 'http://h')).toEqual({
      id: 4,
      user_id: 4,
      nickname: 'bob',
      _username: 'bob',
      gender: 1,
      avatar: 'http://h/api/v2/storage/public:a.png',
      country: '中国',
      province: '四川省',
      city: '成都',
      language: 'zh_CN',
      openid: null,
      unionid: null,
      is_authorized: true,
      user_group: [1],
      _email: 'b@example.com',
      _phone: '13800138000',
      _email_verified: true,
      _phone_verified: false,
      created_by: 4,
      created_at: 1700000000,
      updated_at: 1700000100,
      level: 3,
      motto: null,
    });
  });

  it('reads the province alone from two parts, nothing from one', () => {
    expect(toProfile({ ...row, location: '四川省 成都市' }, [], 'http://h')).toMatchObject({ country: null, province: '四川省' });
    expect(toProfile({ ...row, location: null, avatar: null }, [], 'http://h')).toMatchObject({ country: null, province: null, avatar: null });
  });

  it('does not read a custom value from the prototype', () => {
    expect(toProfile({ ...row, custom: {} }, [{ name: 'toString' } as UserField], 'http://h').toString).toBeNull();
  });

  const schema = new Map<string, unknown>([
    ['nickname', 1],
    ['gender', 1],
    ['level', 1],
  ]);
  const profile = () => toProfile(row, fields, 'http://h');

  it('keeps only the named keys plus id, or leaves out the "-" ones', () => {
    expect(profileShape({ keys: 'nickname,gender' }, schema)(profile())).toEqual({ id: 4, nickname: 'bob', gender: 1 });
    const without = profileShape({ keys: '-nickname,-level' }, schema)(profile());
    expect(without).not.toHaveProperty('nickname');
    expect(without).not.toHaveProperty('level');
    expect(without).toHaveProperty('gender', 1);
  });

  it('expands created_by to the user themselves', () => {
    expect(profileShape({ expand: 'created_by' }, schema)(profile()).created_by).toEqual({
      id: 4,
      nickname: 'bob',
      avatar: 'http://h/api/v2/storage/public:a.png',
    });
  });

  it.each([[{ keys: 'nickname,-gender' }], [{ keys: 'no_such' }], [{ expand: 'user_group' }]])('refuses %p with 400', (query) => {
    expect(() => profileShape(query, schema)).toThrow(expect.objectContaining({ status: 400 }));
  });
});
