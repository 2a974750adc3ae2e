/**
 * InsuranceCheck against the social insurance (BHXH) gateway, shaped after its de-facto interface
 * (reference §2.3; no official public document exists):
 *   1. POST {gateway}/api/token/take  {username, password(MD5)} → {maKetQua: "200", APIKey: {access_token, id_token, expires_in}}
 *   2. POST {gateway}{checkPath}?token=&id_token=&username=&password=
 *        {maThe, hoTen, ngaySinh, hoTenCb, cccdCb} → {maKetQua, ghiChu, maThe, hoTen, ngaySinh, gioiTinh, maDKBD, gtTheTu, gtTheDen, maTheMoi…}
 * The gateway wants credentials in the query string; URLs are therefore never logged or put in errors.
 */
import { createHash } from 'node:crypto';
import { isoToVnDate, vnDateToIso } from '../../../../core/cccd/dg13.ts';
import { isIdNumber } from '../../../../core/cccd/id-number.ts';
import { KioskError } from '../../../../core/errors.ts';
import {
  insuranceResult,
  insuranceWithoutAnswer,
  isInsuranceCardNumber,
  type InsuranceCard,
  type InsuranceCheck,
  type InsuranceQuery,
  type InsuranceResult,
} from '../../common/insurance.ts';
import type { Sex } from '../../common/types.ts';
import { HttpFailure, requestJson } from '../../../../platform/http/http-json.ts';

export interface BhxhAdapterOptions {
  readonly gatewayUrl: string;
  readonly checkPath: string;
  readonly username: string;
  /** The password as read from the secret; hashed here unless `passwordHashing` is `none`. */
  readonly password: string;
  readonly passwordHashing: 'md5' | 'none';
  /** The responsible staff member (hoTenCb, cccdCb), required by the gateway since 2024. */
  readonly staffName: string;
  readonly staffCccd: string;
  readonly timeoutMs: number;
  readonly clock?: () => Date;
}

interface Token {
  readonly accessToken: string;
  readonly idToken: string;
  readonly expiresAt: number;
}

/** Token-take code for success; every other code means the gateway refused the credentials. */
const TOKEN_OK = '200';
/** When the gateway gives no lifetime, the token is reused this long before taking a new one. */
const DEFAULT_TOKEN_LIFETIME_MS = 10 * 60_000;
/** Take a new token this long before the old one runs out, so a check never carries a dying one. */
const TOKEN_MARGIN_MS = 60_000;

class NoAnswer extends Error {}
class Refused extends Error {}

export class BhxhInsuranceCheck implements InsuranceCheck {
  private readonly base: string;
  private readonly password: string;
  private readonly clock: () => Date;
  private token: Token | undefined;

  constructor(private readonly options: BhxhAdapterOptions) {
    if (!isIdNumber(options.staffCccd)) {
      throw new KioskError('BHXH_STAFF_CCCD_INVALID', 'site.insurance.staffCccd must be the staff member\'s 12-digit ID number');
    }
    if (options.staffName.trim() === '' || options.username.trim() === '') {
      throw new KioskError('BHXH_CREDENTIALS_MISSING', 'hospital.insurance needs a username and the staff member\'s name');
    }
    this.base = options.gatewayUrl.replace(/\/+$/, '');
    this.password = options.passwordHashing === 'md5' ? createHash('md5').update(options.password, 'utf8').digest('hex') : options.password;
    this.clock = options.clock ?? (() => new Date());
  }

  async check(query: InsuranceQuery): Promise<InsuranceResult> {
    if (!isInsuranceCardNumber(query.cardNumber)) return insuranceWithoutAnswer('invalid-card-number');
    try {
      const first = await this.cardCheck(query, await this.currentToken());
      // A token the gateway no longer honours (revoked, clock skew): take a fresh one, try once more.
      if (first.maKetQua === '401') {
        this.token = undefined;
        return this.toResult(await this.cardCheck(query, await this.currentToken()));
      }
      return this.toResult(first);
    } catch (e) {
      if (e instanceof Refused) return insuranceWithoutAnswer('kiosk-misconfigured');
      if (e instanceof NoAnswer || e instanceof HttpFailure) return insuranceWithoutAnswer('unavailable');
      throw e;
    }
  }

