/** The authenticated caller of a request: a user id and the token family (session) the token belongs to. */
export interface Viewer {
  id: number;
  sessionId: string;
  jti: string;
  /** Wrote within the read-your-writes window: reads stay on the primary (see src/database/read-replicas.ts). */
  recentWrite?: boolean;
}

/** The claims of our access tokens (spec README §2). */
export interface AccessTokenClaims {
  sub: string;
  sid: string;
  jti: string;
  typ: 'access';
  iat: number;
  exp: number;
}

/** An admin or operator making a change: who, from where, in which request (for the audit log). */
export interface AdminActor {
  id: number;
  ip: string;
  requestId: string;
}
