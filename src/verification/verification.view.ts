import { PiiCipher } from '../common/crypto/pii-cipher';
import { isoSeconds } from '../common/http/format';
import { toFileView } from '../storage/file.view';

/** Columns of the public part, prefixed `v_`, for any query that has `verifications v` joined. */
export const VERIFICATION_PUBLIC_COLUMNS = `v.type AS v_type, v.state AS v_state, v.desc AS v_desc, v.slogan AS v_slogan,
  v.org_name AS v_org_name, v.created_at AS v_created_at, v.updated_at AS v_updated_at`;

/** The rest of a full verification, with its three images' file rows (joins in VERIFICATION_FILE_JOINS). */
export const VERIFICATION_PRIVATE_COLUMNS = `v.user_id AS v_user_id, v.reject_reason AS v_reject_reason,
  v.phone_number AS v_phone_number, v.real_name_sealed AS v_real_name_sealed, v.id_number_sealed AS v_id_number_sealed,
  v.id_card_front AS v_id_card_front, v.id_card_rear AS v_id_card_rear, v.org_address AS v_org_address,
  v.org_certificate AS v_org_certificate, v.person_name_sealed AS v_person_name_sealed, v.person_number_sealed AS v_person_number_sealed,
  v.reviewed_by AS v_reviewed_by, vf.id AS vf_id, vr.id AS vr_id, vc.id AS vc_id,
  vf.mime AS vf_mime, vf.size AS vf_size, vf.width AS vf_width, vf.height AS vf_height,
  vr.mime AS vr_mime, vr.size AS vr_size, vr.width AS vr_width, vr.height AS vr_height,
  vc.mime AS vc_mime, vc.size AS vc_size, vc.width AS vc_width, vc.height AS vc_height`;

export const VERIFICATION_FILE_JOINS = `LEFT JOIN files vf ON vf.node = v.id_card_front
  LEFT JOIN files vr ON vr.node = v.id_card_rear
  LEFT JOIN files vc ON vc.node = v.org_certificate`;

export interface VerificationPublicRow {
  v_type: 'user' | 'org' | null;
  v_state: number | null;
  v_desc: string | null;
  v_slogan: string | null;
  v_org_name: string | null;
  v_created_at: Date | null;
  v_updated_at: Date | null;
}

type ImagePrefix = 'vf' | 'vr' | 'vc';
type ImageColumns = { [K in `${ImagePrefix}_${'id' | 'mime' | 'size' | 'width' | 'height'}`]: string | number | null };

export interface VerificationRow extends VerificationPublicRow, ImageColumns {
  v_user_id: number | null;
  v_reject_reason: string | null;
  v_phone_number: string | null;
  v_real_name_sealed: string | null;
  v_id_number_sealed: string | null;
  v_id_card_front: string | null;
  v_id_card_rear: string | null;
  v_org_address: string | null;
  v_org_certificate: string | null;
  v_person_name_sealed: string | null;
  v_person_number_sealed: string | null;
  v_reviewed_by: number | null;
}

/** What everyone sees (mobile-api §5): no ID numbers, names, phone numbers or images. */
export function toPublicVerification(row: VerificationPublicRow) {
  if (row.v_type === null) return null;
  const view = {
    type: row.v_type,
    state: row.v_state,
    desc: row.v_desc,
    slogan: row.v_slogan,
    created_at: isoSeconds(row.v_created_at),
    updated_at: isoSeconds(row.v_updated_at),
  };
  return row.v_type === 'org' ? { ...view, org: { name: row.v_org_name } } : view;
}

function image(publicUrl: string, row: VerificationRow, node: string | null, prefix: ImagePrefix) {
  const mime = row[`${prefix}_mime`] as string | null;
  if (!node || !mime) return null;
  return toFileView(publicUrl, {
    node,
    mime,
    size: Number(row[`${prefix}_size`]),
    width: Number(row[`${prefix}_width`]),
    height: Number(row[`${prefix}_height`]),
  });
}

/**
 * The owner's and admins' view: everything, decrypted, with the images as file objects. With `personal: false` (an
 * admin without `admin:verification:review`) names and ID numbers stay sealed and read null.
 */
export function toFullVerification(row: VerificationRow, cipher: PiiCipher, publicUrl: string, personal = true) {
  if (row.v_type === null) return null;
  const open = (sealed: string | null) => (sealed === null || !personal ? null : cipher.decrypt(sealed));
  const data =
    row.v_type === 'user'
      ? {
          id_card: {
            front: image(publicUrl, row, row.v_id_card_front, 'vf'),
            rear: image(publicUrl, row, row.v_id_card_rear, 'vr'),
            number: open(row.v_id_number_sealed),
          },
          real_name: open(row.v_real_name_sealed),
          phone_number: row.v_phone_number,
          desc: row.v_desc,
        }
      : {
          org: { name: row.v_org_name, address: row.v_org_address, certificate: image(publicUrl, row, row.v_org_certificate, 'vc') },
          person: { name: open(row.v_person_name_sealed), number: open(row.v_person_number_sealed) },
          phone_number: row.v_phone_number,
          desc: row.v_desc,
        };
  return {
    type: row.v_type,
    state: row.v_state,
    desc: row.v_desc,
    slogan: row.v_slogan,
    reject_reason: row.v_reject_reason,
    created_at: isoSeconds(row.v_created_at),
    updated_at: isoSeconds(row.v_updated_at),
    user_id: row.v_user_id,
    data,
  };
}
