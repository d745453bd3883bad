import { createSecretKey, KeyObject, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CommunitySettings, communitySettings } from './community-settings';

export type MessageDriverName = 'log' | 'file' | 'smtp';
export type StorageDriverName = 'local' | 's3';

/** An S3-compatible object store (STORAGE_DRIVER=s3). */
export interface S3Settings {
  bucket: string;
  region: string;
  /** non-AWS stores (MinIO, Ceph, OSS, COS…): their URL */
  endpoint?: string;
  forcePathStyle: boolean;
  /** unset: the SDK's default credential chain (environment, instance role…) */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** prepended to every object key, e.g. `user-service/` */
  prefix: string;
}

/** The service's configuration, read once from the environment (spec README §5) and validated at start. */
export interface AppConfig {
  production: boolean;
  port: number;
  dataDir: string;
  /** Unset until main.ts has started the embedded PostgreSQL. */
  databaseUrl?: string;
  databasePoolSize: number;
  /** DATABASE_PREPARED_STATEMENTS: named prepared statements on the hot path (off for PgBouncer < 1.21). */
  databasePreparedStatements: boolean;
  /** Role settings the migration step writes (milliseconds; 0 = none). */
  databaseStatementTimeoutMs: number;
  databaseIdleInTransactionTimeoutMs: number;
  /** DATABASE_REPLICA_URLS: streaming replicas that serve heavy reads (empty: everything on the primary). */
  databaseReplicaUrls: string[];
  /** DATABASE_REPLICA_MAX_LAG: seconds a replica may trail the primary and still serve reads. */
  databaseReplicaMaxLagSeconds: number;
  embeddedPostgresPort: number;
  migrationsRun: boolean;
  jwtSecret: string;
  jwtTtlMinutes: number;
  jwtRefreshTtlMinutes: number;
  bcryptRounds: number;
  adminName?: string;
  adminPassword?: string;
  reservedNames: string[];
  messageDriver: MessageDriverName;
  messageDir: string;
  smtpUrl?: string;
  smtpFrom: string;
  storageDriver: StorageDriverName;
  storageDir: string;
  s3?: S3Settings;
  storageMaxBytes: number;
  /** Prefix of file URLs (`APP_URL`, e.g. https://api.example.com); empty → URLs relative to the API host. */
  publicUrl: string;
  piiEncryptionKey: Buffer;
  redisUrl?: string;
  rankRefreshCron: string;
  /** The retention job (src/retention): schedule (`off` disables it on an instance), batch size, ages. */
  retentionCron: string;
  retentionBatch: number;
  retentionVerifyCodeHours: number;
  retentionRevokedSessionDays: number;
  retentionRankRunDays: number;
  /** RANK_STANDING_DAYS: the windows kept as snapshots (null = all time). */
  rankStandingDays: Array<number | null>;
  /** RANK_STANDING_CITIES: cities kept as snapshots, besides every city together. */
  rankStandingCities: string[];
  /** RANK_LIVE_TIMEOUT_MS: statement timeout of the live query that answers any other (days, city). */
  rankLiveTimeoutMs: number;
  /** RANK_LIVE_CONCURRENCY: live ranking queries one instance runs at once; more → 429. */
  rankLiveConcurrency: number;
  logLevel: string;
  verifyCodeTtlSeconds: number;
  verifyCodeResendSeconds: number;
  verifyCodeAccountDailyLimit: number;
  verifyCodeIpHourlyLimit: number;
  /** Codes one IP may request for one account per day (below the account's cap: no one-client lock-out). */
  verifyCodeAccountIpDailyLimit: number;
  rateLimitPerMinute: number;
  loginRateLimitPerMinute: number;
  /** Login / password-retrieval attempts per account (any IP) per window; beyond it the account waits a window. */
  loginAccountRateLimit: number;
  loginAccountRateWindowSeconds: number;
  corsOrigins: string[];
  /** LOCATION_HOTS: the hot cities `GET /locations/hots` answers, pinned by the operator (empty: the cities with the most users). */
  locationHots: string[];
  /** PAY_VALIDATE_PASSWORD: money-moving routes require the account password. */
  payValidatePassword: boolean;
  /** TRANSFORM_MIN: smallest wallet → points conversion, in 分. */
  transformMin: number;
  /** RECHARGE_RATIO: points per 分 when converting wallet money to points. */
  rechargeRatio: number;
  /**
   * Which X-Forwarded-For hops are believed: false (none: the socket address is the client), a number of proxy hops
   * in front of the service, or the addresses / CIDR ranges of trusted proxies. Never every hop.
   */
  trustProxy: TrustProxy;
  /** INTERNAL_PORT: when set, `/metrics` and the API docs are served on this port only (404 on `port`). */
  internalPort?: number;
  /** INTERNAL_TOKEN: when set, `/metrics` and the API docs need `Authorization: Bearer <token>`. */
  internalToken?: string;
  /** API_DOCS: serve the OpenAPI document and Swagger UI (default: on, off in production). */
  apiDocs: boolean;
  /** PUBLIC_CONTACT_LOOKUP: guests may look a user up by phone / e-mail (ThinkSNS+ login page; thinksns-compat §7). */
  publicContactLookup: boolean;
  /** CONTACT_MATCH_PER_HOUR: `POST /user/find-by-phone` calls per user per hour. */
  contactMatchPerHour: number;
  /** What the ThinkSNS+ clients are told and the service enforces: registration, points, wallet, check-in. */
  community: CommunitySettings;
}

