import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PasswordHasher } from '../auth/password-hasher';
import { isAcceptablePassword } from '../common/validation/password';
import { isUsername } from '../common/validation/username';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { UsersService } from '../users/users.service';

/** `ADMIN_NAME` / `ADMIN_PASSWORD`: creates a founder account at start when no founder exists (spec README §5). */
@Injectable()
export class AdminBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger(AdminBootstrap.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { adminName: name, adminPassword: password } = this.config;
    if (!name || !password) return;
    if (!isUsername(name) || !isAcceptablePassword(password)) {
      this.logger.error('ADMIN_NAME must follow the username rule and ADMIN_PASSWORD the password rule; no admin was created');
      return;
    }
    const hash = await this.hasher.hash(password);
    await this.db.transaction(async (manager) => {
      // Several instances may start at once: one of them creates the founder.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('admin-bootstrap'))`);
      const [founder] = await manager.query(
        `SELECT 1 FROM user_roles ur JOIN roles r ON r.id = ur.role_id JOIN users u ON u.id = ur.user_id
          WHERE r.grants_all AND u.cancelled_at IS NULL LIMIT 1`,
      );
      if (founder) return;
      const [taken] = await manager.query('SELECT 1 FROM users WHERE lower(name) = lower($1) AND cancelled_at IS NULL', [name]);
      if (taken) {
        this.logger.error(`ADMIN_NAME "${name}" belongs to an existing user; no admin was created`);
        return;
      }
      const userId = await this.users.createAccount(manager, { name, phone: null, email: null, password: hash, inviterId: null, registerIp: null });
      await manager.query(`INSERT INTO user_roles (user_id, role_id) SELECT $1, id FROM roles WHERE name = 'founder'`, [userId]);
      this.logger.log(`created the founder account "${name}" (id ${userId})`);
    });
  }
}
