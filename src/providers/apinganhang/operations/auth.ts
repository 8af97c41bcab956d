// Session operations: ping (no token), login, profile, logout.
import type { Answer, ApiNganHangHttp } from '../client.js';
import { profileAnswerSchema, simpleAnswerSchema, type UserWire } from '../schemas.js';

export interface ApiNganHangUser {
  id: number;
  username: string;
  email: string | null;
  level: string | null;
  /** The account balance at API Ngân hàng (đồng). */
  money: bigint;
  /** When the API package expires (time_momo). */
  packageExpiresAt: Date | null;
  telegramChatId: string | null;
}

export function toUser(wire: UserWire): ApiNganHangUser {
  return {
    id: wire.id,
    username: wire.username,
    email: wire.email ?? null,
    level: wire.level === null || wire.level === undefined ? null : String(wire.level),
    money: wire.money,
    packageExpiresAt: wire.time_momo ?? null,
    telegramChatId: wire.id_telegram === null || wire.id_telegram === undefined ? null : String(wire.id_telegram),
  };
}

export function authOperations(http: ApiNganHangHttp) {
  return {
    /** GET /ping.php: true when the API answers {"ok":true}. */
    ping: () => http.ping(),
    /** Logs in now and caches the token; the token itself is never returned. */
    async login(): Promise<Answer<ApiNganHangUser>> {
      const answer = await http.login();
      return { data: toUser(answer.data), raw: answer.raw };
    },
    /** The current user; also a cheap way to check the token. The profile's `token` field is dropped. */
    async profile(): Promise<Answer<ApiNganHangUser>> {
      const answer = await http.json('profile', { idempotency: 'safe' }, profileAnswerSchema);
      return { data: toUser(answer.data.data), raw: answer.raw };
    },
    /** Cancels the token at the provider and forgets it here (the next call logs in again). */
    async logout(): Promise<void> {
      await http.json('logout', { body: {}, idempotency: 'safe' }, simpleAnswerSchema);
      http.forgetToken();
    },
  };
}
