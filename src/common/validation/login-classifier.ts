import { isEmail } from 'class-validator';
import { normalizeCnPhone } from './cn-phone';
import { isUsername } from './username';

export type LoginIdentifier =
  { kind: 'email'; value: string } | { kind: 'phone'; value: string } | { kind: 'name'; value: string } | { kind: 'id'; value: number };

/** What a login / `:user` string names: e-mail, then cn_phone, then username, then an id; else nothing (mobile-api §1). */
export function classifyLogin(input: string): LoginIdentifier | null {
  if (input.length > 128) return null;
  // isEmail never accepts a string without '@', and ids / names / phones (the common case) have none.
  if (input.includes('@') && isEmail(input)) return { kind: 'email', value: input.toLowerCase() };
  const phone = normalizeCnPhone(input);
  if (phone) return { kind: 'phone', value: phone };
  if (isUsername(input)) return { kind: 'name', value: input };
  if (/^\d{1,15}$/.test(input)) {
    const id = Number(input);
    return id >= 1 ? { kind: 'id', value: id } : null;
  }
  return null;
}
