import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './app-config';

describe('loadConfig (README §5)', () => {
  let dataDir: string;
  const secret = randomBytes(32).toString('hex'); // 64 bytes of text
  const piiKey = randomBytes(32).toString('hex');
  const production = (extra: Record<string, string | undefined> = {}) => ({
    NODE_ENV: 'production',
    DATA_DIR: dataDir,
    DATABASE_URL: 'postgres://app@db.internal/app',
    JWT_SECRET: secret,
    PII_ENCRYPTION_KEY: piiKey,
    ...extra,
  });

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'app-config-spec-'));
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  describe('defaults (development)', () => {
    it('starts with nothing but a data directory', () => {
      const config = loadConfig({ DATA_DIR: dataDir });
      expect(config.production).toBe(false);
      expect(config.dataDir).toBe(dataDir);
      expect(config.port).toBe(3000);
      expect(config.databaseUrl).toBeUndefined();
      expect(config.migrationsRun).toBe(true);
      expect(config.databasePreparedStatements).toBe(true);
      expect(config.databaseStatementTimeoutMs).toBe(10_000);
      expect(config.databaseIdleInTransactionTimeoutMs).toBe(30_000);
      expect(config.jwtTtlMinutes).toBe(60);
      expect(config.jwtRefreshTtlMinutes).toBe(20160);
      expect(config.bcryptRounds).toBe(10);
      expect(config.adminName).toBeUndefined();
      expect(config.adminPassword).toBeUndefined();
      expect(config.reservedNames).toEqual(['root', 'admin', 'administrator', 'system']);
      expect(config.messageDriver).toBe('log');
      expect(config.messageDir).toBe(join(dataDir, 'messages'));
      expect(config.storageDir).toBe(join(dataDir, 'storage'));
      expect(config.storageMaxBytes).toBe(10 * 1024 * 1024);
      expect(config.redisUrl).toBeUndefined();
      expect(config.logLevel).toBe('info');
      expect(config.verifyCodeTtlSeconds).toBe(300);
      expect(config.verifyCodeResendSeconds).toBe(60);
      expect(config.verifyCodeAccountDailyLimit).toBe(10);
      expect(config.verifyCodeIpHourlyLimit).toBe(30);
      expect(config.rateLimitPerMinute).toBe(600);
      expect(config.loginRateLimitPerMinute).toBe(10);
      expect(config.corsOrigins).toEqual([]);
      expect(config.trustProxy).toBe(false);
      expect(config.rankRefreshCron).toBeTruthy();
    });

    it('generates a JWT secret and a PII key once, kept in the data directory', () => {
      const first = loadConfig({ DATA_DIR: dataDir });
      expect(Buffer.byteLength(first.jwtSecret)).toBeGreaterThanOrEqual(32);
      expect(first.piiEncryptionKey).toHaveLength(32);
      expect(existsSync(join(dataDir, 'jwt-secret'))).toBe(true);
      expect(readFileSync(join(dataDir, 'jwt-secret'), 'utf8').trim()).toBe(first.jwtSecret);
      const second = loadConfig({ DATA_DIR: dataDir });
      expect(second.jwtSecret).toBe(first.jwtSecret);
      expect(second.piiEncryptionKey.equals(first.piiEncryptionKey)).toBe(true);
    });

    it('reads explicit values', () => {
      const config = loadConfig({
        DATA_DIR: dataDir,
        PORT: '8080',
        JWT_TTL: '15',
        JWT_REFRESH_TTL: '1440',
        BCRYPT_ROUNDS: '12',
        DATABASE_URL: 'postgres://u:p@localhost:5432/db',
        RESERVED_NAMES: 'Root, Boss ,,x',
        CORS_ORIGINS: 'https://a.example,https://b.example',
        TRUST_PROXY: '2',
        MIGRATIONS_RUN: 'false',
        ADMIN_NAME: 'boss',
        ADMIN_PASSWORD: 'secret-123',
        LOG_LEVEL: 'warn',
      });
      expect(config.port).toBe(8080);
      expect(config.jwtTtlMinutes).toBe(15);
      expect(config.jwtRefreshTtlMinutes).toBe(1440);
      expect(config.bcryptRounds).toBe(12);
      expect(config.databaseUrl).toBe('postgres://u:p@localhost:5432/db');
      expect(config.reservedNames).toEqual(['root', 'boss', 'x']);
      expect(config.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
      expect(config.trustProxy).toBe(2);
      expect(config.migrationsRun).toBe(false);
      expect(config.adminName).toBe('boss');
      expect(config.adminPassword).toBe('secret-123');
      expect(config.logLevel).toBe('warn');
    });

    it('allows a low bcrypt cost outside production (tests)', () => {
      expect(loadConfig({ DATA_DIR: dataDir, BCRYPT_ROUNDS: '4' }).bcryptRounds).toBe(4);
    });
  });

  describe('production', () => {
    it('starts with a 32-byte JWT secret and a PII key', () => {
      const config = loadConfig(production());
      expect(config.production).toBe(true);
      expect(config.jwtSecret).toBe(secret);
      expect(config.piiEncryptionKey.equals(Buffer.from(piiKey, 'hex'))).toBe(true);
      expect(config.bcryptRounds).toBe(10);
    });

    it('refuses to start without JWT_SECRET', () => {
      expect(() => loadConfig(production({ JWT_SECRET: undefined }))).toThrow(ConfigError);
      expect(() => loadConfig(production({ JWT_SECRET: '   ' }))).toThrow(ConfigError);
      expect(existsSync(join(dataDir, 'jwt-secret'))).toBe(false);
    });

    it('refuses a JWT_SECRET shorter than 32 bytes', () => {
      expect(() => loadConfig(production({ JWT_SECRET: 'x'.repeat(31) }))).toThrow(ConfigError);
      expect(loadConfig(production({ JWT_SECRET: 'x'.repeat(32) })).jwtSecret).toBe('x'.repeat(32));
      // bytes, not characters: 11 CJK characters are 33 bytes
      expect(loadConfig(production({ JWT_SECRET: '密'.repeat(11) })).jwtSecret).toBe('密'.repeat(11));
      expect(() => loadConfig(production({ JWT_SECRET: '密'.repeat(10) }))).toThrow(ConfigError);
    });

    it('refuses to start without DATABASE_URL (no embedded PostgreSQL in production)', () => {
      expect(() => loadConfig(production({ DATABASE_URL: undefined }))).toThrow(/DATABASE_URL is required in production/);
      expect(() => loadConfig(production({ DATABASE_URL: ' ' }))).toThrow(/DATABASE_URL is required in production/);
      expect(loadConfig({ DATA_DIR: dataDir }).databaseUrl).toBeUndefined();
    });

    it('refuses to start without PII_ENCRYPTION_KEY', () => {
      expect(() => loadConfig(production({ PII_ENCRYPTION_KEY: undefined }))).toThrow(ConfigError);
      expect(existsSync(join(dataDir, 'pii-key'))).toBe(false);
    });

    it('refuses a bcrypt cost under 10', () => {
      expect(() => loadConfig(production({ BCRYPT_ROUNDS: '9' }))).toThrow(ConfigError);
      expect(() => loadConfig(production({ BCRYPT_ROUNDS: '4' }))).toThrow(ConfigError);
      expect(loadConfig(production({ BCRYPT_ROUNDS: '10' })).bcryptRounds).toBe(10);
      expect(loadConfig(production({ BCRYPT_ROUNDS: '12' })).bcryptRounds).toBe(12);
    });
  });

  describe('bad values', () => {
    it.each([
      ['PORT', 'abc'],
      ['PORT', '80.5'],
      ['PORT', '70000'],
      ['PORT', '-1'],
      ['JWT_TTL', '0'],
      ['JWT_TTL', '1e3'],
      ['JWT_TTL', '60 minutes'],
      ['BCRYPT_ROUNDS', '3'],
      ['BCRYPT_ROUNDS', '16'],
      ['BCRYPT_ROUNDS', 'ten'],
      ['DATABASE_POOL_SIZE', '0'],
      ['RATE_LIMIT_PER_MINUTE', '0x10'],
      ['VERIFY_CODE_TTL', '5'],
    ])('%s=%p → ConfigError', (key, value) => {
      expect(() => loadConfig({ DATA_DIR: dataDir, [key]: value })).toThrow(ConfigError);
    });

    it.each([
      ['', false],
      ['false', false],
      ['0', false],
      ['1', 1],
      ['3', 3],
      ['10.0.0.0/8, 192.168.1.7', ['10.0.0.0/8', '192.168.1.7']],
      ['fd00::/8,::1', ['fd00::/8', '::1']],
    ])('TRUST_PROXY=%p → %p', (value, expected) => {
      expect(loadConfig({ DATA_DIR: dataDir, TRUST_PROXY: value }).trustProxy).toEqual(expected);
    });

    it('keeps metrics and docs public by default outside production; docs are off in production unless API_DOCS', () => {
      expect(loadConfig({ DATA_DIR: dataDir })).toMatchObject({ internalPort: undefined, internalToken: undefined, apiDocs: true });
      const production = {
        DATA_DIR: dataDir,
        NODE_ENV: 'production',
        JWT_SECRET: 'j'.repeat(32),
        PII_ENCRYPTION_KEY: 'a'.repeat(64),
        DATABASE_URL: 'postgres://u@db/app',
      };
      expect(loadConfig(production).apiDocs).toBe(false);
      expect(loadConfig({ ...production, API_DOCS: 'true' }).apiDocs).toBe(true);
      expect(loadConfig({ DATA_DIR: dataDir, INTERNAL_PORT: '9100', INTERNAL_TOKEN: 't'.repeat(24) })).toMatchObject({
        internalPort: 9100,
        internalToken: 't'.repeat(24),
      });
    });

    it.each([
      [{ INTERNAL_PORT: '3000' }],
      [{ INTERNAL_PORT: '70000' }],
      [{ INTERNAL_PORT: 'metrics' }],
      [{ INTERNAL_TOKEN: 'short' }],
      [{ API_DOCS: 'maybe' }],
    ])('refuses %p', (env) => {
      expect(() => loadConfig({ DATA_DIR: dataDir, ...env })).toThrow(ConfigError);
    });

    it.each([['true'], ['TRUE'], ['yes'], ['on']])('refuses TRUST_PROXY=%p (it would trust every hop)', (value) => {
      expect(() => loadConfig({ DATA_DIR: dataDir, TRUST_PROXY: value })).toThrow(/trust every X-Forwarded-For hop/);
    });

    it.each([
      ['TRUST_PROXY', 'maybe'],
      ['TRUST_PROXY', '10.0.0.0/33'],
      ['TRUST_PROXY', '10.0.0.1/8/1'],
      ['TRUST_PROXY', 'proxy.internal'],
      ['TRUST_PROXY', '-1'],
      ['TRUST_PROXY', '33'],
      ['MIGRATIONS_RUN', 'sometimes'],
      ['MESSAGE_DRIVER', 'pigeon'],
      ['LOG_LEVEL', 'loud'],
      ['DATABASE_URL', 'mysql://localhost/db'],
      ['PII_ENCRYPTION_KEY', 'too-short'],
    ])('%s=%p → ConfigError', (key, value) => {
      expect(() => loadConfig({ DATA_DIR: dataDir, [key]: value })).toThrow(ConfigError);
    });

    it('needs SMTP_URL for the smtp driver', () => {
      expect(() => loadConfig({ DATA_DIR: dataDir, MESSAGE_DRIVER: 'smtp' })).toThrow(ConfigError);
      expect(loadConfig({ DATA_DIR: dataDir, MESSAGE_DRIVER: 'smtp', SMTP_URL: 'smtp://localhost:25' }).messageDriver).toBe('smtp');
    });

    it('reads the standing set of the income ranking: windows (all = all time) and cities, bounded', () => {
      const byDefault = loadConfig({ DATA_DIR: dataDir });
      expect(byDefault.rankStandingDays).toEqual([null, 1, 7, 30, 365]);
      expect(byDefault.rankStandingCities).toEqual([]);
      expect([byDefault.rankLiveTimeoutMs, byDefault.rankLiveConcurrency]).toEqual([1000, 2]);
      const set = loadConfig({ DATA_DIR: dataDir, RANK_STANDING_DAYS: '7, all,7,90', RANK_STANDING_CITIES: '北京, 成都市' });
      expect(set.rankStandingDays).toEqual([7, null, 90]);
      expect(set.rankStandingCities).toEqual(['北京', '成都市']);
      for (const days of ['0', '3651', 'week', '1.5']) expect(() => loadConfig({ DATA_DIR: dataDir, RANK_STANDING_DAYS: days })).toThrow(ConfigError);
      const cities = Array.from({ length: 13 }, (_, i) => `城${i}`).join(',');
      expect(() => loadConfig({ DATA_DIR: dataDir, RANK_STANDING_CITIES: cities })).toThrow(/64 combinations/);
    });

    it('needs ADMIN_NAME and ADMIN_PASSWORD together', () => {
      expect(() => loadConfig({ DATA_DIR: dataDir, ADMIN_NAME: 'boss' })).toThrow(ConfigError);
      expect(() => loadConfig({ DATA_DIR: dataDir, ADMIN_PASSWORD: 'secret-123' })).toThrow(ConfigError);
    });
  });
});