export type TrustProxy = false | number | string[];

export class ConfigError extends Error {}

export type Env = Record<string, string | undefined>;

export function str(env: Env, key: string): string | undefined {
  const value = env[key]?.trim();
  return value ? value : undefined;
}

export function int(env: Env, key: string, fallback: number, min: number, max: number): number {
  const raw = str(env, key);
  if (raw === undefined) return fallback;
  if (!/^-?\d+$/.test(raw)) throw new ConfigError(`${key} must be an integer, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(`${key} must be between ${min} and ${max}, got ${value}`);
  return value;
}

export function bool(env: Env, key: string, fallback: boolean): boolean {
  const raw = str(env, key)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${key} must be true or false, got "${raw}"`);
}

/** An IPv4 / IPv6 address, optionally with a prefix length (`10.0.0.0/8`, `fd00::/8`). */
function isAddressOrCidr(value: string): boolean {
  const [address, prefix, extra] = value.split('/');
  const family = isIP(address);
  if (!family || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * TRUST_PROXY: unset / false / 0 → no proxy; a hop count; or a comma-separated list of proxy addresses and CIDR ranges.
 * `true` (trust every hop) is refused: any client could then choose its own address by sending X-Forwarded-For.
 */
function trustProxy(env: Env): TrustProxy {
  const raw = str(env, 'TRUST_PROXY');
  if (raw === undefined || ['false', 'no', 'off', '0'].includes(raw.toLowerCase())) return false;
  if (/^\d+$/.test(raw)) return int(env, 'TRUST_PROXY', 0, 1, 32);
  if (['true', 'yes', 'on'].includes(raw.toLowerCase())) {
    throw new ConfigError(
      'TRUST_PROXY=true would trust every X-Forwarded-For hop: give the number of proxies in front of the service, or their addresses / CIDR ranges',
    );
  }
  const proxies = list(env, 'TRUST_PROXY', []);
  const wrong = proxies.find((p) => !isAddressOrCidr(p));
  if (wrong !== undefined) throw new ConfigError(`TRUST_PROXY must be a hop count or a list of IP addresses / CIDR ranges, got "${wrong}"`);
  return proxies;
}

export function list(env: Env, key: string, fallback: string[]): string[] {
  const raw = str(env, key);
  if (raw === undefined) return fallback;
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** In development a missing secret is generated once and kept in the data directory. */
function developmentSecret(dataDir: string, file: string, bytes: number): string {
  const path = join(dataDir, file);
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(bytes).toString('base64');
  writeFileSync(path, secret + '\n', { mode: 0o600 });
  return secret;
}

const MAX_STANDING_RANKINGS = 64;

/** `all,1,7,30,365` → [null, 1, 7, 30, 365]: ranking windows in days (1–3650, as the route accepts), `all` = all time. */
function rankWindows(env: Env, key: string): Array<number | null> {
  const windows = list(env, key, ['all', '1', '7', '30', '365']).map((raw) => {
    if (raw === 'all') return null;
    const days = Number(raw);
    if (!/^\d+$/.test(raw) || days < 1 || days > 3650) throw new ConfigError(`${key} takes "all" or days from 1 to 3650, got "${raw}"`);
    return days;
  });
  return [...new Set(windows)];
}

function decodeKey(raw: string): Buffer {
  const key = /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  if (key.length !== 32) throw new ConfigError('PII_ENCRYPTION_KEY must be 32 bytes (64 hex characters or base64)');
  return key;
}

function s3Settings(env: Env): S3Settings {
  const bucket = str(env, 'S3_BUCKET');
  if (!bucket) throw new ConfigError('STORAGE_DRIVER=s3 needs S3_BUCKET');
  const accessKeyId = str(env, 'S3_ACCESS_KEY_ID');
  const secretAccessKey = env.S3_SECRET_ACCESS_KEY || undefined;
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) throw new ConfigError('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together');
  const endpoint = str(env, 'S3_ENDPOINT');
  if (endpoint !== undefined && !/^https?:\/\//.test(endpoint)) throw new ConfigError('S3_ENDPOINT must be an http(s):// URL');
  return {
    bucket,
    region: str(env, 'S3_REGION') ?? 'us-east-1',
    endpoint,
    forcePathStyle: bool(env, 'S3_FORCE_PATH_STYLE', endpoint !== undefined),
    accessKeyId,
    secretAccessKey,
    prefix: str(env, 'S3_PREFIX') ?? '',
  };
}

export function loadConfig(env: Env = process.env): AppConfig {
  const production = env.NODE_ENV === 'production';
  const dataDir = resolve(str(env, 'DATA_DIR') ?? '.data');

  let jwtSecret = str(env, 'JWT_SECRET');
  if (jwtSecret === undefined) {
    if (production) throw new ConfigError('JWT_SECRET is required in production (at least 32 bytes)');
    jwtSecret = developmentSecret(dataDir, 'jwt-secret', 48);
  }
  if (production && Buffer.byteLength(jwtSecret) < 32) throw new ConfigError('JWT_SECRET must be at least 32 bytes in production');

  let piiKey = str(env, 'PII_ENCRYPTION_KEY');
  if (piiKey === undefined) {
    if (production) throw new ConfigError('PII_ENCRYPTION_KEY is required in production');
    piiKey = developmentSecret(dataDir, 'pii-key', 32);
  }

  const messageDriver = (str(env, 'MESSAGE_DRIVER') ?? 'log') as MessageDriverName;
  if (!['log', 'file', 'smtp'].includes(messageDriver)) throw new ConfigError(`MESSAGE_DRIVER must be log, file or smtp, got "${messageDriver}"`);
  const smtpUrl = str(env, 'SMTP_URL');
  if (messageDriver === 'smtp' && !smtpUrl) throw new ConfigError('MESSAGE_DRIVER=smtp needs SMTP_URL');

  const adminName = str(env, 'ADMIN_NAME');
  const adminPassword = env.ADMIN_PASSWORD || undefined;
  if ((adminName === undefined) !== (adminPassword === undefined)) throw new ConfigError('ADMIN_NAME and ADMIN_PASSWORD go together');

  const databaseUrl = str(env, 'DATABASE_URL');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) throw new ConfigError('DATABASE_URL must be a postgres:// URL');
  const replicaUrls = list(env, 'DATABASE_REPLICA_URLS', []);
  for (const url of replicaUrls) if (!/^postgres(ql)?:\/\//.test(url)) throw new ConfigError('DATABASE_REPLICA_URLS must be a comma list of postgres:// URLs');
  if (production && databaseUrl === undefined) {
    throw new ConfigError('DATABASE_URL is required in production (the embedded PostgreSQL is for development and tests only)');
  }

  const storageDriver = (str(env, 'STORAGE_DRIVER') ?? 'local') as StorageDriverName;
  if (!['local', 's3'].includes(storageDriver)) throw new ConfigError(`STORAGE_DRIVER must be local or s3, got "${storageDriver}"`);
  const s3 = storageDriver === 's3' ? s3Settings(env) : undefined;

  const logLevel = str(env, 'LOG_LEVEL') ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) throw new ConfigError(`LOG_LEVEL "${logLevel}" is not a pino level`);

  const port = int(env, 'PORT', 3000, 0, 65535);
  const internalPort = str(env, 'INTERNAL_PORT') === undefined ? undefined : int(env, 'INTERNAL_PORT', 0, 0, 65535);
  if (internalPort !== undefined && internalPort !== 0 && internalPort === port) throw new ConfigError('INTERNAL_PORT must differ from PORT');
  const internalToken = str(env, 'INTERNAL_TOKEN');
  if (internalToken !== undefined && Buffer.byteLength(internalToken) < 24) throw new ConfigError('INTERNAL_TOKEN must be at least 24 bytes');
  const rankStandingDays = rankWindows(env, 'RANK_STANDING_DAYS');
  const rankStandingCities = list(env, 'RANK_STANDING_CITIES', []);
  // Each standing combination costs a scan of its window at every refresh.
  if (rankStandingDays.length * (1 + rankStandingCities.length) > MAX_STANDING_RANKINGS) {
    throw new ConfigError(`RANK_STANDING_DAYS × (every city + RANK_STANDING_CITIES) must stay within ${MAX_STANDING_RANKINGS} combinations`);
  }

  return {
    production,
    port,
    dataDir,
    databaseUrl,
    databasePoolSize: int(env, 'DATABASE_POOL_SIZE', 20, 1, 500),
    databasePreparedStatements: bool(env, 'DATABASE_PREPARED_STATEMENTS', true),
    databaseStatementTimeoutMs: int(env, 'DATABASE_STATEMENT_TIMEOUT', 10_000, 0, 3_600_000),
    databaseIdleInTransactionTimeoutMs: int(env, 'DATABASE_IDLE_IN_TRANSACTION_TIMEOUT', 30_000, 0, 3_600_000),
    databaseReplicaUrls: replicaUrls,
    databaseReplicaMaxLagSeconds: int(env, 'DATABASE_REPLICA_MAX_LAG', 5, 1, 3600),
    embeddedPostgresPort: int(env, 'EMBEDDED_PG_PORT', 54329, 1, 65535),
    migrationsRun: bool(env, 'MIGRATIONS_RUN', true),
    jwtSecret,
    jwtTtlMinutes: int(env, 'JWT_TTL', 60, 1, 525600),
    jwtRefreshTtlMinutes: int(env, 'JWT_REFRESH_TTL', 20160, 1, 5256000),
    bcryptRounds: int(env, 'BCRYPT_ROUNDS', 10, production ? 10 : 4, 15),
    adminName,
    adminPassword,
    reservedNames: list(env, 'RESERVED_NAMES', ['root', 'admin', 'administrator', 'system']).map((n) => n.toLowerCase()),
    messageDriver,
    messageDir: resolve(str(env, 'MESSAGE_DIR') ?? join(dataDir, 'messages')),
    smtpUrl,
    smtpFrom: str(env, 'SMTP_FROM') ?? 'no-reply@localhost',
    storageDriver,
    s3,
    storageDir: resolve(str(env, 'STORAGE_DIR') ?? join(dataDir, 'storage')),
    storageMaxBytes: int(env, 'STORAGE_MAX_BYTES', 10 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    publicUrl: (str(env, 'APP_URL') ?? '').replace(/\/+$/, ''),
    piiEncryptionKey: decodeKey(piiKey),
    redisUrl: str(env, 'REDIS_URL'),
    rankRefreshCron: str(env, 'RANK_REFRESH_CRON') ?? '0 */3 * * * *',
    retentionCron: str(env, 'RETENTION_CRON') ?? '0 */10 * * * *',
    retentionBatch: int(env, 'RETENTION_BATCH', 5000, 1, 1_000_000),
    // Codes feed the 24-hour send limits: they are kept longer than that.
    retentionVerifyCodeHours: int(env, 'RETENTION_VERIFY_CODES_HOURS', 48, 25, 24 * 3650),
    retentionRevokedSessionDays: int(env, 'RETENTION_REVOKED_SESSIONS_DAYS', 7, 0, 3650),
    retentionRankRunDays: int(env, 'RETENTION_RANK_RUNS_DAYS', 7, 1, 3650),
    rankStandingDays,
    rankStandingCities,
    rankLiveTimeoutMs: int(env, 'RANK_LIVE_TIMEOUT_MS', 1000, 10, 60_000),
    rankLiveConcurrency: int(env, 'RANK_LIVE_CONCURRENCY', 2, 1, 100),
    logLevel,
    verifyCodeTtlSeconds: int(env, 'VERIFY_CODE_TTL', 300, 10, 86400),
    verifyCodeResendSeconds: int(env, 'VERIFY_CODE_RESEND_SECONDS', 60, 0, 3600),
    verifyCodeAccountDailyLimit: int(env, 'VERIFY_CODE_ACCOUNT_DAILY_LIMIT', 10, 1, 10_000_000),
    verifyCodeIpHourlyLimit: int(env, 'VERIFY_CODE_IP_HOURLY_LIMIT', 30, 1, 10_000_000),
    verifyCodeAccountIpDailyLimit: int(env, 'VERIFY_CODE_ACCOUNT_IP_DAILY_LIMIT', 5, 1, 10_000_000),
    rateLimitPerMinute: int(env, 'RATE_LIMIT_PER_MINUTE', 600, 1, 10_000_000),
    loginRateLimitPerMinute: int(env, 'LOGIN_RATE_LIMIT_PER_MINUTE', 10, 1, 10_000_000),
    loginAccountRateLimit: int(env, 'LOGIN_ACCOUNT_RATE_LIMIT', 20, 1, 10_000_000),
    loginAccountRateWindowSeconds: int(env, 'LOGIN_ACCOUNT_RATE_WINDOW', 900, 1, 86_400),
    corsOrigins: list(env, 'CORS_ORIGINS', []),
    locationHots: list(env, 'LOCATION_HOTS', [])
      .map((hot) => hot.slice(0, 64))
      .slice(0, 50),
    payValidatePassword: bool(env, 'PAY_VALIDATE_PASSWORD', false),
    publicContactLookup: bool(env, 'PUBLIC_CONTACT_LOOKUP', false),
    contactMatchPerHour: int(env, 'CONTACT_MATCH_PER_HOUR', 20, 1, 100_000),
    transformMin: int(env, 'TRANSFORM_MIN', 100, 1, 1_000_000_000),
    rechargeRatio: int(env, 'RECHARGE_RATIO', 1, 1, 1000),
    trustProxy: trustProxy(env),
    internalPort,
    internalToken,
    apiDocs: bool(env, 'API_DOCS', !production),
    community: communitySettings(env),
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');

/**
 * How long after a write a user's reads stay on the primary: twice the lag a replica may have, plus the interval of
 * the replica checks, so a replica chosen for the next read has replayed the write.
 */
export function readYourWritesSeconds(config: AppConfig): number {
  return 2 * config.databaseReplicaMaxLagSeconds + 2;
}

/**
 * The HS256 key as a KeyObject: given a string, jsonwebtoken first tries (and fails) to parse it as a public key on
 * every verify — about a millisecond per request.
 */
export function jwtKey(config: AppConfig): KeyObject {
  return createSecretKey(Buffer.from(config.jwtSecret, 'utf8'));
}
