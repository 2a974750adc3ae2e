/**
 * The elementary files of the eMRTD application (ICAO 9303-10): file identifier, short file
 * identifier and the tag that opens the file's content. The reader and the virtual chip both use
 * this one table, so they cannot disagree.
 */
export const EMRTD_AID = Uint8Array.of(0xa0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01);

export interface LdsFile {
  readonly name: string;
  readonly fid: number;
  readonly sfi: number;
  /** First tag of the file's content; EF.CardAccess has none (it is a bare SET). */
  readonly tag?: number;
  /** Data-group number for DG files. */
  readonly dg?: number;
}

const dg = (n: number, tag: number): LdsFile & { readonly tag: number; readonly dg: number } => ({ name: `DG${n}`, fid: 0x0100 + n, sfi: n, tag, dg: n });

export const LDS_FILES = {
  CardAccess: { name: 'EF.CardAccess', fid: 0x011c, sfi: 0x1c },
  COM: { name: 'EF.COM', fid: 0x011e, sfi: 0x1e, tag: 0x60 },
  SOD: { name: 'EF.SOD', fid: 0x011d, sfi: 0x1d, tag: 0x77 },
  DG1: dg(1, 0x61),
  DG2: dg(2, 0x75),
  DG3: dg(3, 0x63),
  DG11: dg(11, 0x6b),
  DG12: dg(12, 0x6c),
  DG13: dg(13, 0x6d),
  DG14: dg(14, 0x6e),
  DG15: dg(15, 0x6f),
} as const satisfies Record<string, LdsFile>;

/** EF.COM lists present data groups by their tags; this maps such a tag back to its file. */
export function fileForDgTag(tag: number): LdsFile | undefined {
  return Object.values(LDS_FILES).find((f: LdsFile) => f.dg !== undefined && f.tag === tag);
}

/** The file of data group `n`, or undefined for a number the LDS does not define here. */
export function fileForDg(n: number): (LdsFile & { readonly tag: number; readonly dg: number }) | undefined {
  return Object.values(LDS_FILES).find((f: LdsFile) => f.dg === n) as (LdsFile & { tag: number; dg: number }) | undefined;
}