describe('STORAGE_DRIVER', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'app-config-storage-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('local by default; s3 needs a bucket, takes an endpoint (path-style then) and keys in pairs', () => {
    expect(loadConfig({ DATA_DIR: dataDir }).storageDriver).toBe('local');
    expect(() => loadConfig({ DATA_DIR: dataDir, STORAGE_DRIVER: 'ftp' })).toThrow(/STORAGE_DRIVER must be local or s3/);
    expect(() => loadConfig({ DATA_DIR: dataDir, STORAGE_DRIVER: 's3' })).toThrow(/needs S3_BUCKET/);
    expect(() => loadConfig({ DATA_DIR: dataDir, STORAGE_DRIVER: 's3', S3_BUCKET: 'b', S3_ACCESS_KEY_ID: 'k' })).toThrow(/go together/);
    const config = loadConfig({ DATA_DIR: dataDir, STORAGE_DRIVER: 's3', S3_BUCKET: 'b', S3_ENDPOINT: 'http://minio:9000' });
    expect(config.s3).toEqual({
      bucket: 'b',
      region: 'us-east-1',
      endpoint: 'http://minio:9000',
      forcePathStyle: true,
      accessKeyId: undefined,
      secretAccessKey: undefined,
      prefix: '',
    });
  });
});

describe('.env.example', () => {
  it('lists every setting loadConfig reads', () => {
    const source = readFileSync(join(__dirname, 'app-config.ts'), 'utf8');
    const read = new Set([...source.matchAll(/\(env, '([A-Z0-9_]+)'/g), ...source.matchAll(/env\.([A-Z0-9_]+)/g)].map((m) => m[1]));
    const listed = new Set([...readFileSync(join(__dirname, '..', '..', '.env.example'), 'utf8').matchAll(/^([A-Z0-9_]+)=/gm)].map((m) => m[1]));
    expect(read.size).toBeGreaterThan(30);
    expect([...read].filter((key) => !listed.has(key))).toEqual([]);
  });
});
