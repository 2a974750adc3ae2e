/**
 * A stand-in for the BHXH gateway with the same HTTP shape as the real one (reference §2.3):
 * token first, then the 2024 card check with the token and credentials in the query string.
 * Deterministic: scenario numbers answer every result code (demo-cards.ts), registered cards are
 * checked for name, birth date and validity like the gateway does.
 */
import Fastify, { type FastifyRequest } from 'fastify';
import { createHash, randomBytes } from 'node:crypto';
import { isoToVnDate } from '../../../../core/cccd/dg13.ts';
import { localDay } from '../../common/local-day.ts';
import { CRASH_NUMBER, DEMO_INSURANCE_CARDS, SCENARIO_NUMBERS, type SimCard } from './demo-cards.ts';

export interface InsuranceSimOptions {
  readonly port?: number;
  readonly host?: string;
  readonly username?: string;
  /** The plain password; clients send its MD5, as with the real gateway. */
  readonly password?: string;
  /** Registered cards (defaults to DEMO_INSURANCE_CARDS). */
  readonly cards?: readonly SimCard[];
  /** Token lifetime in seconds, reported as `expires_in`. */
  readonly tokenTtlSeconds?: number;
  /** Delay before every card-check answer, to exercise timeouts. */
  readonly answerDelayMs?: number;
  readonly checkPath?: string;
  readonly clock?: () => Date;
}

export interface InsuranceSim {
  /** Gateway base URL, e.g. `http://127.0.0.1:41235`. */
  readonly url: string;
  readonly username: string;
  readonly password: string;
  /** Requests the gateway has seen, for tests: path and the staff fields, never card data. */
  readonly calls: { path: string; hoTenCb?: string; cccdCb?: string }[];
  /** Makes every issued token invalid, as when the gateway restarts. */
  revokeTokens(): void;
  close(): Promise<void>;
}

export const SIM_USERNAME = 'kiosk-demo';
export const SIM_PASSWORD = 'demo-password';

const normName = (s: string) => s.normalize('NFC').trim().replace(/\s+/gu, ' ').toLocaleLowerCase('vi');

interface CheckBody { maThe?: unknown; hoTen?: unknown; ngaySinh?: unknown; hoTenCb?: unknown; cccdCb?: unknown }

