import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError, type Command } from '../command.ts';
import { choiceOption, numberOption } from '../options.ts';
import { checkCardWithProfile, profileCheckText } from '../read-profile.ts';
import { cardReaderConfig, type CardReaderConfig } from '../../core/config/schema.ts';
import { loadProfile, type LoadedProfile } from '../../host/config-loader.ts';
import type { CccdDocument } from '../../core/cccd/document.ts';
import { cardKeyFromScan, type CardKey } from '../../core/cccd/card-key.ts';
import { canFromIdNumber, documentNumberFromIdNumber } from '../../core/cccd/id-number.ts';
import { parseCardQr } from '../../core/cccd/qr.ts';
import { isKioskError } from '../../core/errors.ts';
import type { AccessKey } from '../../core/icao/access.ts';
import { bacKeyFromMrz, mrzInformation, parseMrz } from '../../core/icao/mrz.ts';
import type { PassiveAuthResult } from '../../core/icao/passive-auth.ts';
import { readDocument, type DocumentReadResult } from '../../core/cccd/read-document.ts';
import { verifiedPortrait } from '../../core/icao/portrait.ts';
import { portraitAsJpeg } from '../../platform/image/decode.ts';
import { loadTrustStore } from '../../platform/trust/trust-store.ts';
import { personaIds, personaKeys } from '../../host/demo-wiring.ts';
import { openCardReader } from '../../host/wiring/card-reader.ts';

/** The virtual card's field behaviours, as the profile schema names them. */
const SIMULATE = cardReaderConfig.shape.simulate.unwrap().options;

const usage = [
  'Usage: cccd-kiosk read [--reader PATTERN|virtual] KEY [--trust PATH] [--out DIR] [--json]',
  '       cccd-kiosk read --profile NAME|PATH KEY [--reader PATTERN|virtual] [--persona NAME] [--simulate KIND] [--json]',
  '',
  'Reads a chip ID card or passport, prints the holder data and whether it is authentic.',
  'With --profile: applies that site\'s whole trust policy to the card instead (its reader and trust',
  'store, the clone check, its central service and offline policy, the kiosk\'s document rules) and',
  'prints the verdicts and the decision the kiosk would take, with its code (docs/security.md); no',
  'personal data. KEY is then --id, --qr or --mrz, as at the kiosk. The central request is the basic',
  'variant (no camera here) and leaves nothing queued.',
  'KEY (one of, or --can/--id/--qr together with an MRZ option as BAC fallback):',
  '  --mrz MRZ                   the whole MRZ (TD1 90, TD2 72, TD3 88 characters; lines by newlines or run together)',
  '  --doc NUM --dob YYMMDD --doe YYMMDD   document number, date of birth, date of expiry',
  '  --can NNNNNN                card access number for PACE (CCCD: last 6 digits of the ID)',
  '  --id NNNNNNNNNNNN           the 12-digit CCCD ID number (gives the CAN; with --dob/--doe also BAC)',
  '  --qr TEXT                   the text of the card\'s QR code (gives the ID number)',
  'Options:',
  '  --reader PATTERN|virtual    PC/SC reader name (case-insensitive substring or /regex/), or the built-in virtual card',
  '  --persona NAME              virtual card persona (default nguyen-van-an; implies --reader virtual), and the key',
  '                              that opens it (invented people):',
  ...personaKeys.map((k) => `                                ${k.persona.padEnd(24)}${k.idNumber ? `--id ${k.idNumber}` : `--doc ${k.mrz.documentNumber} --dob ${k.mrz.dateOfBirth} --doe ${k.mrz.dateOfExpiry}`}`),
  '  --trust PATH                CSCA certificates / master lists / CRLs (file or folder) for passive authentication;',
  '                              without it the virtual card is checked against the demo\'s own CSCA (the test PKI',
  '                              that signed it, as the demo kiosk does), a PC/SC card against nothing',
  '  --profile NAME|PATH         a site profile (kiosk-config/NAME.yaml or a path): decide as that kiosk would',
  `  --simulate KIND             with --profile, a virtual card that behaves so: ${SIMULATE.join(', ')}`,
  '  --out DIR                   save the portrait as DIR/portrait.jpg',
  '  --json                      print one JSON object (stable shape) instead of text',
  '  --le auto|short|extended    READ BINARY size strategy (default auto)',
  '  --timeout SECONDS           how long to wait for a card (default 20)',
  '',
  'Exit status: 0 read and PA_OK or PA_NO_TRUST_ANCHOR; 2 no reader or no card; 3 access denied',
  '(wrong key); 4 passive authentication failed; 1 anything else. MRZ, CAN and keys are never printed.',
  'The clone verdict (CHIP_GENUINE / CHIP_CLONE_SUSPECTED / CHIP_NOT_CHECKED) is reported beside the PA',
  'verdict; it does not change the exit status. With --profile: 0 the card is accepted, 5 it is not',
  '(the decision says whether staff or a refusal), 2/3/1 as above when the card cannot be read.',
].join('\n');

