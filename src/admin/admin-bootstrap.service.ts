import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PasswordHasher } from '../auth/password-hasher';
import { isAcceptablePassword } from '../common/validation/password';
import { isAcceptableUsername } from '../common/validation/username';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { UsersService } from '../users/users.service';
import { POINTS } from '../currency/points';
import { MONEY } from '../wallet/money';
import { AbilitiesService } from '../auth/abilities/abilities.service';
import { runSql } from '../database/sql';

/** `ADMIN_NAME` / `ADMIN_PASSWORD`: creates a founder account at start when no founder exists (spec README §5). */
@Injectable()
export class AdminBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger(AdminBootstrap.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly users: UsersService,
    private readonly abilities: AbilitiesService,
    private readonly hasher: PasswordHasher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { adminName: name, adminPassword: password } = this.config;
    if (!name || !password) return;
    if (!isAcceptableUsername(name) || !isAcceptablePassword(password)) {
      this.logger.error('ADMIN_NAME must follow the username rule and ADMIN_PASSWORD the password rule; no admin was created');
      return;
    }
    const hash = await this.hasher.hash(password);
    await this.db.transaction(async (manager) => {
      // Several instances may start at once: one of them creates the founder.
      await runSql(manager, `SELECT pg_advisory_xact_lock(hashtext('admin-bootstrap'))`);
      if (await this.abilities.founderExists(manager)) return;
      if (await this.users.isNameTaken(name, manager)) {
        this.logger.error(`ADMIN_NAME "${name}" belongs to an existing user; no admin was created`);
        return;
      }
      const userId = await this.users.createAccount(manager, { name, phone: null, email: null, password: hash, inviterId: null, registerIp: null });
      await POINTS.open(manager, userId);
      await MONEY.open(manager, userId);
      await this.abilities.grantFounder(manager, userId);
      this.logger.log(`created the founder account "${name}" (id ${userId})`);
    });
  }
}
