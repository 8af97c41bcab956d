// Answers in the provider's format: {"success":true,…} or the documented
// error statuses with {"success":false,"message"}.
import { json, type SimulatorRequest, type SimulatorResponse } from '../kit.js';
import type { Store, SimUser } from './store.js';

export const defaultMessages: Record<number, string> = {
  400: 'Yêu cầu không hợp lệ',
  401: 'Chưa đăng nhập hoặc token không hợp lệ',
  403: 'Gói API đã hết hạn, vui lòng gia hạn',
  404: 'Không tìm thấy',
  405: 'Method không được hỗ trợ',
  422: 'Thiếu hoặc sai trường dữ liệu',
  500: 'Lỗi server',
};

export const ok = (payload: Record<string, unknown>): SimulatorResponse => json(200, { success: true, ...payload });
export const fail = (status: number, message?: string): SimulatorResponse => json(status, { success: false, message: message ?? defaultMessages[status] ?? 'Lỗi' });

export interface Context {
  request: SimulatorRequest;
  params: Record<string, unknown>;
  store: Store;
  now: Date;
  /** Set on routes that need a token. */
  user: SimUser;
}

export const text = (params: Record<string, unknown>, key: string): string => {
  const value = params[key];
  return typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
};

/** The first missing required field, for a 422. */
export function missing(params: Record<string, unknown>, keys: string[]): string | undefined {
  return keys.find((key) => text(params, key) === '');
}

export const callerIp = (request: SimulatorRequest) => request.remoteAddress.replace(/^::ffff:(?=\d+\.)/i, '');