  private async currentToken(): Promise<Token> {
    const now = this.clock().getTime();
    if (this.token && this.token.expiresAt - TOKEN_MARGIN_MS > now) return this.token;
    const res = await requestJson(`${this.base}/api/token/take`, {
      method: 'POST',
      body: { username: this.options.username, password: this.password },
      timeoutMs: this.options.timeoutMs,
    });
    const body = res.body as { maKetQua?: unknown; APIKey?: { access_token?: unknown; id_token?: unknown; expires_in?: unknown } } | undefined;
    const code = typeof body === 'object' && body !== null ? codeOf(body.maKetQua) : undefined;
    // No code at all is not the gateway speaking; a code other than 200 is the gateway saying no.
    if (res.status >= 500 || code === undefined) throw new NoAnswer();
    if (code !== TOKEN_OK) throw new Refused();
    const key = body!.APIKey;
    if (typeof key?.access_token !== 'string' || typeof key.id_token !== 'string') throw new NoAnswer();
    const lifetimeMs = typeof key.expires_in === 'number' && key.expires_in > 0 ? key.expires_in * 1000 : DEFAULT_TOKEN_LIFETIME_MS;
    this.token = { accessToken: key.access_token, idToken: key.id_token, expiresAt: now + lifetimeMs };
    return this.token;
  }

  private async cardCheck(query: InsuranceQuery, token: Token): Promise<GatewayCard & { maKetQua: string }> {
    const params = new URLSearchParams({
      token: token.accessToken,
      id_token: token.idToken,
      username: this.options.username,
      password: this.password,
    });
    const res = await requestJson(`${this.base}${this.options.checkPath}?${params}`, {
      method: 'POST',
      body: {
        maThe: query.cardNumber,
        hoTen: query.fullName.normalize('NFC').trim(),
        ngaySinh: /^\d{4}$/.test(query.dateOfBirth) ? query.dateOfBirth : isoToVnDate(query.dateOfBirth),
        hoTenCb: this.options.staffName,
        cccdCb: this.options.staffCccd,
      },
      timeoutMs: this.options.timeoutMs,
    });
    const body = res.body as (GatewayCard & { maKetQua?: unknown }) | undefined;
    const code = codeOf(body?.maKetQua);
    if (res.status >= 500 || !code) throw new NoAnswer();
    return { ...body, maKetQua: code };
  }

  private toResult(answer: GatewayCard & { maKetQua: string }): InsuranceResult {
    const card = cardOf(answer);
    return insuranceResult(answer.maKetQua, Object.keys(card).length > 0 ? card : undefined);
  }
}

/** The gateway's card fields as seen in public integrations; all optional, all strings. */
interface GatewayCard {
  readonly maThe?: unknown;
  readonly hoTen?: unknown;
  readonly ngaySinh?: unknown;
  readonly gioiTinh?: unknown;
  readonly maDKBD?: unknown;
  readonly gtTheTu?: unknown;
  readonly gtTheDen?: unknown;
  readonly maTheMoi?: unknown;
}

/** Codes arrive as "000" or, from some gateway versions, as the number 0. */
function codeOf(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return String(value).padStart(3, '0');
  if (typeof value === 'string' && /^\d{1,3}$/.test(value.trim())) return value.trim().padStart(3, '0');
  return undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function dateOf(value: unknown): string | undefined {
  const t = text(value);
  if (t === undefined) return undefined;
  return /^\d{4}$/.test(t) ? t : vnDateToIso(t);
}

function sexOf(value: unknown): Sex | undefined {
  const t = text(value)?.normalize('NFC').toLowerCase();
  if (t === 'nam' || t === '1') return 'male';
  if (t === 'nữ' || t === '2') return 'female';
  return undefined;
}

function cardOf(a: GatewayCard): InsuranceCard {
  const entries: [keyof InsuranceCard, string | undefined][] = [
    ['cardNumber', text(a.maThe)],
    ['fullName', text(a.hoTen)],
    ['dateOfBirth', dateOf(a.ngaySinh)],
    ['sex', sexOf(a.gioiTinh)],
    ['registeredFacility', text(a.maDKBD)],
    ['validFrom', dateOf(a.gtTheTu)],
    ['validTo', dateOf(a.gtTheDen)],
    ['newCardNumber', text(a.maTheMoi)],
  ];
  return Object.fromEntries(entries.filter(([, v]) => v !== undefined)) as InsuranceCard;
}
