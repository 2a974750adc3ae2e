/**
 * The airport's ports over the HTTP contract of docs/airport-integration.md: the airline's DCS, the
 * baggage system's BSM inbox, the airport's biometric token store and an e-gate's door. Each is a
 * thin mapping of its port's calls to paths; ./http-service.ts does the transport and the checking.
 */
import { z } from 'zod';
import {
  boardingListSchema, boardResultSchema, bookingSearchSchema, checkInResultSchema, doorOpenSchema, flightSearchSchema, issuedSchema, paymentOrderSchema, quoteSchema,
  seatMapSchema, tokenSchema,
} from '../common/contract.ts';
import type { BaggageMessages, BiometricTokens, DepartureControl, Door } from '../common/ports.ts';
import { httpService, seg, type ServiceOptions } from './http-service.ts';

export function httpDepartureControl(options: ServiceOptions): DepartureControl {
  const dcs = httpService('DCS', options);
  return {
    findBookings: async (query) => (await dcs.call('POST', '/bookings/search', bookingSearchSchema, query)).bookings,
    seatMap: (flightId) => dcs.call('GET', `/flights/${seg(flightId)}/seat-map`, seatMapSchema),
    quote: (request) => dcs.call('POST', '/quotes', quoteSchema, request),
    createPayment: (quoteId) => dcs.call('POST', '/payments', paymentOrderSchema, { quoteId }),
    payment: (orderId) => dcs.call('GET', `/payments/${seg(orderId)}`, paymentOrderSchema),
    checkIn: (request) => dcs.call('POST', '/check-ins', checkInResultSchema, request),
    issue: (request) => dcs.call('POST', '/boarding-passes', issuedSchema, request),
    findFlights: async (q) => (await dcs.call('POST', '/flights/search', flightSearchSchema, q)).flights,
    boardingList: (flightId) => dcs.call('GET', `/flights/${seg(flightId)}/boarding-list`, boardingListSchema),
    board: async (flightId, passengerId) => ({ at: (await dcs.call('POST', `/flights/${seg(flightId)}/boardings`, boardResultSchema, { passengerId })).at }),
  };
}

export function httpBaggageMessages(options: ServiceOptions): BaggageMessages {
  const inbox = httpService('BSM', options);
  return { send: async (bsm) => void (await inbox.call('POST', '', z.object({ accepted: z.literal(true) }), { message: bsm })) };
}

export function httpBiometricTokens(options: ServiceOptions): BiometricTokens {
  const store = httpService('TOKEN', options);
  return {
    register: (token) => store.call('POST', '/tokens', z.object({ tokenId: tokenSchema.shape.tokenId }), token),
    delete: async (tokenId) => void (await store.call('DELETE', `/tokens/${seg(tokenId)}`, z.unknown())),
    byFlight: async (flightId) => (await store.call('GET', `/flights/${seg(flightId)}/tokens`, z.object({ tokens: z.array(tokenSchema) }))).tokens,
  };
}

export function httpDoor(options: ServiceOptions): Door {
  const gate = httpService('EGATE', options);
  return { open: async (reason) => void (await gate.call('POST', '/open', doorOpenSchema, reason)) };
}
