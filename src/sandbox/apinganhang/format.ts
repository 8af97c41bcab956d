// Vietnam local time as the provider prints it (UTC+7, no daylight saving).
const OFFSET_MS = 7 * 3600 * 1000;

const pad = (n: number) => String(n).padStart(2, '0');

function local(instant: Date) {
  const d = new Date(instant.getTime() + OFFSET_MS);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate(), h: d.getUTCHours(), min: d.getUTCMinutes(), s: d.getUTCSeconds() };
}

/** "15/04/2026 09:30:00" */
export function vietnamDateTime(instant: Date): string {
  const t = local(instant);
  return `${pad(t.d)}/${pad(t.m)}/${t.y} ${pad(t.h)}:${pad(t.min)}:${pad(t.s)}`;
}

/** "2026-04-15" (the calendar day in Vietnam). */
export function vietnamDate(instant: Date): string {
  const t = local(instant);
  return `${t.y}-${pad(t.m)}-${pad(t.d)}`;
}

export const epochSeconds = (instant: Date) => Math.floor(instant.getTime() / 1000);
