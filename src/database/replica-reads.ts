import {
  CallHandler,
  DynamicModule,
  ExecutionContext,
  Inject,
  Injectable,
  Module,
  NestInterceptor,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  SetMetadata,
} from '@nestjs/common';
import { APP_INTERCEPTOR, Reflector } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { catchError, concatMap, from, Observable, throwError } from 'rxjs';
import { DataSource } from 'typeorm';
import { Viewer } from '../common/auth/viewer';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { attachReplicas, ReadReplicas, replicaReadScope } from './read-replicas';
import { SqlRunner } from './sql';

const REPLICA_READS = 'replicaReads';

/** Marks that a user just wrote (the users module's activity stamp), passed in by the app: see forRoot(). */
export type RecordWrite = (db: SqlRunner, userId: number) => Promise<void>;
const RECORD_WRITE = Symbol('RECORD_WRITE');

/**
 * The handler's reads may be answered by a replica (heavy reads: public lists and views, discovery, ranks, operator
 * queries). Token checks run before it (on the primary), writes always go to the primary, and a viewer who wrote
 * within the read-your-writes window reads from the primary.
 */
export const ReplicaReads = () => SetMetadata(REPLICA_READS, true);

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

@Injectable()
class ReplicaReadsInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly replicas: ReadReplicas,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(RECORD_WRITE) private readonly recordWrite: RecordWrite,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!this.replicas.configured) return next.handle();
    const request = context.switchToHttp().getRequest<{ method: string; user?: Viewer | null }>();
    const viewer = request.user ?? null;
    if (!SAFE_METHODS.has(request.method)) {
      if (!viewer) return next.handle();
      // Marked whether the write succeeded or not (a failed request may still have written), before the answer.
      const mark = () => from(this.recordWrite(this.db, viewer.id));
      return next.handle().pipe(
        concatMap((result) => mark().pipe(concatMap(() => [result]))),
        catchError((error) => mark().pipe(concatMap(() => throwError(() => error)))),
      );
    }
    const marked = this.reflector.getAllAndOverride<boolean>(REPLICA_READS, [context.getHandler(), context.getClass()]);
    if (!marked || viewer?.recentWrite) return next.handle();
    // The handler runs when the observable is subscribed: subscribe inside the scope.
    return new Observable((subscriber) => replicaReadScope.run(true, () => next.handle().subscribe(subscriber)));
  }
}

/**
 * DATABASE_REPLICA_URLS: the replicas, attached to the data source for `preparedQuery` / `readQuery`. Import it as
 * `ReplicaReadsModule.forRoot(recordWrite)`: the app passes how a viewer's write is marked (src/database imports no
 * feature module).
 */
@Module({
  providers: [
    {
      provide: ReadReplicas,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        new ReadReplicas({ urls: config.databaseReplicaUrls, maxLagSeconds: config.databaseReplicaMaxLagSeconds, poolSize: config.databasePoolSize }),
    },
  ],
  exports: [ReadReplicas],
})
export class ReplicaReadsModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly replicas: ReadReplicas,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    attachReplicas(this.db, this.replicas);
    await this.replicas.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.replicas.stop();
  }

  /**
   * Without replicas (`replicaUrls` empty) the interceptor is not registered at all: a global interceptor costs every
   * route an observable chain and an async resource per request (measured on B1, bench/README.md), for nothing to route.
   */
  static forRoot(recordWrite: RecordWrite, replicaUrls: readonly string[]): DynamicModule {
    return {
      module: ReplicaReadsModule,
      providers: [
        { provide: RECORD_WRITE, useValue: recordWrite },
        ...(replicaUrls.length ? [{ provide: APP_INTERCEPTOR, useClass: ReplicaReadsInterceptor }] : []),
      ],
    };
  }
}
