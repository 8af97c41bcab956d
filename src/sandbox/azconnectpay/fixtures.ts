// Realistic-looking payment details the simulator hands out: receiving
// accounts, transfer contents like "ck lose cat 75603", a VietQR (EMVCo)
// payload with its CRC, MoMo's "2|99|phone|…" QR text and deep link, and a
// tiny PNG for qr_img.
import { randomInt } from 'node:crypto';

export interface ReceivingAccount {
  account: string;
  account_name: string;
  bank: string;
  bank_code: string;
  /** The bank's NAPAS BIN, for the VietQR payload. */
  bin: string;
}

const receivingAccounts: readonly ReceivingAccount[] = [
  { account: '37314017', account_name: 'NGUYEN THI XUAN LINH', bank: 'ACB', bank_code: 'ACB', bin: '970416' },
  { account: '0451000398217', account_name: 'TRAN VAN HUNG', bank: 'Vietcombank', bank_code: 'VCB', bin: '970436' },
  { account: '9704229201568', account_name: 'LE THI MAI', bank: 'MB Bank', bank_code: 'MBB', bin: '970422' },
];

const momoWallets = [
  { phone: '0993847905', name: 'Nguyễn Thị Nuôi' },
  { phone: '0912345678', name: 'Phạm Văn Tài' },
];

const words = ['lose', 'cat', 'small', 'movie', 'green', 'river', 'happy', 'stone', 'quick', 'lamp', 'blue', 'tree', 'cold', 'rice', 'sun', 'boat'];

const pick = <T>(list: readonly T[]): T => list[randomInt(list.length)]!;

export function pickReceivingAccount(): ReceivingAccount {
  return pick(receivingAccounts);
}

export function pickMomoWallet(): { phone: string; name: string } {
  return pick(momoWallets);
}

/** "lose cat 75603": two words and five digits; the caller checks it is not in use. */
export function transferContent(): string {
  return `${pick(words)} ${pick(words)} ${String(randomInt(10_000, 100_000))}`;
}

function tlv(id: string, value: string): string {
  return `${id}${String(value.length).padStart(2, '0')}${value}`;
}

/** CRC-16/CCITT-FALSE, as EMVCo QR payloads end with. */
function crc16(text: string): string {
  let crc = 0xffff;
  for (const byte of Buffer.from(text, 'utf8')) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

/** A VietQR payload ("00020101021238…"): bank BIN, account, amount and content. */
export function vietQr(account: ReceivingAccount, amount: number, content: string): string {
  const merchant = tlv('00', 'A000000727') + tlv('01', tlv('00', account.bin) + tlv('01', account.account)) + tlv('02', 'QRIBFTTA');
  const body =
    tlv('00', '01') + tlv('01', '12') + tlv('38', merchant) + tlv('53', '704') + tlv('54', String(amount)) + tlv('58', 'VN') + tlv('62', tlv('08', content)) + '6304';
  return body + crc16(body);
}

/** MoMo's personal QR text: "2|99|<phone>|<name>||0|0|<amount>|<content>|transfer_myqr". */
export function momoQr(wallet: { phone: string; name: string }, amount: number, content: string): string {
  return `2|99|${wallet.phone}|${wallet.name}||0|0|${amount}|${content}|transfer_myqr`;
}

export function momoDeepLink(qrData: string): string {
  const extra = encodeURIComponent(JSON.stringify({ dataExtract: Buffer.from(qrData, 'utf8').toString('base64') }));
  return `momo:///?action=p2p&extra=${extra}&url=https://momo.vn/download`;
}

/** A valid 1×1 PNG: enough for a client to render something without a QR library. */
export const QR_IMAGE = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

/** The document's appendix bank codes (the simulator's own copy: it shares nothing with the connector). */
export const defaultBanks: readonly { code: string; name: string }[] = [
  ['ABB', 'ABBANK'], ['ACB', 'ACB'], ['AGR', 'Agribank'], ['BAB', 'Bac A Bank'], ['VCCB', 'BanVietBank'], ['BVB', 'Bao Viet Bank'],
  ['BIDV', 'BIDV'], ['CAKE', 'Cake by VPBank'], ['DAB', 'Dong A Bank'], ['EIB', 'Eximbank'], ['HDB', 'HD Bank'], ['KLB', 'KienLong Bank'],
  ['LPB', 'LienVietPostBank'], ['MSB', 'Maritime Bank'], ['MBB', 'MB Bank'], ['NAB', 'Nam A Bank'], ['OCB', 'Orient Commercial Bank'],
  ['PGB', 'PG Bank'], ['PVC', 'PVComBank'], ['STB', 'Sacombank'], ['SCB', 'Sai Gon Commercial Bank'], ['SGB', 'Saigonbank'],
  ['SEAB', 'SeaBank'], ['SHB', 'SHB bank'], ['SHBVN', 'Shinhan bank Việt Nam'], ['TCB', 'Techcombank'], ['TPB', 'TienPhong Bank'],
  ['VIB', 'VIB'], ['VBB', 'VietBank'], ['VCB', 'Vietcombank'], ['VTB', 'Vietinbank'], ['VPB', 'VP Bank'], ['MOMO', 'Ví Momo'],
].map(([code, name]) => ({ code: code!, name: name! }));
