import { PiiCipher } from '../common/crypto/pii-cipher';
import { normalizeCnPhone } from '../common/validation/cn-phone';
import { ReportEntries } from './report';

/** A row of `certifications` (2017_07_22_020520): `data` is JSON text {name, phone, number, desc, files, org_*, reject_content}. */
export interface SourceCertification {
  id: number;
  certification_name: string;
  user_id: number;
  data: string | null;
  examiner: number | null;
  status: number | null;
  created_at: Date | null;
  updated_at: Date | null;
}

export interface CertificationData {
  name?: unknown;
  phone?: unknown;
  number?: unknown;
  desc?: unknown;
  files?: unknown;
  org_name?: unknown;
  org_address?: unknown;
  reject_content?: unknown;
}

/** The values of one `verifications` row; image columns hold file_withs ids until the files are copied. */
export interface TargetVerification {
  user_id: number;
  type: 'user' | 'org';
  state: -1 | 0 | 1;
  desc: string | null;
  reject_reason: string | null;
  phone_number: string | null;
  real_name_sealed: string | null;
  id_number_sealed: string | null;
  org_name: string | null;
  org_address: string | null;
  person_name_sealed: string | null;
  person_number_sealed: string | null;
  reviewed_by: number | null;
  reviewed_at: Date | null;
  created_at: Date;
  updated_at: Date;
  /** file_withs ids: [front, rear] for a person, [certificate] for an organisation */
  fileWithIds: number[];
}

/** Original status → ours (0 pending, 1 passed, 2 rejected → -1, 1, 0). */
const STATES: Record<number, -1 | 0 | 1> = { 0: -1, 1: 1, 2: 0 };

const text = (value: unknown, max: number): string | null => {
  if (typeof value === 'number') value = String(value);
  return typeof value === 'string' && value.trim() ? value.trim().slice(0, max) : null;
};

/**
 * The verification of one user from their certifications (the original allowed one per type; this service keeps
 * one: the passed one, else the newest). Names and ID numbers are sealed with the service's key.
 */
export function planVerification(rows: SourceCertification[], cipher: PiiCipher, report: ReportEntries): TargetVerification | null {
  const usable: Array<{ row: SourceCertification; data: CertificationData }> = [];
  for (const row of rows) {
    const skip = (reason: string, detail: string | null = null) => report.skipped('certifications', row.id, row.user_id, reason, detail);
    if (row.certification_name !== 'user' && row.certification_name !== 'org') {
      skip('certification_type_unknown', row.certification_name);
      continue;
    }
    if (STATES[row.status ?? 0] === undefined) {
      skip('certification_status_unknown', `status ${row.status}`);
      continue;
    }
    let data: unknown;
    try {
      data = JSON.parse(row.data ?? '');
    } catch {
      skip('certification_data_broken', 'data is not JSON');
      continue;
    }
    if (!data || typeof data !== 'object' || Array.isArray(data)) {
      skip('certification_data_broken', 'data is not a JSON object');
      continue;
    }
    usable.push({ row, data: data as CertificationData });
  }
  if (!usable.length) return null;
  usable.sort((a, b) => Number(b.row.status === 1) - Number(a.row.status === 1) || (b.row.updated_at?.getTime() ?? 0) - (a.row.updated_at?.getTime() ?? 0));
  const [{ row, data }, ...others] = usable;
  for (const other of others) {
    report.skipped('certifications', other.row.id, other.row.user_id, 'certification_second_type', `kept certification ${row.id} (${row.certification_name})`);
  }
  const alter = (reason: string, detail: string) => report.altered('certifications', row.id, row.user_id, reason, detail);
  const type = row.certification_name as 'user' | 'org';
  const state = STATES[row.status ?? 0];
  const seal = (value: unknown, max: number) => {
    const plain = text(value, max);
    return plain ? cipher.encrypt(plain) : null;
  };
  let phone: string | null = null;
  if (text(data.phone, 64)) {
    phone = normalizeCnPhone(String(data.phone).replace(/[\s-]/g, ''));
    if (!phone) alter('phone_invalid', 'the contact phone is not a mainland mobile number: dropped');
  }
  const fileWithIds = Array.isArray(data.files)
    ? data.files
        .map(Number)
        .filter((id) => Number.isSafeInteger(id) && id > 0)
        .slice(0, type === 'user' ? 2 : 1)
    : [];
  const created = row.created_at ?? row.updated_at ?? new Date(0);
  const reviewed = state !== -1;
  return {
    user_id: row.user_id,
    type,
    state,
    desc: text(data.desc, 255),
    reject_reason: state === 0 ? text(data.reject_content, 255) : null,
    phone_number: phone,
    real_name_sealed: type === 'user' ? seal(data.name, 64) : null,
    id_number_sealed: type === 'user' ? seal(data.number, 64) : null,
    org_name: type === 'org' ? text(data.org_name, 128) : null,
    org_address: type === 'org' ? text(data.org_address, 255) : null,
    person_name_sealed: type === 'org' ? seal(data.name, 64) : null,
    person_number_sealed: type === 'org' ? seal(data.number, 64) : null,
    reviewed_by: reviewed && row.examiner ? row.examiner : null,
    reviewed_at: reviewed ? (row.updated_at ?? created) : null,
    created_at: created,
    updated_at: row.updated_at ?? created,
    fileWithIds,
  };
}
