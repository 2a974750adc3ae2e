export * from './document.ts';
export * from './format.ts';
export { queueTicket, type QueueTicketInput, type PatientType } from './templates/queue-ticket.ts';
export { boardingPass, bcbpString, bcbpName, type BoardingPassInput, type BoardingPassLeg } from './templates/boarding-pass.ts';
export { bagTag, type BagTagInput } from './templates/bag-tag.ts';
export { visitorPass, type VisitorPassInput } from './templates/visitor-pass.ts';
export { receipt, type ReceiptInput, type ReceiptLine } from './templates/receipt.ts';
export type { TemplateOptions } from './templates/common.ts';
export * from './bitmap.ts';
