// What the simulated provider accepts: its telcos and face values, and a
// loose card shape (a provider checks the card itself, not its exact length).
export const simulatorFaceValues: Record<string, number[]> = {
  VIETTEL: [10000, 20000, 30000, 50000, 100000, 200000, 300000, 500000, 1000000],
  MOBIFONE: [10000, 20000, 30000, 50000, 100000, 200000, 300000, 500000],
  VINAPHONE: [10000, 20000, 30000, 50000, 100000, 200000, 300000, 500000],
  VIETNAMOBILE: [10000, 20000, 30000, 50000, 100000, 200000, 300000, 500000],
  ZING: [10000, 20000, 50000, 100000, 200000, 500000, 1000000],
  GATE: [10000, 20000, 50000, 100000, 200000, 500000, 1000000],
};

/** Phone telcos print digits only; game cards mix letters in. */
const digitsOnly = new Set(['VIETTEL', 'MOBIFONE', 'VINAPHONE', 'VIETNAMOBILE']);

export function cardLooksValid(telco: string, code: string, serial: string): boolean {
  const pattern = digitsOnly.has(telco) ? /^[0-9]{6,20}$/ : /^[A-Za-z0-9]{6,20}$/;
  return pattern.test(code) && pattern.test(serial);
}

/** Vietnamese messages in the provider's style. */
export const messages = {
  1: 'Thành công',
  2: 'Thành công sai mệnh giá',
  3: 'Thẻ lỗi',
  4: 'Hệ thống bảo trì',
  99: 'PENDING',
  100: 'Gửi thẻ thất bại',
  missing: (field: string) => `Thiếu tham số ${field}`,
  badPartner: 'partner_id không tồn tại',
  badSign: 'Sai chữ ký',
  badCommand: 'command không hợp lệ',
  badTelco: 'Loại thẻ không hợp lệ',
  badAmount: 'Mệnh giá không hợp lệ',
  badCard: 'Mã thẻ hoặc serial không đúng định dạng',
  duplicateRequest: 'request_id đã tồn tại',
  cardInUse: 'Thẻ đã được gửi lên hệ thống',
  notFound: 'Không tìm thấy giao dịch',
  cardMismatch: 'Thông tin thẻ không khớp giao dịch',
} as const;
