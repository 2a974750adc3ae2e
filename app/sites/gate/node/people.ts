/**
 * People in the site store: a person record made from a verified chip (name, birth facts, origin,
 * residence, ID number sealed) plus what HR adds (employee number, department, access group), and
 * their face templates (chip portrait, live capture), sealed. Enrolling the same ID number again
 * replaces the record and every template (none of the old face is kept).
 */
import { parseIdNumber } from '../../../core/cccd/id-number.ts';
import { KioskError } from '../../../core/errors.ts';
import type { FaceTemplate, Holder } from '../../../core/journey/ports.ts';
import type { SiteStore } from '../../../core/site-store/site-store.ts';
import { idRefOf, personKeyOf, type SiteKeys } from '../common/identity.ts';
import { COLLECTIONS, templateRecord, type PersonRecord, type TemplateRecord } from '../common/records.ts';
import { provinceOfAddress } from '../common/statistics.ts';
import type { GateSeals } from './seals.ts';

export interface FaceTemplates {
  readonly model: string;
  readonly chip?: Float32Array;
  readonly live?: Float32Array;
}

export interface PersonInput {
  readonly kind: 'worker' | 'visitor';
  readonly holder: Holder;
  readonly group: string;
  readonly employeeNo?: string;
  readonly department?: string;
  readonly validFrom?: string;
  readonly validUntil?: string;
  readonly face?: FaceTemplates;
  /** When the person agreed to their face being kept. */
  readonly consentAt?: string;
}

export const SOURCES = ['chip', 'live'] as const;

export class PeopleStore {
  constructor(
    private readonly store: SiteStore,
    private readonly keys: SiteKeys,
    private readonly seals: GateSeals,
  ) {}

  idRef(idNumber: string): string {
    return idRefOf(this.keys.lookup, idNumber);
  }

  /** Makes or replaces the person's record and templates; returns their key and whether one existed. */
  async enrol(input: PersonInput, now: Date): Promise<{ key: string; replaced: boolean }> {
    const h = input.holder;
    let id;
    try {
      id = parseIdNumber(h.idNumber);
    } catch {
      throw new KioskError('GATE_ENROL_NO_ID', 'the card carries no 12-digit personal ID number');
    }
    const idRef = this.idRef(id.idNumber);
    const key = personKeyOf(input.kind, idRef);
    const sex = h.sex === 'M' || h.sex === 'F' ? h.sex : id.sex;
    const residence = provinceOfAddress(h.placeOfResidence);
    const record: PersonRecord = {
      kind: input.kind,
      name: h.fullName,
      ...(input.employeeNo ? { employeeNo: input.employeeNo } : {}),
      ...(input.department ? { department: input.department } : {}),
      group: input.group,
      active: true,
      ...(input.validFrom ? { validFrom: input.validFrom } : {}),
      ...(input.validUntil ? { validUntil: input.validUntil } : {}),
      idRef,
      profile: { birthYear: Number(h.dateOfBirth.slice(0, 4)) || id.birthYear, sex, birthProvinceCode: id.provinceCode, ...(residence ? { residenceProvince: residence.slice(0, 100) } : {}) },
      sealed: this.seals.sealPerson(COLLECTIONS.person, key, {
        idNumber: id.idNumber, dateOfBirth: h.dateOfBirth.slice(0, 10), sex: h.sex.slice(0, 8), ...(h.placeOfResidence ? { placeOfResidence: h.placeOfResidence.slice(0, 300) } : {}),
      }),
      enrolledAt: now.toISOString(),
      ...(input.consentAt ? { consentAt: input.consentAt } : {}),
    };
    const replaced = (await this.store.get(COLLECTIONS.person, key))?.deleted === false;
    await this.store.put(COLLECTIONS.person, key, record);
    await this.setFace(key, 'people', input.face, now);
    return { key, replaced };
  }

  /** Replaces every template of `owner` with these (none given: the owner keeps no face). */
  async setFace(owner: string, gallery: TemplateRecord['gallery'], face: FaceTemplates | undefined, now: Date): Promise<void> {
    for (const source of SOURCES) {
      const key = `${owner}:${source}`;
      const v = face?.[source];
      if (!v) {
        await this.store.remove(COLLECTIONS.template, key);
        continue;
      }
      const body: TemplateRecord = { owner, gallery, source, model: face.model, dim: v.length, sealed: this.seals.sealTemplate(COLLECTIONS.template, key, v), at: now.toISOString() };
      await this.store.put(COLLECTIONS.template, key, body);
    }
  }

  /** A person's face templates as the journey matches a code's holder against them (1:1). */
  async references(owner: string): Promise<FaceTemplate[]> {
    return (await this.templates(owner)).map(({ model, template }) => ({ model, template }));
  }

  /** A person's faces of `model` by source (to put the same face on the blocklist); undefined when they have none. */
  async face(owner: string, model: string): Promise<FaceTemplates | undefined> {
    const mine = (await this.templates(owner)).filter((t) => t.model === model);
    if (mine.length === 0) return undefined;
    return { model, ...Object.fromEntries(mine.map((t) => [t.source, t.template])) };
  }

  private async templates(owner: string): Promise<(FaceTemplate & { source: (typeof SOURCES)[number] })[]> {
    const out: (FaceTemplate & { source: (typeof SOURCES)[number] })[] = [];
    for (const source of SOURCES) {
      const key = `${owner}:${source}`;
      const r = await this.store.get(COLLECTIONS.template, key);
      if (!r || r.deleted) continue;
      const t = templateRecord.safeParse(r.body);
      const v = t.success ? this.seals.openTemplate(COLLECTIONS.template, key, t.data.sealed, t.data.dim) : undefined;
      if (t.success && v) out.push({ model: t.data.model, template: v, source });
    }
    return out;
  }

  /** Removes a person and their face (their attendance and log entries stay until retention). */
  async remove(key: string): Promise<void> {
    await this.setFace(key, 'people', undefined, new Date());
    await this.store.remove(COLLECTIONS.person, key);
  }
}
