/** Address timestamps follow the seed: `"2019-04-13 04:34:33"` (UTC), unlike user timestamps. */
export function seedTimestamp(value: Date): string {
  return value.toISOString().slice(0, 19).replace('T', ' ');
}

export interface AddressRow {
  id: number;
  user_id: number;
  alias: string | null;
  name: string;
  phone: string;
  province: string | null;
  city: string | null;
  county: string | null;
  detail: string;
  postcode: string | null;
  is_default: boolean;
  created_at: Date;
  updated_at: Date;
}

export function toAddressView(row: AddressRow) {
  return {
    id: row.id,
    user_id: row.user_id,
    alias: row.alias,
    name: row.name,
    phone: row.phone,
    province: row.province,
    city: row.city,
    county: row.county,
    detail: row.detail,
    postcode: row.postcode,
    is_default: row.is_default,
    created_at: seedTimestamp(row.created_at),
    updated_at: seedTimestamp(row.updated_at),
  };
}
