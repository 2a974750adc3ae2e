/** Hash algorithms by name and by OID, as SODs, SignerInfos and RSASSA-PSS parameters name them. */
export type HashName = 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';

export const HASH_OIDS: Record<HashName, string> = {
  sha1: '1.3.14.3.2.26',
  sha224: '2.16.840.1.101.3.4.2.4',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
};
const HASH_BY_OID = new Map(Object.entries(HASH_OIDS).map(([n, o]) => [o, n as HashName]));
export const hashNameForOid = (oid: string): HashName | undefined => HASH_BY_OID.get(oid);
