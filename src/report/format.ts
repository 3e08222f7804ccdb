const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];

/** 1536 -> "1.5 KB"; binary multiples, as file managers show them. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

/** 1234567 -> "1,234,567", the same on every machine (no locale), so tests and screenshots agree. */
export function formatCount(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** An ISO timestamp as "2024-05-01 12:34 UTC"; the raw text when it does not parse. */
export function formatTime(iso: string | null): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** One precision everywhere (one decimal), so figures side by side read alike: 98.8%, 1.3%, 0.0%. */
export function percent(part: number, whole: number): string {
  if (whole === 0) return '0.0%';
  const p = (100 * part) / whole;
  if (p > 0 && p < 0.05) return '<0.1%';
  // Never round a part up to all, or down to none.
  if (p < 100 && p >= 99.95) return '>99.9%';
  return `${p.toFixed(1)}%`;
}
