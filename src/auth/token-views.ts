import { IssuedToken } from './auth-sessions.service';

/** The login / refresh body ThinkSNS+ clients read (lifetimes in minutes). */
export function toLoginTokenView(token: IssuedToken) {
  return { access_token: token.token, token_type: 'Bearer', expires_in: token.ttl, refresh_ttl: token.refreshTtl };
}

/** Registration answers with both the original register keys and the login keys. */
export function toRegisterTokenView(token: IssuedToken) {
  return { token: token.token, ttl: token.ttl, ...toLoginTokenView(token) };
}
