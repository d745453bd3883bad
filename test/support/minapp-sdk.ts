import type { TestApp } from './harness';

/**
 * The vendor's own JS SDK (npm `minapp-sdk` 3.x), so that operator tests send exactly what its builders produce.
 * Its Node build is the mini-program bundle: it reads `window` and `regeneratorRuntime` while it loads (only then), so
 * both are lent for the `require` and taken back. Requests go through the SDK's request hook (`BaaS._baasRequest`),
 * which receives `{url, method, data}` as the SDK built them; the hook maps the SDK's `hserve` paths for
 * `_userprofile` onto this service's `userve` routes and sends them to the test app.
 */
export interface SentRequest {
  method: string;
  url: string;
  body?: unknown;
  /** the service's answer */
  status?: number;
}

export interface SdkResponse {
  status: number;
  statusCode: number;
  data: any;
}

export interface MinappSdk {
  BaaS: any;
  /** every request the SDK sent, as it reached the service */
  sent: SentRequest[];
  /** the user that the SDK's "current user" routes (UserRecord.update, updatePassword) act on */
  actAs(userId: number): void;
}

const TABLE = '_userprofile';

/** The SDK's path (and method) to this service's operator route. */
function operatorPath(method: string, url: string, currentUser: number | null): string {
  const [path, query] = url.split('?');
  const suffix = query ? `?${query}` : '';
  const record = new RegExp(`^/hserve/v2\\.[45]/table/${TABLE}/record/(?:(\\d+)/)?$`).exec(path);
  if (record) {
    const id = record[1];
    if (method === 'PUT') return id ? `/userve/v2.6/miniapp/user_profile/${id}/${suffix}` : `/userve/v2.6/miniapp/user_profile/${suffix}`;
    return id ? `/userve/v2.2/miniapp/user_profile/${id}/${suffix}` : `/userve/v2.2/miniapp/user_profile/${suffix}`;
  }
  const detail = /^\/hserve\/v2\.5\/user\/info\/(\d+)\/$/.exec(path);
  if (detail) return `/userve/v2.2/miniapp/user_profile/${detail[1]}/${suffix}`;
  if (path === '/hserve/v2.2/user/info/') return `/userve/v2.2/miniapp/user_profile/${suffix}`;
  if (path === '/hserve/v2.5/user/info/' && method === 'PUT') return `/userve/v2.6/miniapp/user_profile/${currentUser}/${suffix}`;
  if (path === '/hserve/v2.2/user/account/') return `/userve/v2.2/miniapp/user/account/${currentUser}/${suffix}`;
  throw new Error(`the test hook does not map ${method} ${url}`);
}

/** GET data as a query string, each value `encodeURIComponent(String(value))`, as the mini-program request does. */
function withQuery(url: string, data: Record<string, unknown> | undefined): string {
  const pairs = Object.entries(data ?? {})
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  if (!pairs.length) return url;
  return `${url}${url.includes('?') ? '&' : '?'}${pairs.join('&')}`;
}

export function loadMinappSdk(t: TestApp, token: () => string): MinappSdk {
  const lent = globalThis as Record<string, unknown>;
  lent.window = globalThis;
  lent.regeneratorRuntime = { mark: (fn: unknown) => fn, wrap: () => ({}) };
  let BaaS: any;
  try {
    BaaS = require('minapp-sdk');
  } finally {
    delete lent.window;
    delete lent.regeneratorRuntime;
  }
  const sent: SentRequest[] = [];
  let currentUser: number | null = null;
  BaaS._baasRequest = async ({ url, method = 'GET', data }: { url: string; method?: string; data?: unknown }): Promise<SdkResponse> => {
    const target = operatorPath(method, url, currentUser);
    const request: SentRequest = method === 'GET' ? { method, url: withQuery(target, data as Record<string, unknown>) } : { method, url: target, body: data };
    sent.push(request);
    const call = t.http()[method.toLowerCase() as 'get' | 'put'](request.url).set('Authorization', `Bearer ${token()}`);
    const res = request.body === undefined ? await call : await call.send(request.body as object);
    request.status = res.status;
    return { status: res.status, statusCode: res.status, data: res.body };
  };
  return { BaaS, sent, actAs: (id) => void (currentUser = id) };
}
