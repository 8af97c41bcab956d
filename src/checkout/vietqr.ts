// A payer whose checkout is on the phone that holds the banking app cannot
// scan the QR on its own screen. For a VietQR bank transfer the standard way
// out in Vietnam is VietQR.io's bank-app deep link
// (https://www.vietqr.io/deeplink):
//   https://dl.vietqr.io/pay?app=<app id>&ba=<account>@<bank code>&am=<amount>&tn=<content>
// which opens the chosen banking app with the transfer filled in. Only the apps
// VietQR.io documents as filling it in ("autofill") are offered; the others
// would open on their home screen and leave the payer to type everything.
// Everything here comes from the order's own VietQR payload (NAPAS/EMVCo).

/** What a VietQR account-transfer payload says. */
export interface VietQrTransfer {
  bankBin: string;
  account: string;
  amount?: string;
  content?: string;
}

/** EMVCo tag-length-value fields of one level, or null when the text is not well formed. */
function fields(text: string): Map<string, string> | null {
  const found = new Map<string, string>();
  for (let at = 0; at < text.length; ) {
    const id = text.slice(at, at + 2);
    const length = Number(text.slice(at + 2, at + 4));
    if (!/^\d\d$/.test(id) || !/^\d\d$/.test(text.slice(at + 2, at + 4)) || at + 4 + length > text.length) return null;
    found.set(id, text.slice(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return found;
}

/** CRC-16/CCITT-FALSE over the UTF-8 bytes, as EMVCo payloads end with (tag 63). */
function crc16(text: string): string {
  let crc = 0xffff;
  for (const byte of new TextEncoder().encode(text)) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

const NAPAS_GUID = 'A000000727';
/** "Transfer to an account" (QRIBFTTC would be to a card number). */
const TO_ACCOUNT = 'QRIBFTTA';

/** The transfer a VietQR payload asks for, or null (another kind of QR, a card transfer, a wrong checksum). */
export function parseVietQr(payload: string): VietQrTransfer | null {
  const crcAt = payload.length - 4;
  if (payload.slice(crcAt - 4, crcAt) !== '6304' || crc16(payload.slice(0, crcAt)) !== payload.slice(crcAt).toUpperCase()) return null;
  const top = fields(payload);
  const merchant = top?.get('38') ? fields(top.get('38')!) : null;
  if (!top || !merchant || merchant.get('00') !== NAPAS_GUID || merchant.get('02') !== TO_ACCOUNT) return null;
  const beneficiary = merchant.get('01') ? fields(merchant.get('01')!) : null;
  const bankBin = beneficiary?.get('00');
  const account = beneficiary?.get('01');
  if (!bankBin || !/^\d{6}$/.test(bankBin) || !account) return null;
  const additional = top.get('62') ? fields(top.get('62')!) : null;
  return { bankBin, account, amount: top.get('54'), content: additional?.get('08') };
}

/**
 * The bank codes VietQR.io's deep link takes in `ba` (NAPAS short names, lower
 * case), by the bank's BIN. The banks most payments go to; an account at
 * another bank gets no app links (the saved QR image still works).
 */
const bankCodeByBin: Readonly<Record<string, string>> = {
  '970436': 'vcb', // Vietcombank
  '970415': 'icb', // VietinBank
  '970418': 'bidv', // BIDV
  '970405': 'vba', // Agribank
  '970407': 'tcb', // Techcombank
  '970422': 'mb', // MB Bank
  '970416': 'acb', // ACB
  '970432': 'vpb', // VPBank
  '970423': 'tpb', // TPBank
  '970403': 'stb', // Sacombank
  '970437': 'hdb', // HDBank
  '970441': 'vib', // VIB
  '970443': 'shb', // SHB
  '970431': 'eib', // Eximbank
  '970426': 'msb', // MSB
  '970448': 'ocb', // OCB
  '970440': 'seab', // SeABank
  '970449': 'lpb', // LPBank
};

/** The banking apps VietQR.io's deep link opens with the transfer filled in (its changelog, 2024–2026). */
export const autofillBankApps: readonly { app: string; name: string }[] = [
  { app: 'acb', name: 'ACB ONE' },
  { app: 'bidv', name: 'BIDV SmartBanking' },
  { app: 'mb', name: 'MB Bank' },
  { app: 'ocb', name: 'OCB OMNI' },
  { app: 'icb', name: 'VietinBank iPay' },
];

export interface BankAppLink {
  name: string;
  url: string;
}

/** One link per banking app for this transfer, or none when the payload or its bank is not one these links can carry. */
export function bankAppLinks(qrData: string | null | undefined): BankAppLink[] {
  const transfer = qrData ? parseVietQr(qrData) : null;
  const bankCode = transfer ? bankCodeByBin[transfer.bankBin] : undefined;
  if (!transfer || !bankCode || !/^[0-9A-Za-z]+$/.test(transfer.account)) return [];
  // `ba` keeps its "@" as is (the service's rule); the rest is ordinary query encoding.
  const rest = new URLSearchParams();
  if (transfer.amount && /^\d+$/.test(transfer.amount)) rest.set('am', transfer.amount);
  if (transfer.content) rest.set('tn', transfer.content);
  const tail = rest.toString() ? `&${rest}` : '';
  return autofillBankApps.map(({ app, name }) => ({ name, url: `https://dl.vietqr.io/pay?app=${app}&ba=${transfer.account}@${bankCode}${tail}` }));
}
