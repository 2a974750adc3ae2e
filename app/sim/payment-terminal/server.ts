/**
 * `pos-sim`: a network payment terminal speaking the nexo Sale to POI protocol (JSON over HTTPS,
 * POST /nexo), as app/platform/payments/nexo-terminal.ts talks to a real one. It keeps a ledger in
 * SQLite, like a terminal's transaction log, so a test can prove a payment was charged once even
 * across a kiosk crash; the ledger survives the simulator's own restarts.
 *
 * What the next payment does is scripted (`next(...)`, or POST /scenario on the control port):
 *   approve   the person taps a card (or scans the QR with a wallet) and the bank approves
 *   decline   the bank refuses (nothing taken)
 *   cancel    the person presses Cancel on the terminal (nothing taken)
 *   timeout   the bank approves and the money is taken, but the answer never reaches the kiosk;
 *             the terminal then stays deaf for `offlineMs` (a network drop)
 *   lost      the request never reaches the terminal's payment app: nothing taken, no answer
 * Unscripted payments are approved.
 */
import Database from 'better-sqlite3';
import Fastify, { type FastifyInstance } from 'fastify';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { selfSignedIdentity } from './tls.ts';

export type TerminalScenario =
  | { readonly outcome: 'approve' }
  | { readonly outcome: 'decline'; readonly reason?: 'Refusal' | 'WrongPIN' }
  | { readonly outcome: 'cancel' }
  | { readonly outcome: 'timeout'; readonly offlineMs?: number }
  | { readonly outcome: 'lost'; readonly offlineMs?: number };

export interface TerminalSimOptions {
  readonly port?: number;
  readonly controlPort?: number;
  readonly host?: string;
  /** The ledger; `:memory:` forgets it at close. */
  readonly dbFile?: string;
  readonly poiId?: string;
  /** How long the person takes at the terminal before the bank answers. */
  readonly approveAfterMs?: number;
  readonly clock?: () => Date;
}

export type LedgerState = 'in-progress' | 'approved' | 'declined' | 'cancelled' | 'reversed';

export interface LedgerEntry {
  readonly kind: 'payment' | 'reversal';
  /** The sale system's reference (SaleTransactionID) and request id (ServiceID). */
  readonly reference: string;
  readonly attempt: string;
  readonly saleId: string;
  readonly method: 'card' | 'ewallet' | null;
  readonly amountVnd: number;
  readonly state: LedgerState;
  readonly transactionId: string | null;
  readonly at: string;
}

