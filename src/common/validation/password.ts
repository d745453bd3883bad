/** 6–64 characters and at most 72 UTF-8 bytes: bcrypt ignores everything past byte 72 (mobile-api §1). */
export function isAcceptablePassword(input: unknown): input is string {
  if (typeof input !== 'string') return false;
  const characters = [...input].length;
  return characters >= 6 && characters <= 64 && Buffer.byteLength(input, 'utf8') <= 72;
}
