import { CallHandler, DynamicModule, ExecutionContext, Injectable, Module, NestInterceptor, OnApplicationBootstrap, OnApplicationShutdown, SetMetadata } from '@nestjs/common';
import { APP_INTERCEPTOR, Reflector } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { catchError, concatMap, from, Observable, throwError } from 'rxjs';
import { DataSource } from 'typeorm';
import { AuthCoreModule } from '../auth/auth-core.module';
import { AuthSessionsService } from '../auth/auth-sessions.service';
import { Viewer } from '../common/auth/viewer';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { attachReplicas, ReadReplicas, replicaReadScope } from './read-replicas';

const REPLICA_READS = 'replicaReads';

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
    private readonly sessions: AuthSessionsService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!this.replicas.configured) return next.handle();
    const request = context.switchToHttp().getRequest<{ method: string; user?: Viewer | null }>();
    const viewer = request.user ?? null;
    if (!SAFE_METHODS.has(request.method)) {
      if (!viewer) return next.handle();
      // Marked whether the write succeeded or not (a failed request may still have written), before the answer.
      const mark = () => from(this.sessions.recordWrite(viewer.id));
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
 * DATABASE_REPLICA_URLS: the replicas, attached to the data source for `preparedQuery` / `readQuery`. Without replicas
 * the interceptor is not registered at all: a global interceptor costs every route an observable chain and an async
 * resource per request (measured on B1), for nothing to route.
 */
@Module({})
export class ReplicaReadsModule implements OnApplicationBootstrap, OnApplicationShutdown {
  static forRoot(config: Pick<AppConfig, 'databaseReplicaUrls'>): DynamicModule {
    return {
      module: ReplicaReadsModule,
      imports: [AuthCoreModule],
      providers: [
        {
          provide: ReadReplicas,
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) =>
            new ReadReplicas({ urls: config.databaseReplicaUrls, maxLagSeconds: config.databaseReplicaMaxLagSeconds, poolSize: config.databasePoolSize }),
        },
        ...(config.databaseReplicaUrls.length ? [{ provide: APP_INTERCEPTOR, useClass: ReplicaReadsInterceptor }] : []),
      ],
      exports: [ReadReplicas],
    };
  }

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
}
