// The document's appendix "Bank Code List". GET /banks is the truth; this list
// is only the fallback when /banks cannot be reached.
export interface AzConnectPayBank {
  code: string;
  name: string;
}

// The appendix ends with a stray line "KPay247" that has no code column; it is
// left out (it reads as a page footer, not a bank).
export const azConnectPayFallbackBanks: readonly AzConnectPayBank[] = Object.freeze([
  { code: 'ABB', name: 'ABBANK' },
  { code: 'ACB', name: 'ACB' },
  { code: 'AGR', name: 'Agribank' },
  { code: 'BAB', name: 'Bac A Bank' },
  { code: 'VCCB', name: 'BanVietBank' },
  { code: 'BVB', name: 'Bao Viet Bank' },
  { code: 'BIDV', name: 'BIDV' },
  { code: 'CAKE', name: 'Cake by VPBank' },
  { code: 'DAB', name: 'Dong A Bank' },
  { code: 'EIB', name: 'Eximbank' },
  { code: 'HDB', name: 'HD Bank' },
  { code: 'KLB', name: 'KienLong Bank' },
  { code: 'LPB', name: 'LienVietPostBank' },
  { code: 'MSB', name: 'Maritime Bank' },
  { code: 'MBB', name: 'MB Bank' },
  { code: 'NAB', name: 'Nam A Bank' },
  { code: 'OCB', name: 'Orient Commercial Bank' },
  { code: 'PGB', name: 'PG Bank' },
  { code: 'PVC', name: 'PVComBank' },
  { code: 'STB', name: 'Sacombank' },
  { code: 'SCB', name: 'Sai Gon Commercial Bank' },
  { code: 'SGB', name: 'Saigonbank' },
  { code: 'SEAB', name: 'SeaBank' },
  { code: 'SHB', name: 'SHB bank' },
  { code: 'SHBVN', name: 'Shinhan bank Việt Nam' },
  { code: 'TCB', name: 'Techcombank' },
  { code: 'TPB', name: 'TienPhong Bank' },
  { code: 'VIB', name: 'VIB' },
  { code: 'VBB', name: 'VietBank' },
  { code: 'VCB', name: 'Vietcombank' },
  { code: 'VTB', name: 'Vietinbank' },
  { code: 'VPB', name: 'VP Bank' },
  { code: 'MOMO', name: 'Ví Momo' },
].map((bank) => Object.freeze(bank)));

