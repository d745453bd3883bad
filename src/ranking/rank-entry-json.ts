import { PublicUser } from '../users/views/user.view';

/**
 * A ranked user's public view as JSON, built once per cached page, with the viewer's follow flags left open: the
 * object without them and without its closing brace.
 */
export function openUserJson(user: PublicUser): string {
  const { has_follower: _hasFollower, has_following: _hasFollowing, follower: _follower, following: _following, ...rest } = user;
  return JSON.stringify(rest).slice(0, -1);
}

/** One `rank_list` entry for a viewer: the open user JSON closed with their flags (both spellings), amount and rank. */
export function rankEntryJson(openUser: string, hasFollower: boolean, hasFollowing: boolean, amount: number, rank: number): string {
  const flags = `"has_follower":${hasFollower},"has_following":${hasFollowing},"follower":${hasFollower},"following":${hasFollowing}`;
  return `{"user":${openUser},${flags}},"amount_count":${JSON.stringify(amount)},"rank":"${rank}"}`;
}
