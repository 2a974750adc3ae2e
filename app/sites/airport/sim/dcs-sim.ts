/**
 * `dcs-sim`: the airline and airport systems an airport kiosk talks to, over the HTTP contract of
 * docs/airport-integration.md, so the kiosk's real adapters run against it unchanged:
 *
 *   /dcs/v1/…     the airline's departure control (./sim-airline.ts)
 *   /bsm          the baggage system's inbox: every BSM is parsed (./bsm-parser.ts) and kept
 *   /tokens/v1/…  the airport's biometric token store (tokens vanish at their expiry)
 *   /egate/v1/…   an e-gate that records each opening
 *   /sim/…        the simulator's own controls for demos and tests (not part of the contract)
 *
 * with a bench scale beside it on its own TCP port (./scale-sim.ts). Every answer of the contract is
 * built with the contract's schemas; every request body is parsed with them, and refused with a
 * problem `{code, message}` when it does not fit.
 */
import { timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import type { z } from 'zod';
import {
  bookingQuerySchema, bookingSearchSchema, bsmEnvelopeSchema, boardingListSchema, boardResultSchema, checkInRequestSchema, checkInResultSchema, doorOpenSchema, flightQuerySchema, flightSearchSchema, issueRequestSchema,
  issuedSchema, paymentOrderSchema, quoteRequestSchema, quoteSchema, seatMapSchema, tokenRegistrationSchema, tokenSchema, type Token,
} from '../common/contract.ts';
import { withOffsetOf } from '../common/time-rules.ts';
import { parseBsm, type ParsedBsm } from './bsm-parser.ts';
import { demoAirline, type DemoAirline } from './demo-airline.ts';
import { startScaleSim, type ScaleSim } from './scale-sim.ts';
import { DEFAULT_RULES, SimAirline, SimProblem, type AirlineRules } from './sim-airline.ts';

export interface DcsSimOptions {
  readonly port?: number;
  readonly host?: string;
  readonly clock?: () => Date;
  /** The airline's flights and bookings (default: the demo airline laid out around now). */
  readonly data?: DemoAirline;
  readonly rules?: Partial<AirlineRules>;
  /** When set, every contract request must carry `Authorization: Bearer <token>`. */
  readonly bearerToken?: string;
  /** The weight on the simulated scale at start. */
  readonly scaleKg?: number;
}

export interface DcsSim {
  /** Base URL, e.g. `http://127.0.0.1:41234`; the services are under /dcs/v1, /bsm, /tokens/v1, /egate/v1. */
  readonly url: string;
  readonly airline: SimAirline;
  readonly scale: ScaleSim;
  /** Every BSM received, parsed. */
  readonly bsms: ParsedBsm[];
  readonly tokens: Map<string, Token>;
  readonly gateOpenings: { flightId: string; passengerId: string; at: string }[];
  close(): Promise<void>;
}

export async function startDcsSim(options: DcsSimOptions = {}): Promise<DcsSim> {
  const clock = options.clock ?? (() => new Date());
  const data = options.data ?? demoAirline(clock());
  const airline = new SimAirline(data, { ...DEFAULT_RULES, ...options.rules }, clock);
  const scale = await startScaleSim({ kg: options.scaleKg ?? 0, host: options.host ?? '127.0.0.1' });
  const bsms: ParsedBsm[] = [];
  const tokens = new Map<string, Token>();
  const gateOpenings: DcsSim['gateOpenings'] = [];
  let tokenSeq = 0;
  const at = () => withOffsetOf('+07:00', clock().getTime());

  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 });
  const problem = (reply: FastifyReply, status: number, code: string, message: string) => reply.code(status).send({ code, message });
  app.setErrorHandler((err: Error & { statusCode?: number }, _req, reply) => {
    if (err instanceof SimProblem) return problem(reply, err.status, err.code, err.message);
    const status = err.statusCode && err.statusCode < 500 ? err.statusCode : 500;
    return problem(reply, status, status === 500 ? 'DCS_INTERNAL' : 'DCS_BAD_REQUEST', status === 500 ? 'the simulator failed' : err.message.slice(0, 200));
  });
  app.setNotFoundHandler((req, reply) => problem(reply, 404, 'DCS_NO_ROUTE', `no route for ${req.method} ${req.url.split('?')[0]}`));
  if (options.bearerToken) {
    const expected = Buffer.from(`Bearer ${options.bearerToken}`);
    app.addHook('onRequest', async (req, reply) => {
      if (req.url.startsWith('/sim/')) return;
      const given = Buffer.from(req.headers.authorization ?? '');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return problem(reply, 401, 'DCS_UNAUTHORIZED', 'a valid bearer token is required');
    });
  }

  /** The request body parsed by its contract schema, or a 400 naming where it does not fit. */
  const body = <T extends z.ZodType>(schema: T, req: FastifyRequest, service: 'DCS' | 'BSM' | 'TOKEN' | 'EGATE' = 'DCS'): z.output<T> => {
    const parsed = schema.safeParse(req.body);
    if (!parsed.success) throw new SimProblem(400, `${service}_BAD_REQUEST`, `the request does not fit the contract at ${parsed.error.issues.map((i) => i.path.join('.') || '(body)').join(', ')}`);
    return parsed.data;
  };
  /** Answers are built with the contract's schemas too: the simulator cannot drift from it. */
  const answer = <T extends z.ZodType>(schema: T, value: z.input<T>) => schema.parse(value);
  type P<K extends string> = FastifyRequest<{ Params: Record<K, string> }>;

  // ---- the airline's DCS ----
  app.post('/dcs/v1/bookings/search', async (req) => answer(bookingSearchSchema, { bookings: airline.findBookings(body(bookingQuerySchema, req)) }));
  app.get('/dcs/v1/flights/:flightId/seat-map', async (req: P<'flightId'>) => answer(seatMapSchema, airline.seatMap(req.params.flightId)));
  app.post('/dcs/v1/quotes', async (req) => answer(quoteSchema, airline.quote(body(quoteRequestSchema, req))));
  app.post('/dcs/v1/payments', async (req) => {
    const { quoteId } = body(paymentOrderSchema.pick({ quoteId: true }), req);
    return answer(paymentOrderSchema, airline.createPayment(quoteId));
  });
  app.get('/dcs/v1/payments/:orderId', async (req: P<'orderId'>) => answer(paymentOrderSchema, airline.payment(req.params.orderId)));
  app.post('/dcs/v1/check-ins', async (req) => answer(checkInResultSchema, airline.checkIn(body(checkInRequestSchema, req))));
  app.post('/dcs/v1/boarding-passes', async (req) => answer(issuedSchema, airline.issue(body(issueRequestSchema, req))));
  app.post('/dcs/v1/flights/search', async (req) => answer(flightSearchSchema, { flights: airline.findFlights(body(flightQuerySchema, req)) }));
  app.get('/dcs/v1/flights/:flightId/boarding-list', async (req: P<'flightId'>) => answer(boardingListSchema, airline.boardingList(req.params.flightId)));
  app.post('/dcs/v1/flights/:flightId/boardings', async (req: P<'flightId'>) => {
    const { passengerId } = body(tokenRegistrationSchema.pick({ passengerId: true }), req);
    return answer(boardResultSchema, airline.board(req.params.flightId, passengerId));
  });

  // ---- the baggage system's BSM inbox: the teletype text in a JSON envelope, as ACI's bag message APIs carry it ----
  app.post('/bsm', async (req, reply) => {
    const { message } = body(bsmEnvelopeSchema, req, 'BSM');
    try {
      bsms.push(parseBsm(message));
    } catch (e) {
      return problem(reply, 400, 'BSM_INVALID', (e as Error).message);
    }
    return reply.code(202).send({ accepted: true });
  });

  // ---- the airport's biometric token store ----
  const live = (t: Token) => Date.parse(t.expiresAt) > clock().getTime();
  app.post('/tokens/v1/tokens', async (req, reply) => {
    const registration = body(tokenRegistrationSchema, req, 'TOKEN');
    const tokenId = `TK${String(++tokenSeq).padStart(6, '0')}`;
    tokens.set(tokenId, answer(tokenSchema, { ...registration, tokenId }));
    return reply.code(201).send({ tokenId });
  });
  app.delete('/tokens/v1/tokens/:tokenId', async (req: P<'tokenId'>, reply) => {
    tokens.delete(req.params.tokenId);
    return reply.code(204).send();
  });
  app.get('/tokens/v1/flights/:flightId/tokens', async (req: P<'flightId'>) => {
    for (const [id, t] of tokens) if (!live(t)) tokens.delete(id);
    return { tokens: [...tokens.values()].filter((t) => t.flightId === req.params.flightId) };
  });

  // ---- the e-gate ----
  app.post('/egate/v1/open', async (req) => {
    const reason = body(tokenRegistrationSchema.pick({ flightId: true, passengerId: true }), req, 'EGATE');
    const opened = answer(doorOpenSchema, { opened: true, at: at() });
    gateOpenings.push({ ...reason, at: opened.at });
    return opened;
  });

  // ---- the simulator's controls ----
  app.get('/sim/bsm', async () => ({ bsms }));
  app.get('/sim/egate', async () => ({ openings: gateOpenings }));
  app.put('/sim/scale', async (req: FastifyRequest<{ Body: { kg?: unknown } }>, reply) => {
    const kg = req.body?.kg;
    if (typeof kg !== 'number' || !(kg >= 0 && kg < 1000)) return problem(reply, 400, 'DCS_BAD_REQUEST', 'kg must be a number 0..999');
    scale.setKg(kg);
    return { kg };
  });
  /** The bank's notification: the order, or the bill number on the QR, was paid. */
  app.post('/sim/payments/:ref/paid', async (req: P<'ref'>) => answer(paymentOrderSchema, airline.markPaid(req.params.ref)));

  try {
    await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  } catch (e) {
    await scale.close();
    throw e;
  }
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('dcs-sim did not bind a TCP port');
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${address.port}`,
    airline, scale, bsms, tokens, gateOpenings,
    async close() {
      await app.close();
      await scale.close();
    },
  };
}
