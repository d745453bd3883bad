import { createSecretKey, KeyObject, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export type MessageDriverName = 'log' | 'file' | 'smtp';

/** The service's configuration, read once from the environment (spec README §5) and validated at start. */
export interface AppConfig {
  production: boolean;
  port: number;
  dataDir: string;
  /** Unset until main.ts has started the embedded PostgreSQL. */
  databaseUrl?: string;
  databasePoolSize: number;
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
  storageDir: string;
  storageMaxBytes: number;
  /** Prefix of file URLs (`APP_URL`, e.g. https://api.example.com); empty → URLs relative to the API host. */
  publicUrl: string;
  piiEncryptionKey: Buffer;
  redisUrl?: string;
  rankRefreshCron: string;
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
  /** PAY_VALIDATE_PASSWORD: money-moving routes require the account password. */
  payValidatePassword: boolean;
  /** TRANSFORM_MIN: smallest wallet → points conversion, in 分. */
  transformMin: number;
  /** RECHARGE_RATIO: points per 分 when converting wallet money to points. */
  rechargeRatio: number;
  trustProxy: boolean;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function str(env: Env, key: string): string | undefined {
  const value = env[key]?.trim();
  return value ? value : undefined;
}

function int(env: Env, key: string, fallback: number, min: number, max: number): number {
  const raw = str(env, key);
  if (raw === undefined) return fallback;
  if (!/^-?\d+$/.test(raw)) throw new ConfigError(`${key} must be an integer, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(`${key} must be between ${min} and ${max}, got ${value}`);
  return value;
}

function bool(env: Env, key: string, fallback: boolean): boolean {
  const raw = str(env, key)?.toLowerCase();
  if (raw === undefined) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${key} must be true or false, got "${raw}"`);
}

function list(env: Env, key: string, fallback: string[]): string[] {
  const raw = str(env, key);
  if (raw === undefined) return fallback;
  return raw.split(',').map((s) => s.trim()).filter(Boolean);
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

function decodeKey(raw: string): Buffer {
  const key = /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  if (key.length !== 32) throw new ConfigError('PII_ENCRYPTION_KEY must be 32 bytes (64 hex characters or base64)');
  return key;
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

  const logLevel = str(env, 'LOG_LEVEL') ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) throw new ConfigError(`LOG_LEVEL "${logLevel}" is not a pino level`);

  return {
    production,
    port: int(env, 'PORT', 3000, 0, 65535),
    dataDir,
    databaseUrl,
    databasePoolSize: int(env, 'DATABASE_POOL_SIZE', 20, 1, 500),
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
    storageDir: resolve(str(env, 'STORAGE_DIR') ?? join(dataDir, 'storage')),
    storageMaxBytes: int(env, 'STORAGE_MAX_BYTES', 10 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    publicUrl: (str(env, 'APP_URL') ?? '').replace(/\/+$/, ''),
    piiEncryptionKey: decodeKey(piiKey),
    redisUrl: str(env, 'REDIS_URL'),
    rankRefreshCron: str(env, 'RANK_REFRESH_CRON') ?? '0 */3 * * * *',
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
    payValidatePassword: bool(env, 'PAY_VALIDATE_PASSWORD', false),
    transformMin: int(env, 'TRANSFORM_MIN', 100, 1, 1_000_000_000),
    rechargeRatio: int(env, 'RECHARGE_RATIO', 1, 1, 1000),
    trustProxy: bool(env, 'TRUST_PROXY', false),
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');

/**
 * The HS256 key as a KeyObject: given a string, jsonwebtoken first tries (and fails) to parse it as a public key on
 * every verify — about a millisecond per request.
 */
export function jwtKey(config: AppConfig): KeyObject {
  return createSecretKey(Buffer.from(config.jwtSecret, 'utf8'));
}
