const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);

/** True when an error means "the database cannot be reached right now" (→ 503), not "the query was wrong". */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const e = error as { code?: string; message?: string; driverError?: unknown; cause?: unknown };
  if (e.code && UNAVAILABLE_CODES.has(e.code)) return true;
  const message = e.message ?? '';
  if (/Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connect ECONNREFUSED/i.test(message)) {
    return true;
  }
  return isDatabaseUnavailable(e.driverError) || isDatabaseUnavailable(e.cause);
}

/** PostgreSQL unique_violation, with the name of the violated constraint or index. */
export function uniqueViolation(error: unknown): string | undefined {
  const e = error as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  const driver = e?.driverError ?? e;
  return driver?.code === '23505' ? (driver.constraint ?? '') : undefined;
}

/** PostgreSQL check_violation, with the name of the violated constraint. */
export function checkViolation(error: unknown): string | undefined {
  const e = error as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  const driver = e?.driverError ?? e;
  return driver?.code === '23514' ? (driver.constraint ?? '') : undefined;
}

/** PostgreSQL foreign_key_violation (a parallel write removed or started using the referenced row). */
export function foreignKeyViolation(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string } };
  return (e?.driverError ?? e)?.code === '23503';
}
