import { randomInt } from 'node:crypto';
import { TestApp } from './harness';

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** A phone number nobody else in this run has (139 + 8 random digits). */
export function uniquePhone(): string {
  return `139${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;
}

/** A valid, unique user name (letters, display length 4.5). */
export function uniqueName(prefix = 'u'): string {
  let name = prefix;
  while (name.length < 9) name += LETTERS[randomInt(LETTERS.length)];
  return name;
}

/** The full-width form of an ASCII name (NFKC folds it back). */
export function fullwidth(name: string): string {
  return [...name].map((c) => String.fromCodePoint(c.codePointAt(0)! + 0xfee0)).join('');
}

export function uniqueEmail(): string {
  return `${uniqueName('m')}@example.com`;
}

export interface RegisteredUser {
  id: number;
  name: string;
  phone: string;
  password: string;
  token: string;
}

/** Registers a user through the API (code from the file driver), as a client would. */
export async function registerUser(t: TestApp, input: { name?: string; phone?: string; password?: string } = {}): Promise<RegisteredUser> {
  const name = input.name ?? uniqueName();
  const phone = input.phone ?? uniquePhone();
  const password = input.password ?? 'secret-123';
  await t.http().post('/api/v2/verifycodes/register').send({ phone }).expect(202);
  const response = await t
    .http()
    .post('/api/v2/users')
    .send({ name, phone, password, verifiable_type: 'sms', verifiable_code: t.lastCode(phone) })
    .expect(201);
  const { rows } = await t.db.query('SELECT id FROM users WHERE phone = $1 AND cancelled_at IS NULL', [phone]);
  return { id: Number(rows[0].id), name, phone, password, token: response.body.access_token };
}

/** Gives a user the founder role (every ability). */
export async function makeFounder(t: TestApp, userId: number): Promise<void> {
  await t.db.query(`INSERT INTO user_roles (user_id, role_id) SELECT $1, id FROM roles WHERE name = 'founder'`, [userId]);
}

/** Registers a user holding one new role that carries exactly the given abilities. */
export async function registerAdmin(t: TestApp, abilities: string[]): Promise<RegisteredUser> {
  const user = await registerUser(t);
  const role = uniqueName('role');
  const { rows } = await t.db.query(`INSERT INTO roles (name, display_name) VALUES ($1, $1) RETURNING id`, [role]);
  const granted = await t.db.query(`INSERT INTO role_abilities (role_id, ability_id) SELECT $1, id FROM abilities WHERE name = ANY($2::text[])`, [
    rows[0].id,
    abilities,
  ]);
  if (granted.rowCount !== abilities.length) throw new Error(`unknown ability among ${abilities.join(', ')}`);
  await t.db.query('INSERT INTO user_roles (user_id, role_id) VALUES ($1, $2)', [user.id, rows[0].id]);
  return user;
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
