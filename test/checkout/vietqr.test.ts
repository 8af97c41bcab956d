// The banking-app links a payer on a phone gets for a VietQR bank transfer.
import { describe, expect, it } from 'vitest';
import { bankAppLinks, parseVietQr } from '../../src/checkout/vietqr.js';
import { vietQr } from '../../src/sandbox/azconnectpay/fixtures.js';

const acb = { account: '37314017', account_name: 'NGUYEN THI XUAN LINH', bank: 'ACB', bank_code: 'ACB', bin: '970416' };

describe('VietQR bank-app links', () => {
  it('read the account, bank, amount and content from the VietQR payload', () => {
    expect(parseVietQr(vietQr(acb, 150000, 'ck lose cat 75603'))).toEqual({ bankBin: '970416', account: '37314017', amount: '150000', content: 'ck lose cat 75603' });
  });

  it('open each app that fills the transfer in, with the receiving bank by its NAPAS code', () => {
    const links = bankAppLinks(vietQr({ ...acb, bin: '970415', account: '113366668888' }, 790000, 'Thanh toan DH123'));
    expect(links.map((link) => link.name)).toEqual(['ACB ONE', 'BIDV SmartBanking', 'MB Bank', 'OCB OMNI', 'VietinBank iPay']);
    expect(links[0]!.url).toBe('https://dl.vietqr.io/pay?app=acb&ba=113366668888@icb&am=790000&tn=Thanh+toan+DH123');
  });

  it('are offered for nothing they cannot carry: another QR, a changed payload, a bank without a known code', () => {
    expect(bankAppLinks('2|99|0912345678|Pham Van Tai||0|0|150000|sun lose 92945|transfer_myqr')).toEqual([]); // MoMo's own QR
    const payload = vietQr(acb, 150000, 'ck lose cat 75603');
    expect(bankAppLinks(payload.replace('150000', '950000'))).toEqual([]); // checksum no longer matches
    expect(bankAppLinks(vietQr({ ...acb, bin: '970999' }, 150000, 'x'))).toEqual([]);
    expect(bankAppLinks(null)).toEqual([]);
  });
});