export interface TerminalSim {
  /** The nexo endpoint, e.g. `https://127.0.0.1:41234/nexo`. */
  readonly url: string;
  /** Plain-HTTP control port on loopback (POST /scenario, GET /ledger): the simulator's, not the protocol's. */
  readonly controlUrl: string;
  /** The terminal's certificate: the kiosk's trust anchor for it. */
  readonly caPem: string;
  readonly poiId: string;
  next(...scenarios: TerminalScenario[]): void;
  ledger(): LedgerEntry[];
  /** Approved payments of a reference (reversed ones too: money that moved). */
  charges(reference: string): LedgerEntry[];
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

// What the terminal reads of the requests it serves; anything else a request carries is ignored.
const headerSchema = z.looseObject({
  MessageClass: z.literal('Service'), MessageCategory: z.string(), MessageType: z.literal('Request'),
  ServiceID: z.string().min(1).max(10), SaleID: z.string().min(1), POIID: z.string(),
});
const referenceSchema = z.looseObject({ MessageCategory: z.string().optional(), ServiceID: z.string().optional(), SaleID: z.string().optional() });
const requestSchema = z.looseObject({
  MessageHeader: headerSchema,
  PaymentRequest: z
    .looseObject({
      SaleData: z.looseObject({ SaleTransactionID: z.looseObject({ TransactionID: z.string().min(1) }) }),
      PaymentTransaction: z.looseObject({ AmountsReq: z.looseObject({ Currency: z.literal('VND'), RequestedAmount: z.number().int().positive() }) }),
      PaymentData: z.looseObject({ PaymentInstrumentData: z.looseObject({ PaymentInstrumentType: z.enum(['Card', 'Mobile']) }).optional() }).optional(),
    })
    .optional(),
  AbortRequest: z.looseObject({ MessageReference: referenceSchema }).optional(),
  TransactionStatusRequest: z.looseObject({ MessageReference: referenceSchema.optional() }).optional(),
  ReversalRequest: z
    .looseObject({
      OriginalPOITransaction: z.looseObject({ POITransactionID: z.looseObject({ TransactionID: z.string() }) }),
      ReversedAmount: z.number().optional(),
    })
    .optional(),
});
type NexoRequest = z.output<typeof requestSchema>;

interface Row {
  sale_id: string;
  category: 'Payment' | 'Reversal';
  service_id: string;
  reference: string;
  method: string | null;
  amount: number;
  state: LedgerState;
  poi_transaction_id: string | null;
  poi_timestamp: string | null;
  response: string | null;
  created_at: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS ledger (
  sale_id             TEXT NOT NULL,
  category            TEXT NOT NULL CHECK (category IN ('Payment', 'Reversal')),
  service_id          TEXT NOT NULL,
  reference           TEXT NOT NULL,
  method              TEXT,
  amount              INTEGER NOT NULL,
  state               TEXT NOT NULL,
  poi_transaction_id  TEXT UNIQUE,
  poi_timestamp       TEXT,
  response            TEXT,
  created_at          TEXT NOT NULL,
  PRIMARY KEY (sale_id, category, service_id)
)`;

const METHOD = { Card: 'card', Mobile: 'ewallet' } as const;

export async function startTerminalSim(options: TerminalSimOptions = {}): Promise<TerminalSim> {
  const clock = options.clock ?? (() => new Date());
  const poiId = options.poiId ?? 'SIM-POS-001';
  const dbFile = options.dbFile ?? ':memory:';
  if (dbFile !== ':memory:') mkdirSync(dirname(dbFile), { recursive: true });
  const db = new Database(dbFile);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(SCHEMA);
  const approveAfterMs = options.approveAfterMs ?? 800;
  const scenarios: TerminalScenario[] = [];
  /** Payments waiting for the person at the terminal, by sale id and service id: an Abort ends them. */
  const running = new Map<string, { finish: (outcome: 'abort') => void }>();
  /** Requests the terminal never answers (a lost answer, a deaf terminal): released at close. */
  const held = new Set<() => void>();
  let deafUntil = 0;

  const tls = selfSignedIdentity('localhost');
  const app = Fastify({ logger: false, https: { key: tls.keyPem, cert: tls.certPem }, forceCloseConnections: true });

  const hold = () => new Promise<never>((_resolve, reject) => held.add(() => reject(new Error('terminal closed'))));
  const newTransactionId = () => randomBytes(6).toString('hex').toUpperCase();
  const header = (req: NexoRequest) => ({ ...req.MessageHeader, MessageType: 'Response' });
  const failure = (condition: string) => ({ Result: 'Failure', ErrorCondition: condition });
  const row = (saleId: string, category: 'Payment' | 'Reversal', serviceId: string) =>
    db.prepare('SELECT * FROM ledger WHERE sale_id = ? AND category = ? AND service_id = ?').get(saleId, category, serviceId) as Row | undefined;

  function paymentResponse(r: Row, result: 'approved' | 'declined' | 'cancelled' | 'aborted', reason?: string): Json {
    if (result !== 'approved') {
      const condition = result === 'cancelled' ? 'Cancel' : result === 'aborted' ? 'Aborted' : (reason ?? 'Refusal');
      return { Response: failure(condition), SaleData: { SaleTransactionID: { TransactionID: r.reference } } };
    }
    const ewallet = r.method === 'ewallet';
    return {
      Response: { Result: 'Success' },
      SaleData: { SaleTransactionID: { TransactionID: r.reference } },
      POIData: { POITransactionID: { TransactionID: r.poi_transaction_id, TimeStamp: r.poi_timestamp } },
      PaymentResult: {
        PaymentInstrumentData: ewallet
          ? { PaymentInstrumentType: 'Mobile', MobileData: { MobileBrand: 'MoMo' } }
          : { PaymentInstrumentType: 'Card', CardData: { PaymentBrand: 'NAPAS', EntryMode: ['Contactless'] } },
        AmountsResp: { Currency: 'VND', AuthorizedAmount: r.amount },
        PaymentAcquirerData: { ApprovalCode: String(100000 + (parseInt(r.poi_transaction_id!.slice(-5), 16) % 900000)) },
      },
    };
  }

  async function pay(req: NexoRequest): Promise<Json> {
    const h = req.MessageHeader;
    const answer = (response: Json) => ({ SaleToPOIResponse: { MessageHeader: header(req), PaymentResponse: response } });
    const body = req.PaymentRequest;
    if (!body) return answer({ Response: failure('MessageFormat') });
    const reference = body.SaleData.SaleTransactionID.TransactionID;
    const amount = body.PaymentTransaction.AmountsReq.RequestedAmount;
    const method = METHOD[body.PaymentData?.PaymentInstrumentData?.PaymentInstrumentType ?? 'Card'];
    if (row(h.SaleID, 'Payment', h.ServiceID)) return answer({ Response: failure('MessageFormat'), AdditionalResponse: 'ServiceID already used' });
    if (running.size > 0) return answer({ Response: failure('Busy') });
    const scenario = scenarios.shift() ?? { outcome: 'approve' };
    if (scenario.outcome === 'lost') {
      deafUntil = Date.now() + (scenario.offlineMs ?? 0);
      return hold();
    }
    const now = clock().toISOString();
    db.prepare("INSERT INTO ledger (sale_id, category, service_id, reference, method, amount, state, created_at) VALUES (?, 'Payment', ?, ?, ?, ?, 'in-progress', ?)")
      .run(h.SaleID, h.ServiceID, reference, method, amount, now);
    const key = `${h.SaleID}|${h.ServiceID}`;
    const outcome = await new Promise<TerminalScenario['outcome'] | 'abort'>((resolve) => {
      const timer = setTimeout(() => resolve(scenario.outcome), approveAfterMs);
      running.set(key, { finish: (o) => (clearTimeout(timer), resolve(o)) });
    });
    running.delete(key);
    const settle = (state: LedgerState, response: (r: Row) => Json): Json => {
      const approved = state === 'approved';
      db.prepare('UPDATE ledger SET state = ?, poi_transaction_id = ?, poi_timestamp = ? WHERE sale_id = ? AND category = ? AND service_id = ?')
        .run(state, approved ? newTransactionId() : null, approved ? clock().toISOString() : null, h.SaleID, 'Payment', h.ServiceID);
      const r = row(h.SaleID, 'Payment', h.ServiceID)!;
      const res = response(r);
      db.prepare("UPDATE ledger SET response = ? WHERE sale_id = ? AND category = 'Payment' AND service_id = ?").run(JSON.stringify(res), h.SaleID, h.ServiceID);
      return res;
    };
    if (outcome === 'abort') return answer(settle('cancelled', (r) => paymentResponse(r, 'aborted')));
    if (outcome === 'decline') return answer(settle('declined', (r) => paymentResponse(r, 'declined', scenario.outcome === 'decline' ? scenario.reason : undefined)));
    if (outcome === 'cancel') return answer(settle('cancelled', (r) => paymentResponse(r, 'cancelled')));
    settle('approved', (r) => paymentResponse(r, 'approved'));
    if (outcome === 'timeout') {
      deafUntil = Date.now() + (scenario.outcome === 'timeout' ? (scenario.offlineMs ?? 0) : 0);
      return hold();
    }
    return answer(JSON.parse(row(h.SaleID, 'Payment', h.ServiceID)!.response!) as Json);
  }

  function abort(req: NexoRequest): undefined {
    const ref = req.AbortRequest?.MessageReference;
    running.get(`${ref?.SaleID ?? req.MessageHeader.SaleID}|${ref?.ServiceID}`)?.finish('abort');
    return undefined;
  }

  function transactionStatus(req: NexoRequest): Json {
    const ref = req.TransactionStatusRequest?.MessageReference ?? {};
    const category = ref.MessageCategory === 'Reversal' ? 'Reversal' : 'Payment';
    const r = ref.ServiceID ? row(ref.SaleID ?? req.MessageHeader.SaleID, category, ref.ServiceID) : undefined;
    const answer = (status: Json) => ({ SaleToPOIResponse: { MessageHeader: header(req), TransactionStatusResponse: status } });
    if (!r) return answer({ Response: failure('NotFound') });
    if (r.state === 'in-progress' || !r.response) return answer({ Response: failure('InProgress') });
    return answer({
      Response: { Result: 'Success' },
      RepeatedMessageResponse: {
        MessageHeader: { ...req.MessageHeader, MessageCategory: category, MessageType: 'Response', ServiceID: r.service_id, SaleID: r.sale_id },
        RepeatedResponseMessageBody: { [`${category}Response`]: JSON.parse(r.response) as Json },
      },
    });
  }

  function reversal(req: NexoRequest): Json {
    const h = req.MessageHeader;
    const body = req.ReversalRequest;
    const answer = (response: Json) => ({ SaleToPOIResponse: { MessageHeader: header(req), ReversalResponse: response } });
    const original = db
      .prepare("SELECT * FROM ledger WHERE category = 'Payment' AND poi_transaction_id = ?")
      .get(body?.OriginalPOITransaction?.POITransactionID?.TransactionID ?? '') as Row | undefined;
    if (!original) return answer({ Response: failure('NotFound') });
    if (original.state !== 'approved') return answer({ Response: { ...failure('NotAllowed'), AdditionalResponse: `transaction is ${original.state}` } });
    if (body?.ReversedAmount !== undefined && body.ReversedAmount !== original.amount) {
      return answer({ Response: { ...failure('NotAllowed'), AdditionalResponse: 'only the whole amount can be reversed' } });
    }
    if (row(h.SaleID, 'Reversal', h.ServiceID)) return answer({ Response: failure('MessageFormat') });
    return db.transaction(() => {
      const id = newTransactionId();
      const at = clock().toISOString();
      const response = { Response: { Result: 'Success' }, POIData: { POITransactionID: { TransactionID: id, TimeStamp: at } }, ReversedAmount: original.amount };
      db.prepare("UPDATE ledger SET state = 'reversed' WHERE category = 'Payment' AND poi_transaction_id = ?").run(original.poi_transaction_id);
      db.prepare(
        "INSERT INTO ledger (sale_id, category, service_id, reference, method, amount, state, poi_transaction_id, poi_timestamp, response, created_at) VALUES (?, 'Reversal', ?, ?, ?, ?, 'approved', ?, ?, ?, ?)",
      ).run(h.SaleID, h.ServiceID, original.reference, original.method, original.amount, id, at, JSON.stringify(response), at);
      return answer(response);
    })();
  }

  app.post('/nexo', async (request, reply) => {
    if (Date.now() < deafUntil) return hold();
    const parsed = requestSchema.safeParse((request.body as { SaleToPOIRequest?: unknown } | undefined)?.SaleToPOIRequest);
    if (!parsed.success) return reply.code(400).send({ error: 'not a nexo SaleToPOIRequest this terminal reads' });
    const req = parsed.data;
    if (req.MessageHeader.POIID !== poiId) return reply.code(404).send({ error: `this terminal is ${poiId}` });
    const handlers: Record<string, (r: NexoRequest) => Json | undefined | Promise<Json>> = {
      Payment: pay, Abort: abort, TransactionStatus: transactionStatus, Reversal: reversal,
    };
    const handler = handlers[req.MessageHeader.MessageCategory];
    if (!handler) return reply.code(400).send({ error: `MessageCategory ${req.MessageHeader.MessageCategory} is not supported` });
    const result = await handler(req);
    return result === undefined ? reply.code(200).send('') : reply.code(200).type('application/json').send(JSON.stringify(result));
  });

  const control: FastifyInstance = Fastify({ logger: false, forceCloseConnections: true });
  control.post('/scenario', async (request) => {
    const list = (request.body as { scenarios?: TerminalScenario[] } | undefined)?.scenarios ?? [];
    scenarios.push(...list);
    return { queued: scenarios.length };
  });
  control.get('/ledger', async () => ({ entries: ledger() }));

  function ledger(): LedgerEntry[] {
    return (db.prepare('SELECT * FROM ledger ORDER BY rowid').all() as Row[]).map((r) => ({
      kind: r.category === 'Payment' ? 'payment' : 'reversal',
      reference: r.reference,
      attempt: r.service_id,
      saleId: r.sale_id,
      method: (r.method as LedgerEntry['method']) ?? null,
      amountVnd: r.amount,
      state: r.state,
      transactionId: r.poi_transaction_id,
      at: r.created_at,
    }));
  }

  const host = options.host ?? '127.0.0.1';
  await app.listen({ port: options.port ?? 0, host });
  await control.listen({ port: options.controlPort ?? 0, host: '127.0.0.1' });
  const portOf = (f: FastifyInstance) => {
    const a = f.server.address();
    return typeof a === 'object' && a ? a.port : 0;
  };
  const shown = host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    url: `https://${shown}:${portOf(app)}/nexo`,
    controlUrl: `http://127.0.0.1:${portOf(control)}`,
    caPem: tls.certPem,
    poiId,
    next: (...s) => void scenarios.push(...s),
    ledger,
    charges: (reference) => ledger().filter((e) => e.kind === 'payment' && e.reference === reference && (e.state === 'approved' || e.state === 'reversed')),
    async close() {
      for (const release of held) release();
      held.clear();
      for (const r of running.values()) r.finish('abort');
      await Promise.all([app.close(), control.close()]);
      db.close();
    },
  };
}