export async function startInsuranceSim(options: InsuranceSimOptions = {}): Promise<InsuranceSim> {
  const username = options.username ?? SIM_USERNAME;
  const password = options.password ?? SIM_PASSWORD;
  const passwordMd5 = createHash('md5').update(password, 'utf8').digest('hex');
  const cards = options.cards ?? DEMO_INSURANCE_CARDS;
  const ttl = options.tokenTtlSeconds ?? 1800;
  const clock = options.clock ?? (() => new Date());
  const checkPath = options.checkPath ?? '/api/egw/KQNhanLichSuKCB2024';
  const tokens = new Map<string, { idToken: string; expiresAt: number }>();
  const calls: InsuranceSim['calls'] = [];

  const app = Fastify({ logger: false });

  app.post('/api/token/take', async (req: FastifyRequest<{ Body: { username?: unknown; password?: unknown } }>) => {
    calls.push({ path: '/api/token/take' });
    const body = req.body ?? {};
    if (body.username !== username || body.password !== passwordMd5) {
      return { maKetQua: '401', APIKey: null, ghiChu: 'Sai tên đăng nhập hoặc mật khẩu' };
    }
    const accessToken = randomBytes(16).toString('hex');
    const idToken = randomBytes(16).toString('hex');
    tokens.set(accessToken, { idToken, expiresAt: clock().getTime() + ttl * 1000 });
    return { maKetQua: '200', APIKey: { access_token: accessToken, id_token: idToken, token_type: 'Bearer', username, expires_in: ttl } };
  });

  app.post(checkPath, async (req: FastifyRequest<{ Querystring: Record<string, string>; Body: CheckBody }>, reply) => {
    const q = req.query;
    const body = req.body ?? {};
    calls.push({ path: checkPath, ...(typeof body.hoTenCb === 'string' ? { hoTenCb: body.hoTenCb } : {}), ...(typeof body.cccdCb === 'string' ? { cccdCb: body.cccdCb } : {}) });
    if (options.answerDelayMs) await new Promise((r) => setTimeout(r, options.answerDelayMs));
    const token = q.token ? tokens.get(q.token) : undefined;
    if (!token || token.idToken !== q.id_token || token.expiresAt <= clock().getTime() || q.username !== username || q.password !== passwordMd5) {
      return { maKetQua: '401', ghiChu: 'Phiên làm việc không hợp lệ' };
    }
    const fields = ['maThe', 'hoTen', 'ngaySinh', 'hoTenCb', 'cccdCb'] as const;
    if (fields.some((f) => typeof body[f] !== 'string' || (body[f] as string).trim() === '') || !/^\d{12}$/.test(body.cccdCb as string)) {
      return { maKetQua: '205', ghiChu: 'Thiếu tham số' };
    }
    const maThe = body.maThe as string;
    const hoTen = body.hoTen as string;
    const ngaySinh = body.ngaySinh as string;
    if (maThe === CRASH_NUMBER) return reply.code(500).send('Internal Server Error');
    const scenario = SCENARIO_NUMBERS.get(maThe);
    if (scenario) return scenarioAnswer(scenario, maThe, hoTen, ngaySinh);
    const card = cards.find((c) => c.cccd === maThe || c.bhytNumber === maThe);
    if (!card) return { maKetQua: '050', ghiChu: 'Không tìm thấy thông tin thẻ' };
    if (normName(hoTen) !== normName(card.fullName)) return { maKetQua: '060', ghiChu: 'Họ tên không đúng' };
    const dob = isoToVnDate(card.dateOfBirth);
    if (ngaySinh !== dob && ngaySinh !== card.dateOfBirth.slice(0, 4)) return { maKetQua: '070', ghiChu: 'Ngày sinh không đúng' };
    const today = localDay(clock(), 'Asia/Ho_Chi_Minh');
    const code = card.forcedCode ?? (today > card.validTo ? '010' : '000');
    return cardAnswer(code, card);
  });

  await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1'}:${port}`,
    username,
    password,
    calls,
    revokeTokens: () => tokens.clear(),
    close: () => app.close(),
  };
}

/** Codes with which the gateway still returns the card's data. */
const CODES_WITH_CARD = /^(00[0-4]|010|06[01]|070|080|090|110|12[0-4])$/;

function scenarioAnswer(code: string, maThe: string, hoTen: string, ngaySinh: string) {
  if (!CODES_WITH_CARD.test(code)) return { maKetQua: code, ghiChu: `Mã kết quả ${code}` };
  const card: SimCard = {
    cccd: maThe, bhytNumber: `DN4${maThe.slice(-12, -10)}${maThe.slice(-10)}`, fullName: hoTen,
    dateOfBirth: /^\d{4}$/.test(ngaySinh) ? `${ngaySinh}-01-01` : ngaySinh.split('/').reverse().join('-'),
    sex: 'female', registeredFacility: '79001', validFrom: '2025-01-01', validTo: code === '010' ? '2025-12-31' : '2099-12-31',
  };
  return cardAnswer(code, card);
}

function cardAnswer(code: string, card: SimCard) {
  return {
    maKetQua: code,
    ghiChu: code === '000' ? 'Thẻ còn giá trị sử dụng' : `Mã kết quả ${code}`,
    maThe: card.bhytNumber,
    hoTen: card.fullName,
    ngaySinh: isoToVnDate(card.dateOfBirth),
    gioiTinh: card.sex === 'male' ? 'Nam' : 'Nữ',
    maDKBD: card.registeredFacility,
    cqBHXH: 'Bảo hiểm xã hội (mô phỏng)',
    gtTheTu: isoToVnDate(card.validFrom),
    gtTheDen: isoToVnDate(card.validTo),
    maKV: '',
    maSoBHXH: card.bhytNumber.slice(-10),
    maTheCu: code === '003' || code === '004' ? card.bhytNumber : '',
    maTheMoi: code === '003' || code === '004' ? `${card.bhytNumber.slice(0, 5)}${String(Number(card.bhytNumber.slice(5)) + 1).padStart(10, '0')}` : '',
    dsLichSuKCB2018: null,
  };
}
