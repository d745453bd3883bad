import { Injectable } from '@nestjs/common';
import { PiiCipher } from '../common/crypto/pii-cipher';
import { invalid, notFound } from '../common/errors/api-error';
import { StorageService } from '../storage/storage.service';
import { toCertification } from './certification.view';
import { CreateCertificationDto, UpdateCertificationDto } from './dto/certification.dto';
import { VerificationService } from './verification.service';

type FlatFields = Omit<UpdateCertificationDto, 'files' | 'type'> & { nodes?: string[] };

/** Drops what the old API treats as "not sent": missing values and empty strings (the original merged non-empty ones). */
function sent<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== null && v !== '')) as Partial<T>;
}

/** The old flat fields as the `data` of a `/user/verification` submission of that type (only those sent). */
function verificationData(type: 'user' | 'org', f: FlatFields): Record<string, unknown> {
  const nested = (value: Record<string, unknown>) => (Object.keys(sent(value)).length ? sent(value) : undefined);
  const data =
    type === 'user'
      ? { id_card: nested({ front: f.nodes?.[0], rear: f.nodes?.[1], number: f.number }), real_name: f.name }
      : { org: nested({ name: f.org_name, address: f.org_address, certificate: f.nodes?.[0] }), person: nested({ name: f.name, number: f.number }) };
  return sent({ ...data, phone_number: f.phone, desc: f.desc });
}

/**
 * The old `/user/certification` API (thinksns-compat §5) over the one verification record: it reads and writes
 * through VerificationService, so encryption, ownership of images and the review rules are the same.
 */
@Injectable()
export class CertificationService {
  constructor(
    private readonly verification: VerificationService,
    private readonly storage: StorageService,
    private readonly cipher: PiiCipher,
  ) {}

  async get(userId: number) {
    const row = await this.verification.row(userId);
    return row ? toCertification(row, this.cipher) : null;
  }

  async submit(userId: number, dto: CreateCertificationDto): Promise<void> {
    const nodes = await this.nodes(dto.type, dto.files, userId);
    await this.verification.create(userId, { type: dto.type, data: verificationData(dto.type, { ...dto, nodes }) });
  }

  /** Changes a rejected submission (it goes back to review); the type stays what it was. */
  async change(userId: number, dto: UpdateCertificationDto): Promise<void> {
    const current = await this.verification.row(userId);
    if (!current?.v_type) throw notFound();
    if (dto.type && dto.type !== current.v_type) throw invalid('type', 'certification_type_fixed');
    const nodes = dto.files?.length ? await this.nodes(current.v_type, dto.files, userId) : undefined;
    await this.verification.update(userId, verificationData(current.v_type, { ...dto, nodes }));
  }

  /** A personal submission needs both sides of the ID card; an organisation's, its licence. */
  private nodes(type: 'user' | 'org', ids: number[], userId: number): Promise<string[]> {
    if (type === 'user' && ids.length < 2) throw invalid('files', 'certification_files_required');
    return this.storage.nodesOwnedBy(ids.slice(0, type === 'user' ? 2 : 1), userId, 'files');
  }
}
