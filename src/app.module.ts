import { DynamicModule, Logger, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { AddressesModule } from './addresses/addresses.module';
import { AbilitiesModule } from './auth/abilities/abilities.module';
import { Clock } from './common/clock/clock';
import { ClockModule } from './common/clock/clock.module';
import { CryptoModule } from './common/crypto/crypto.module';
import { IdempotencyModule } from './common/idempotency/idempotency.module';
import { CurrencyModule } from './currency/currency.module';
import { OperatorModule } from './operator/operator.module';
import { RankingModule } from './ranking/ranking.module';
import { RetentionModule } from './retention/retention.module';
import { WalletModule } from './wallet/wallet.module';
import { BootstrappersModule } from './bootstrappers/bootstrappers.module';
import { CheckinModule } from './checkin/checkin.module';
import { RanksModule } from './ranks/ranks.module';
import { RechargeModule } from './recharge/recharge.module';
import { WithdrawalsModule } from './withdrawals/withdrawals.module';
import { VerificationModule } from './verification/verification.module';
import { AdminModule } from './admin/admin.module';
import { AuditModule } from './audit/audit.module';
import { AccessGuard } from './auth/access.guard';
import { AuthModule } from './auth/auth.module';
import { isLoginThrottled, loginAccountKey, loginThrottleKey } from './auth/login-throttle';
import { isContactMatchThrottled } from './users/contact-match.throttle';
import { TagsModule } from './tags/tags.module';
import { createRootLogger, ROOT_LOGGER } from './common/http/logging';
import { FixedWindowRateLimitStorage, SharedRateLimitStorage } from './common/http/rate-limit-storage';
import { RouteThrottlerGuard } from './common/http/route-throttler.guard';
import { AppConfig } from './config/app-config';
import { AppConfigModule } from './config/app-config.module';
import { buildDataSourceOptions } from './database/data-source-options';
import { migrateDatabase, roleSettingsOf } from './database/migrate';
import { ReplicaReadsModule } from './database/replica-reads';
import { recordWrite } from './users/user-activity';
import { FollowsModule } from './follows/follows.module';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';
import { AccountModule } from './users/account.module';
import { StorageModule } from './storage/storage.module';
import { FilesModule } from './files/files.module';
import { LocationsModule } from './locations/locations.module';
import { NearbyModule } from './nearby/nearby.module';
import { UsersModule } from './users/users.module';
import { VerifyCodesModule } from './verify-codes/verify-codes.module';

export interface AppOptions {
  config: AppConfig;
  /** Where log lines go (tests capture them); stdout by default. */
  logStream?: Parameters<typeof createRootLogger>[1];
  /** What tells the time (tests change the day with their own); the system clock by default. */
  clock?: Clock;
}

/**
 * One counter per client across every route (README §5: "on the whole API"; login and password retrieval share
 * theirs). The throttler's default key is per route, and a SHA-256 of it on every request.
 */
const wholeApiKey = (_context: unknown, tracker: string, throttlerName: string) => `${throttlerName}:${tracker}`;

@Module({})
export class AppModule {
  static forRoot({ config, logStream, clock }: AppOptions): DynamicModule {
    const databaseUrl = config.databaseUrl;
    if (!databaseUrl) throw new Error('AppModule needs config.databaseUrl (main.ts starts the embedded PostgreSQL first)');
    const logger = createRootLogger(config.logLevel, logStream);
    return {
      module: AppModule,
      imports: [
        AppConfigModule.with(config),
        ClockModule.with(clock),
        // nestjs-pino serves Nest's logger; request lines come from configureApp's onResponse hook (no middleware).
        LoggerModule.forRoot({ pinoHttp: { logger }, forRoutes: [] }),
        TypeOrmModule.forRootAsync({
          useFactory: () => ({
            ...buildDataSourceOptions({ url: databaseUrl, poolSize: config.databasePoolSize, preparedStatements: config.databasePreparedStatements }),
            retryAttempts: 3,
            retryDelay: 1000,
          }),
          // Migrations first (under their lock, MIGRATIONS_RUN), then the service's pool.
          dataSourceFactory: async (options) => {
            if (config.migrationsRun) {
              const { applied } = await migrateDatabase(databaseUrl, roleSettingsOf(config));
              new Logger('Migrations').log(applied.length ? `applied ${applied.length} migration(s)` : 'no pending migrations');
            }
            return new DataSource(options!);
          },
        }),
        ThrottlerModule.forRoot({
          throttlers: [
            {
              name: 'api',
              ttl: 60_000,
              limit: config.rateLimitPerMinute,
              getTracker: (req: Record<string, any>) => (req.user ? `user:${req.user.id}` : `ip:${req.ip}`),
              generateKey: wholeApiKey,
            },
            {
              name: 'login',
              ttl: 60_000,
              limit: config.loginRateLimitPerMinute,
              getTracker: (req: Record<string, any>) => loginThrottleKey(req),
              generateKey: wholeApiKey,
              skipIf: (context) => !isLoginThrottled(context),
            },
            {
              // Per account from any IP: a distributed guesser is slowed down too, then blocked for a window.
              name: 'login-account',
              ttl: config.loginAccountRateWindowSeconds * 1000,
              limit: config.loginAccountRateLimit,
              blockDuration: config.loginAccountRateWindowSeconds * 1000,
              getTracker: (req: Record<string, any>) => loginAccountKey(req),
              generateKey: wholeApiKey,
              skipIf: (context) => !isLoginThrottled(context),
            },
            {
              // Contact matching tells whether phone numbers are registered: a few calls an hour per user.
              name: 'contact-match',
              ttl: 3_600_000,
              limit: config.contactMatchPerHour,
              getTracker: (req: Record<string, any>) => `user:${req.user?.id}`,
              generateKey: wholeApiKey,
              skipIf: (context) => !isContactMatchThrottled(context),
            },
          ],
          storage: config.redisUrl ? new SharedRateLimitStorage(config.redisUrl) : new FixedWindowRateLimitStorage(),
        }),
        CryptoModule,
        IdempotencyModule,
        ReplicaReadsModule.forRoot(recordWrite, config.databaseReplicaUrls),
        ScheduleModule.forRoot(),
        AbilitiesModule,
        AuthModule,
        UsersModule,
        VerifyCodesModule,
        AdminModule,
        AuditModule,
        HealthModule,
        MetricsModule,
        StorageModule,
        FilesModule,
        LocationsModule,
        NearbyModule,
        AccountModule,
        FollowsModule,
        VerificationModule,
        AddressesModule,
        CurrencyModule,
        WalletModule,
        RankingModule,
        BootstrappersModule,
        WithdrawalsModule,
        RechargeModule,
        CheckinModule,
        RanksModule,
        OperatorModule,
        RetentionModule,
        TagsModule,
      ],
      providers: [
        { provide: ROOT_LOGGER, useValue: logger },
        // Order matters: the viewer is known before the rate limiter keys by it.
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_GUARD, useClass: RouteThrottlerGuard },
      ],
    };
  }
}
