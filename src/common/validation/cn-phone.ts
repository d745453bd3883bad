const CN_PHONE = /^(?:\+86-?|0086|86)?(1[3-9]\d{9})$/;

/** The normalised 11-digit form of a mainland China mobile number, or null when it is not one (mobile-api §1). */
export function normalizeCnPhone(input: string): string | null {
  const match = CN_PHONE.exec(input);
  return match ? match[1] : null;
}

export function isCnPhone(input: unknown): input is string {
  return typeof input === 'string' && normalizeCnPhone(input) !== null;
}
