import { PiiCipher } from '../common/crypto/pii-cipher';
import { isoSeconds } from '../common/http/format';
import { VerificationRow } from './verification.view';

/** The original's categories (`certification_categories`); no icons are stored here. */
const CATEGORIES = {
  user: { name: 'user', display_name: '个人认证', description: '' },
  org: { name: 'org', display_name: '组织认证', description: '' },
} as const;

/** Our states (-1 waiting, 0 rejected, 1 approved) as the old API numbers them (0 waiting, 1 approved, 2 rejected). */
export function certificationStatus(state: number | null): 0 | 1 | 2 {
  if (state === 1) return 1;
  if (state === 0) return 2;
  return 0;
}

type ImagePrefix = 'vf' | 'vr' | 'vc';

function filesOf(row: VerificationRow): Array<{ file: number; size: number; mime: string }> {
  const prefixes: ImagePrefix[] = row.v_type === 'user' ? ['vf', 'vr'] : ['vc'];
  return prefixes
    .filter((prefix) => row[`${prefix}_id`] != null)
    .map((prefix) => ({ file: Number(row[`${prefix}_id`]), size: Number(row[`${prefix}_size`]), mime: String(row[`${prefix}_mime`]) }));
}

/**
 * One verification as the old `/user/certification` API shows it to its owner (thinksns-compat §5): the flat `data`
 * the H5 client's forms read (`name`, `number`, `phone`, `desc`, `files` as file ids, `org_*`), the category and the
 * files with their sizes. The same record `/user/verification` shows, decrypted the same way.
 */
export function toCertification(row: VerificationRow, cipher: PiiCipher) {
  if (row.v_type === null) return null;
  const open = (sealed: string | null) => (sealed === null ? null : cipher.decrypt(sealed));
  const files = filesOf(row);
  const person =
    row.v_type === 'user'
      ? { name: open(row.v_real_name_sealed), number: open(row.v_id_number_sealed) }
      : { name: open(row.v_person_name_sealed), number: open(row.v_person_number_sealed) };
  const data = {
    ...person,
    phone: row.v_phone_number,
    desc: row.v_desc,
    files: files.map((f) => f.file),
    ...(row.v_type === 'org' ? { org_name: row.v_org_name, org_address: row.v_org_address } : {}),
    ...(row.v_reject_reason ? { reject_content: row.v_reject_reason } : {}),
  };
  return {
    id: row.v_user_id,
    certification_name: row.v_type,
    user_id: row.v_user_id,
    data,
    examiner: row.v_reviewed_by ?? 0,
    status: certificationStatus(row.v_state),
    created_at: isoSeconds(row.v_created_at),
    updated_at: isoSeconds(row.v_updated_at),
    icon: null,
    category: CATEGORIES[row.v_type],
    files,
  };
}
