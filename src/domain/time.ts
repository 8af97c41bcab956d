// Providers print Vietnam local time (UTC+7, no daylight saving) without a zone.
const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;

/**
 * Parses "15/04/2026 09:30:00", "03/12/2015 11:41" (day first) or
 * "2015-12-31 15:11:00" as Vietnam time, returning the UTC instant.
 * Returns null for anything else, so the caller decides what a bad date means.
 */
export function parseVietnamTime(text: string): Date | null {
  const dayFirst = /^(\d{1,2})\/(\d{1,2})\/(\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
  const isoLike = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
  let parts: [number, number, number, number, number, number];
  if (dayFirst) {
    const [, d, m, y, h, min, s] = dayFirst;
    parts = [Number(y), Number(m), Number(d), Number(h), Number(min), Number(s ?? 0)];
  } else if (isoLike) {
    const [, y, m, d, h, min, s] = isoLike;
    parts = [Number(y), Number(m), Number(d), Number(h), Number(min), Number(s ?? 0)];
  } else {
    return null;
  }
  const [y, m, d, h, min, s] = parts;
  if (m < 1 || m > 12 || d < 1 || d > 31 || h > 23 || min > 59 || s > 59) return null;
  const utc = Date.UTC(y, m - 1, d, h, min, s) - VIETNAM_OFFSET_MS;
  const check = new Date(utc + VIETNAM_OFFSET_MS);
  if (check.getUTCDate() !== d || check.getUTCMonth() !== m - 1) return null; // 31/02 and friends
  return new Date(utc);
}

/** Formats an instant as Vietnam local time: "2015-12-31 15:11:00" (VNKash's `from`/`to`). */
export function formatVietnamTime(instant: Date): string {
  const local = new Date(instant.getTime() + VIETNAM_OFFSET_MS);
  return local.toISOString().slice(0, 19).replace('T', ' ');
}

/** "2026-04-01" in Vietnam's calendar. */
export function formatVietnamDate(instant: Date): string {
  return formatVietnamTime(instant).slice(0, 10);
}
