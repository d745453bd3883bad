import { PublicUser, toPublicUser, UserViewRow } from '../users/views/user.view';
import { openUserJson, rankEntryJson } from './rank-entry-json';

const row = {
  id: 7,
  name: '名字 "quoted" \\ back',
  bio: 'line\nbreak',
  sex: 1,
  location: '四川省 成都市',
  avatar: null,
  bg: null,
  invite_code: 'ABC',
  vip_level: null,
  vip_name: null,
  vip_end_time: null,
  created_at: new Date('2026-01-02T03:04:05.678Z'),
  updated_at: new Date('2026-01-02T03:04:05.678Z'),
  likes_count: 1,
  comments_count: 2,
  followers_count: 3,
  followings_count: 4,
  feeds_count: 5,
  questions_count: 0,
  answers_count: 0,
  be_reward_count: 0,
  checkin_count: 0,
  last_checkin_count: 0,
  extra_updated_at: new Date('2026-01-02T03:04:05Z'),
  v_type: null,
  has_follower: false,
  has_following: false,
} as unknown as UserViewRow;

/** The viewer's follow flags in both spellings (thinksns-compat §1). */
const withFlags = (user: PublicUser, hasFollower: boolean, hasFollowing: boolean) => ({
  ...user,
  has_follower: hasFollower,
  has_following: hasFollowing,
  follower: hasFollower,
  following: hasFollowing,
});

describe('rank entry JSON', () => {
  const user = toPublicUser(row, 'https://u.example');

  it.each([
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ])('parses to the object form of the entry (has_follower %s, has_following %s)', (hasFollower, hasFollowing) => {
    const json = rankEntryJson(openUserJson(user), hasFollower, hasFollowing, 1234, 3);
    expect(JSON.parse(json)).toEqual({ user: withFlags(user, hasFollower, hasFollowing), amount_count: 1234, rank: '3' });
  });

  it('leaves the flags open: the built part holds none of them', () => {
    const open = openUserJson(withFlags(user, true, true));
    expect(open).not.toMatch(/"(has_)?follow(er|ing)"/);
    expect(open.endsWith('}')).toBe(false);
  });
});
