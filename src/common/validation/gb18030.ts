import { encode } from 'iconv-lite';

/** Byte length of the text encoded as GB18030 (ASCII 1, CJK 2, emoji 4): the unit of address limits. */
export function gb18030Length(text: string): number {
  return encode(text, 'gb18030').length;
}
