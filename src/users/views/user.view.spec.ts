import { PiiCipher } from '../../common/crypto/pii-cipher';
import { OwnerViewRow, toOwnerUser, toPublicUser, UserViewRow } from './user.view';

const at = new Date('2024-05-06T07:08:09.123Z');
const row = {
  id: 5,
  name: 'alice',
  bio: null,
  sex: 2,
  location: '四川 成都市',
  avatar: 'public:a.png',
  avatar_mime: 'image/png',
  avatar_size: 10,
  avatar_width: 3,
  avatar_height: 2,
  bg: 'public:b.png',
  bg_mime: null,
  bg_size: null,
  bg_width: null,
  bg_height: null,
  invite_code: 'INV',
  vip_level: 1,
  vip_name: 'gold',
  vip_end_time: new Date('2000-01-01T00:00:00Z'),
  created_at: at,
  updated_at: at,
  likes_count: 1,
  comments_count: 2,
  followers_count: 3,
  followings_count: 4,
  feeds_count: 0,
  questions_count: 0,
  answers_count: 0,
  be_reward_count: 6,
  checkin_count: 0,
  last_checkin_count: 0,
  extra_updated_at: at,
  has_follower: true,
  has_following: false,
  v_type: null,
} as unknown as UserViewRow;
const owner = {
  ...row,
  phone: '13800138000',
  email: 'a@example.com',
  has_password: true,
  wallet_balance: 100,
  wallet_total_income: 150,
  wallet_total_expenses: 50,
  currency_sum: 9,
} as unknown as OwnerViewRow;
const PRIVATE = ['phone', 'email', 'wallet', 'new_wallet', 'currency', 'has_password'];

describe('user views', () => {
  it('the public view holds no login data, balances or private fields', () => {
    const view = toPublicUser(row, 'https://u.example');
    for (const key of PRIVATE) expect(view).not.toHaveProperty(key);
    expect(Object.keys(view).sort()).toEqual(
      [
        'avatar',
        'bg',
        'bio',
        'created_at',
        'extra',
        'has_follower',
        'has_following',
        'follower',
        'following',
        'id',
        'invite_code',
        'location',
        'name',
        'sex',
        'updated_at',
        'verification',
        'verified',
        'vip',
      ].sort(),
    );
  });

  it('shows images with a type only, timestamps to the second, counters in extra, no expired VIP', () => {
    const view = toPublicUser(row, 'https://u.example');
    expect(view.avatar).toMatchObject({ url: 'https://u.example/api/v2/storage/public:a.png', dimension: { width: 3, height: 2 } });
    expect(view.bg).toBeNull();
    expect(view.created_at).toBe('2024-05-06T07:08:09Z');
    expect(view.extra).toMatchObject({ user_id: 5, followers_count: 3, followings_count: 4, be_reward_count: 6 });
    expect(view.vip).toBeNull();
    expect(view.verification).toBeNull();
    expect(view.has_follower).toBe(true);
    expect(view).toMatchObject({ follower: true, following: false, verified: null });
  });

  it('verified: the ThinkSNS+ badge only once approved, with the slogan (else the description)', () => {
    const approved = { ...row, v_type: 'user', v_state: 1, v_desc: '作家', v_slogan: null } as unknown as UserViewRow;
    expect(toPublicUser(approved, '').verified).toEqual({ type: 'user', icon: null, description: '作家' });
    expect(toPublicUser({ ...approved, v_slogan: '知名作家' }, '').verified).toEqual({ type: 'user', icon: null, description: '知名作家' });
    expect(toPublicUser({ ...approved, v_state: -1 }, '').verified).toBeNull();
    expect(toPublicUser({ ...approved, v_state: 0 }, '').verified).toBeNull();
  });

  it('shows a VIP status until it ends', () => {
    const view = toPublicUser({ ...row, vip_end_time: new Date(Date.now() + 86_400_000) }, 'https://u.example');
    expect(view.vip).toMatchObject({ level: 1, name: 'gold' });
  });

  it('the owner view adds login data and balances, and no follow flags about oneself', () => {
    const view = toOwnerUser(owner, 'https://u.example', new PiiCipher(Buffer.alloc(32, 1)));
    expect(view).toMatchObject({
      phone: '13800138000',
      email: 'a@example.com',
      has_password: true,
      wallet: { owner_id: 5, balance: 100, total_income: 150, total_expenses: 50 },
      new_wallet: { owner_id: 5, balance: 100 },
      currency: { owner_id: 5, type: 1, sum: 9 },
      has_follower: false,
      has_following: false,
    });
  });
});
