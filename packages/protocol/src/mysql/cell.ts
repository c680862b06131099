// Reads a result cell as text whatever type the driver gave it (string, number, bigint, Buffer).

/** The cell as a string; '' for NULL or an unexpected type. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  return '';
}
