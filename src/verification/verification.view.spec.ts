import { PiiCipher } from '../common/crypto/pii-cipher';
import { certificationStatus, toCertification } from './certification.view';
import { toFullVerification, toPublicVerification, VerificationRow } from './verification.view';

const cipher = new PiiCipher(Buffer.alloc(32, 2));
const at = new Date('2024-01-02T03:04:05.678Z');
const image = { mime: 'image/png', size: 10, width: 3, height: 2 };
const row: VerificationRow = {
  v_type: 'user',
  v_state: 1,
  v_desc: 'd',
  v_slogan: 's',
  v_org_name: null,
  v_created_at: at,
  v_updated_at: at,
  v_user_id: 9,
  v_reject_reason: null,
  v_phone_number: '13800138000',
  v_real_name_sealed: cipher.encrypt('张三'),
  v_id_number_sealed: cipher.encrypt('11010519491231002X'),
  v_id_card_front: 'private:f.png',
  v_id_card_rear: 'private:r.png',
  v_org_address: null,
  v_org_certificate: null,
  v_person_name_sealed: null,
  v_person_number_sealed: null,
  v_reviewed_by: 4,
  vf_id: 11,
  vr_id: 12,
  vc_id: null,
  vf_mime: image.mime,
  vf_size: image.size,
  vf_width: image.width,
  vf_height: image.height,
  vr_mime: image.mime,
  vr_size: image.size,
  vr_width: image.width,
  vr_height: image.height,
  vc_mime: null,
  vc_size: null,
  vc_width: null,
  vc_height: null,
};

describe('verification views', () => {
  it('the public view has no names, ID numbers, phone numbers or images', () => {
    const view = toPublicVerification(row);
    expect(view).toEqual({ type: 'user', state: 1, desc: 'd', slogan: 's', created_at: '2024-01-02T03:04:05Z', updated_at: '2024-01-02T03:04:05Z' });
    expect(JSON.stringify(view)).not.toMatch(/张三|11010519491231002X|13800138000|private:/);
  });

  it('the public view of an organisation names it', () => {
    expect(toPublicVerification({ ...row, v_type: 'org', v_org_name: 'ACME' })).toMatchObject({ type: 'org', org: { name: 'ACME' } });
  });

  it('no verification is null in both views', () => {
    expect(toPublicVerification({ ...row, v_type: null })).toBeNull();
    expect(toFullVerification({ ...row, v_type: null }, cipher, 'http://h')).toBeNull();
  });

  it('the full view opens the sealed name and ID number for the person themselves', () => {
    const view = toFullVerification(row, cipher, 'http://h');
    expect(view).toMatchObject({ user_id: 9, data: { real_name: '张三', phone_number: '13800138000', id_card: { number: '11010519491231002X' } } });
    expect(view?.data).toMatchObject({ id_card: { front: { url: 'http://h/api/v2/storage/private:f.png' } } });
  });

  it('the full view for someone else (personal = false) leaves the sealed fields closed', () => {
    const view = toFullVerification(row, cipher, 'http://h', false);
    expect(view?.data).toMatchObject({ real_name: null, id_card: { number: null } });
  });

  it('the old certification view: flat data with file ids, status 0 / 1 / 2, category and files', () => {
    expect(toCertification(row, cipher)).toEqual({
      id: 9,
      certification_name: 'user',
      user_id: 9,
      data: { name: '张三', number: '11010519491231002X', phone: '13800138000', desc: 'd', files: [11, 12] },
      examiner: 4,
      status: 1,
      created_at: '2024-01-02T03:04:05Z',
      updated_at: '2024-01-02T03:04:05Z',
      icon: null,
      category: { name: 'user', display_name: '个人认证', description: '' },
      files: [
        { file: 11, size: 10, mime: 'image/png' },
        { file: 12, size: 10, mime: 'image/png' },
      ],
    });
    expect([-1, 0, 1].map(certificationStatus)).toEqual([0, 2, 1]);
    expect(toCertification({ ...row, v_type: null }, cipher)).toBeNull();
    expect(toCertification({ ...row, v_reject_reason: 'blurred', v_state: 0 }, cipher)).toMatchObject({ status: 2, data: { reject_content: 'blurred' } });
  });
});