const EXIT = { OK: 0, OTHER: 1, NO_CARD: 2, ACCESS_DENIED: 3, PA_FAILED: 4, NOT_ACCEPTED: 5 } as const;

function exitCodeFor(code: string): number {
  if (['NO_READER', 'NO_CARD', 'CARD_REMOVED'].includes(code)) return EXIT.NO_CARD;
  if (['ACCESS_DENIED_WRONG_KEY', 'ACCESS_NEEDS_MRZ'].includes(code)) return EXIT.ACCESS_DENIED;
  return EXIT.OTHER;
}

interface Values {
  mrz?: string; doc?: string; dob?: string; doe?: string; can?: string; id?: string; qr?: string;
}

/** Builds the access key from the options; mistakes are usage errors that never echo the secret. */
export function accessKeyFromOptions(v: Values): AccessKey {
  let mrzInfo: string | undefined;
  let can: string | undefined;
  const asUsage = (what: string, f: () => string): string => {
    try {
      return f();
    } catch (e) {
      throw new UsageError(`${what}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  if (v.mrz) mrzInfo = asUsage('--mrz', () => mrzInformation(bacKeyFromMrz(parseMrz(v.mrz!))));
  let id = v.id;
  if (v.qr) {
    const qrId = asUsage('--qr', () => {
      const qr = parseCardQr(v.qr!);
      if (!qr.idNumber) throw new Error('no 12-digit ID number recognised in the QR text');
      return qr.idNumber;
    });
    if (id && id !== qrId) throw new UsageError('--id and --qr name different ID numbers');
    id = qrId;
  }
  if (id) can = asUsage('--id', () => canFromIdNumber(id!));
  if (v.can) {
    if (!/^\d{6}$/.test(v.can)) throw new UsageError('--can must be 6 digits');
    can = v.can;
  }
  if (v.doc || v.dob || v.doe) {
    const doc = v.doc ?? (id ? documentNumberFromIdNumber(id) : undefined);
    if (!doc || !v.dob || !v.doe) throw new UsageError('--doc (or --id), --dob and --doe go together');
    if (mrzInfo) throw new UsageError('give either --mrz or --doc/--dob/--doe');
    mrzInfo = asUsage('--doc/--dob/--doe', () => mrzInformation({ documentNumber: doc, dateOfBirth: v.dob!, dateOfExpiry: v.doe! }));
  }
  if (can) return { kind: 'can', can, ...(mrzInfo ? { mrzInformation: mrzInfo } : {}) };
  if (mrzInfo) return { kind: 'mrz', mrzInformation: mrzInfo };
  throw new UsageError('a key is required: --mrz, --doc/--dob/--doe, --can, --id or --qr');
}

/** The key as the kiosk takes it (the card's QR, the typed ID, or an MRZ), for --profile. */
export function cardKeyFromOptions(v: Values): CardKey {
  const given = [v.id, v.qr, v.mrz].filter((x) => x !== undefined).length;
  if (given !== 1 || v.can || v.doc || v.dob || v.doe) throw new UsageError('with --profile give one of --id, --qr or --mrz, as at the kiosk');
  if (v.id) {
    if (!/^\d{12}$/.test(v.id)) throw new UsageError('--id must be 12 digits');
    return { kind: 'id-number', idNumber: v.id, source: 'typed-id' };
  }
  try {
    // The kiosk's own scan parsing: a QR gives the ID (and dates for a BAC-only chip), an MRZ the BAC key.
    return cardKeyFromScan((v.qr ?? v.mrz)!);
  } catch (e) {
    throw new UsageError(`${v.qr ? '--qr' : '--mrz'}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Every PC/SC reader: what `read` uses when no option names one. */
const ANY_PCSC_READER: CardReaderConfig = cardReaderConfig.parse({ adapter: 'pcsc' });

/** The card reader the options name (`--reader PATTERN|virtual`, `--persona`, `--simulate`), else `current`. */
function readerFromOptions(current: CardReaderConfig, v: { reader?: string; persona?: string; simulate?: string }): CardReaderConfig {
  if (v.simulate && !(SIMULATE as readonly string[]).includes(v.simulate)) throw new UsageError(`--simulate must be one of ${SIMULATE.join(', ')}`);
  if (v.reader === 'virtual' || v.persona !== undefined || v.simulate !== undefined) {
    return {
      adapter: 'virtual',
      persona: v.persona ?? (current.adapter === 'virtual' ? current.persona : 'nguyen-van-an'),
      simulate: (v.simulate as CardReaderConfig['simulate'] | undefined) ?? (current.adapter === 'virtual' ? current.simulate : 'genuine'),
      companions: [],
    };
  }
  return v.reader ? { adapter: 'pcsc', readerPattern: v.reader, persona: current.persona, simulate: 'genuine', companions: [] } : current;
}

/** The profile with its card reader replaced by the one named on the command line, if any. */
function withReader(profile: LoadedProfile, v: { reader?: string; persona?: string; simulate?: string }): LoadedProfile {
  const cardReader = readerFromOptions(profile.config.devices.cardReader, v);
  return { ...profile, config: { ...profile.config, devices: { ...profile.config.devices, cardReader } } };
}

const nul = <T>(v: T | undefined): T | null => (v === undefined ? null : v);

/** The stable --json shape (documented in the usage of issue 3 item 10). */
export function jsonReport(r: DocumentReadResult, readerName: string, portraitFile?: string): Record<string, unknown> {
  const d: CccdDocument = r.document;
  const pa: PassiveAuthResult = r.passiveAuth;
  return {
    document: {
      kind: d.kind, idNumber: nul(d.idNumber), documentNumber: d.documentNumber, fullName: d.fullName,
      dateOfBirth: nul(d.dateOfBirth), sex: d.sex, nationality: d.nationality, ethnicity: nul(d.ethnicity), religion: nul(d.religion),
      placeOfOrigin: nul(d.placeOfOrigin), placeOfResidence: nul(d.placeOfResidence), identifyingMarks: nul(d.identifyingMarks),
      dateOfIssue: nul(d.dateOfIssue), dateOfExpiry: nul(d.dateOfExpiry), expiryText: nul(d.expiryText),
      fatherName: nul(d.fatherName), motherName: nul(d.motherName), parents: d.parents, spouse: d.spouse, oldIdNumber: nul(d.oldIdNumber),
      mrz: { ...d.mrz, dateOfBirth: nul(d.mrz.dateOfBirth), dateOfExpiry: nul(d.mrz.dateOfExpiry) },
      portrait: d.portrait ? { format: d.portrait.format, width: d.portrait.width, height: d.portrait.height, bytes: d.portrait.bytes.length, file: nul(portraitFile) } : null,
      findings: d.findings,
    },
    passiveAuth: {
      verdict: pa.verdict, reasons: pa.reasons, hashAlgorithm: nul(pa.hashAlgorithm), signatureAlgorithm: nul(pa.signatureAlgorithm),
      dataGroups: pa.dataGroups, dsc: nul(pa.dsc), csca: nul(pa.csca),
    },
    chipAuthenticity: r.chip.chipAuthenticity,
    reader: readerName,
    accessMethod: r.chip.accessMethod,
    paceFallback: nul(r.chip.paceFallback),
    extendedLength: r.chip.extendedLength,
    filesRead: [...r.chip.files.keys()],
    skipped: r.chip.skipped,
    apduCount: r.chip.apduCount,
    bytesRead: r.chip.bytesRead,
    timingsMs: r.timingsMs,
  };
}

function textReport(r: DocumentReadResult, readerName: string, trustSource: string, portraitFile?: string): string {
  const d = r.document;
  const rows: [string, string | undefined][] = [
    ['Document', `${d.kind} ${d.documentNumber}`],
    ['ID number', d.idNumber], ['Full name', d.fullName], ['Date of birth', d.dateOfBirth], ['Sex', d.sex],
    ['Nationality', d.nationality], ['Ethnicity', d.ethnicity], ['Religion', d.religion],
    ['Place of origin', d.placeOfOrigin], ['Place of residence', d.placeOfResidence], ['Identifying marks', d.identifyingMarks],
    ['Date of issue', d.dateOfIssue], ['Date of expiry', d.dateOfExpiry ?? d.expiryText],
    ['Parents', d.parents.join(', ') || undefined], ['Spouse', d.spouse.join(', ') || undefined], ['Old ID number', d.oldIdNumber],
    ['Portrait', d.portrait ? `${d.portrait.format} ${d.portrait.width}x${d.portrait.height}, ${d.portrait.bytes.length} bytes${portraitFile ? ` → ${portraitFile}` : ''}` : undefined],
  ];
  const lines = rows.filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => `${k.padEnd(20)} ${v}`);
  for (const f of d.findings) lines.push(`${'Consistency'.padEnd(20)} ${f.code} (${f.field})`);
  const pa = r.passiveAuth;
  const t = r.timingsMs;
  lines.push(
    '',
    `${'Passive auth'.padEnd(20)} ${pa.verdict}${pa.reasons.length ? ` (${pa.reasons.join(', ')})` : ''}`,
    `${'Trust store'.padEnd(20)} ${trustSource}`,
    `${'Chip genuine?'.padEnd(20)} ${r.chip.chipAuthenticity.verdict} (CA ${r.chip.chipAuthenticity.chipAuthentication}, AA ${r.chip.chipAuthenticity.activeAuthentication}${r.chip.chipAuthenticity.reasons.length ? `: ${r.chip.chipAuthenticity.reasons.join(', ')}` : ''})`,
    `${'Access'.padEnd(20)} ${r.chip.accessMethod}${r.chip.paceFallback ? ` (PACE not used: ${r.chip.paceFallback})` : ''} on ${readerName}`,
    `${'Read'.padEnd(20)} ${r.chip.apduCount} APDUs, ${r.chip.bytesRead} bytes, ${r.chip.extendedLength ? 'extended length' : 'short reads'}`,
    `${'Timings (ms)'.padEnd(20)} select ${t.select}, access ${t.access}, EF.COM ${t.com}, EF.SOD ${t.sod}, data groups ${t.dataGroups}, CA ${t.chipAuthentication}, AA ${t.activeAuthentication}, parse ${t.parse}, PA ${t.passiveAuth}, total ${t.total}`,
  );
  return lines.join('\n');
}

const command: Command = {
  name: 'read',
  summary: 'Read a chip ID card (CCCD) or passport and check that its data is authentic',
  usage,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        reader: { type: 'string' }, persona: { type: 'string' },
        mrz: { type: 'string' }, doc: { type: 'string' }, dob: { type: 'string' }, doe: { type: 'string' },
        can: { type: 'string' }, id: { type: 'string' }, qr: { type: 'string' },
        trust: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean', default: false },
        le: { type: 'string', default: 'auto' }, timeout: { type: 'string', default: '20' },
        profile: { type: 'string' }, simulate: { type: 'string' },
      },
      strict: true,
    });
    if (values.persona && !personaIds.includes(values.persona)) throw new UsageError(`unknown persona "${values.persona}"`);
    if (values.persona && values.reader && values.reader !== 'virtual') throw new UsageError('--persona needs --reader virtual');
    const le = choiceOption(values.le, '--le', ['auto', 'short', 'extended']);
    const timeoutMs = numberOption(values.timeout, '--timeout', { min: 0.1, max: 3600, fraction: true })! * 1000;
    const fail = (e: unknown): number => {
      if (!isKioskError(e)) throw e;
      if (values.json) console.log(JSON.stringify({ error: { code: e.code, message: e.message } }));
      else console.error(`cccd-kiosk read: ${e.code}: ${e.message}`);
      return exitCodeFor(e.code);
    };

    if (values.profile) {
      if (values.trust || values.out || le !== 'auto') throw new UsageError('--trust, --out and --le do not go with --profile: the profile decides');
      const profile = withReader(loadProfile(values.profile), values);
      const key = cardKeyFromOptions(values);
      try {
        const check = await checkCardWithProfile(profile, key, timeoutMs);
        console.log(values.json ? JSON.stringify(check) : profileCheckText(check));
        return check.decision.accepted ? EXIT.OK : EXIT.NOT_ACCEPTED;
      } catch (e) {
        return fail(e);
      }
    }
    if (values.simulate) throw new UsageError('--simulate goes with --profile');

    const access = accessKeyFromOptions(values);
    const given = values.trust ? loadTrustStore(values.trust) : undefined;

    const reader = await openCardReader(readerFromOptions(ANY_PCSC_READER, values));
    if (reader.adapter === 'virtual') reader.port.insert(reader.card.chip);
    const { port } = reader;
    // The demo's card comes with the demo's trust store: the test CSCA that signed it.
    const cardTrust = reader.adapter === 'virtual' ? reader.card.trust : undefined;
    const trust = given ?? cardTrust;
    const trustSource = values.trust ? values.trust : cardTrust ? 'the demo\'s own CSCA (test PKI) that signed the virtual card' : 'none (give --trust)';
    try {
      const info = await port.waitForCard({ timeoutMs });
      const transport = await port.connect(info.name);
      let result: DocumentReadResult;
      try {
        result = await readDocument(transport, { access, le, ...(trust ? { trust } : {}) });
      } finally {
        await transport.close().catch(() => undefined);
      }
      let portraitFile: string | undefined;
      // Only a portrait the SOD signs is decoded (and written).
      const portrait = values.out ? verifiedPortrait(result) : undefined;
      if (values.out && portrait) {
        mkdirSync(values.out, { recursive: true });
        portraitFile = join(values.out, 'portrait.jpg');
        writeFileSync(portraitFile, await portraitAsJpeg(portrait));
      }
      console.log(values.json ? JSON.stringify(jsonReport(result, info.name, portraitFile)) : textReport(result, info.name, trustSource, portraitFile));
      const v = result.passiveAuth.verdict;
      return v === 'PA_OK' || v === 'PA_NO_TRUST_ANCHOR' ? EXIT.OK : EXIT.PA_FAILED;
    } catch (e) {
      return fail(e);
    } finally {
      await port.close();
    }
  },
};

export default command;
