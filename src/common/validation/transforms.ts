import { Transform } from 'class-transformer';

/** Codes may arrive as JSON numbers (`123456`); a number is taken as its 6-digit string. */
export const CodeString = () =>
  Transform(({ value }) => (typeof value === 'number' && Number.isInteger(value) && value >= 0 ? String(value).padStart(6, '0') : value));

/** A whole number from a query string; anything else stays as it came so that @IsInt() rejects it (422). */
export const QueryInt = () => Transform(({ value }) => (typeof value === 'string' && /^-?\d{1,15}$/.test(value) ? Number(value) : value));
