import { createDecipheriv, randomBytes } from 'node:crypto';
import { PiiCipher } from './pii-cipher';

/** Personal data at rest (quality §2 PII): AES-256-GCM, key from config, `v1:` + base64(iv | tag | ciphertext). */
describe('PiiCipher', () => {
  const key = randomBytes(32);
  const cipher = new PiiCipher(key);
  const ID = '11010519491231002X';
  const NAME = '张三丰';

  it.each([
    ['an ID number', ID],
    ['a Chinese name', NAME],
    ['the empty string', ''],
    ['one character', 'a'],
    ['5000 characters', 'x'.repeat(5000)],
    ['emoji and non-Latin text', '😀 é 한 中'],
    ['text that looks like a ciphertext', 'v1:looks-like-a-ciphertext'],
  ])('round-trips %s', (_label, plain) => {
    expect(cipher.decrypt(cipher.encrypt(plain))).toBe(plain);
  });

  it('writes the versioned format and never the plain text (nor its base64 / hex)', () => {
    const sealed = cipher.encrypt(ID);
    expect(sealed).toMatch(/^v1:[A-Za-z0-9+/]+=*$/);
    expect(sealed).not.toContain(ID);
    expect(sealed).not.toContain(ID.slice(0, 8));
    expect(sealed).not.toContain(Buffer.from(ID).toString('base64').slice(0, 12));
    expect(sealed).not.toContain(Buffer.from(ID).toString('hex').slice(0, 12));
    const bytes = Buffer.from(sealed.slice(3), 'base64');
    expect(bytes.length).toBe(12 + 16 + Buffer.byteLength(ID));
    expect(bytes.includes(Buffer.from(ID))).toBe(false);
    expect(bytes.includes(Buffer.from(NAME))).toBe(false);
  });

  it('is real AES-256-GCM with the configured key (decryptable by a standard implementation)', () => {
    const bytes = Buffer.from(cipher.encrypt(NAME).slice(3), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    expect(Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8')).toBe(NAME);
  });

  it('uses a fresh IV each time: equal inputs give different ciphertexts (no equality leak)', () => {
    const seen = new Set<string>();
    const ivs = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const sealed = cipher.encrypt(ID);
      seen.add(sealed);
      ivs.add(Buffer.from(sealed.slice(3), 'base64').subarray(0, 12).toString('hex'));
    }
    expect(seen.size).toBe(50);
    expect(ivs.size).toBe(50);
  });

  it('refuses to decrypt with another key', () => {
    const sealed = cipher.encrypt(ID);
    expect(() => new PiiCipher(randomBytes(32)).decrypt(sealed)).toThrow();
  });

  it('detects tampering with any byte (iv, tag or ciphertext)', () => {
    const sealed = cipher.encrypt(ID);
    const bytes = Buffer.from(sealed.slice(3), 'base64');
    for (let i = 0; i < bytes.length; i++) {
      const tampered = Buffer.from(bytes);
      tampered[i] ^= 0x01;
      expect(() => cipher.decrypt(`v1:${tampered.toString('base64')}`)).toThrow();
    }
  });

  it('detects a truncated or extended ciphertext', () => {
    const bytes = Buffer.from(cipher.encrypt(ID).slice(3), 'base64');
    expect(() => cipher.decrypt(`v1:${bytes.subarray(0, bytes.length - 1).toString('base64')}`)).toThrow();
    expect(() => cipher.decrypt(`v1:${Buffer.concat([bytes, Buffer.from([0])]).toString('base64')}`)).toThrow();
    expect(() => cipher.decrypt(`v1:${bytes.subarray(0, 20).toString('base64')}`)).toThrow();
  });

  it.each(['', 'v1:', 'v2:AAAA', ID, 'plain text', `v0:${cipher.encrypt(ID).slice(3)}`])('rejects the malformed value %p', (value) => {
    expect(() => cipher.decrypt(value)).toThrow();
  });

  it.each([0, 16, 31, 33, 64])('refuses a %d-byte key', (length) => {
    expect(() => new PiiCipher(randomBytes(length))).toThrow(/32 bytes/);
  });
});
