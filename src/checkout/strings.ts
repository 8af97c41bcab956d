// What the checkout page says, in Vietnamese and English. The server fills
// the static labels into the template and hands the whole set to the script
// for what changes (status, countdown, copy feedback). `{name}` placeholders
// are filled by the script.

export const checkoutLanguages = ['vi', 'en'] as const;
export type CheckoutLanguage = (typeof checkoutLanguages)[number];

const vi = {
  title: 'Thanh toán',
  payTo: 'Thanh toán cho',
  language: 'Ngôn ngữ',
  amountToPay: 'Số tiền cần thanh toán',
  loading: 'Đang tải thông tin thanh toán…',
  noscript: 'Trang này cần JavaScript để hiển thị thông tin thanh toán và cập nhật trạng thái.',
  scanBank: 'Quét mã QR bằng ứng dụng ngân hàng',
  scanMomo: 'Quét mã QR bằng ứng dụng MoMo',
  qrAlt: 'Mã QR thanh toán',
  qrUnavailable: 'Chưa có ảnh mã QR để quét. Hãy chuyển khoản theo thông tin trên, hoặc dán dữ liệu QR này vào ứng dụng có hỗ trợ.',
  qrData: 'Dữ liệu QR',
  transferDetails: 'Thông tin chuyển khoản',
  momoDetails: 'Thông tin ví MoMo',
  bank: 'Ngân hàng',
  accountNumber: 'Số tài khoản',
  accountName: 'Chủ tài khoản',
  phone: 'Số điện thoại MoMo',
  momoName: 'Tên ví MoMo',
  amount: 'Số tiền',
  transferContent: 'Nội dung chuyển khoản',
  transferContentNote: 'Ghi chính xác nội dung này để giao dịch được xác nhận tự động.',
  copy: 'Sao chép',
  copyLabel: 'Sao chép {label}',
  copied: 'Đã sao chép {label}',
  copyFailed: 'Không sao chép được, vui lòng chọn và sao chép thủ công.',
  openMomo: 'Mở ứng dụng MoMo',
  openPayPage: 'Mở trang thanh toán',
  expiresIn: 'Hết hạn sau',
  timeUp: 'Đã hết thời gian thanh toán',
  statusPending: 'Đang chờ bạn thanh toán…',
  statusProcessing: 'Đã nhận yêu cầu, đang xác nhận giao dịch…',
  statusPaid: 'Đã thanh toán. Cảm ơn bạn!',
  statusFailed: 'Thanh toán không thành công.',
  statusExpired: 'Giao dịch đã hết hạn. Vui lòng không chuyển tiền cho giao dịch này.',
  statusCancelled: 'Giao dịch đã bị huỷ. Vui lòng không chuyển tiền cho giao dịch này.',
  statusMismatch: 'Số tiền không khớp: đã nhận {received}, cần {expected}. Người bán sẽ liên hệ với bạn.',
  statusReview: 'Đã nhận tiền, giao dịch đang được người bán kiểm tra.',
  linkInvalid: 'Liên kết thanh toán không hợp lệ, đã hết hạn hoặc đã bị thu hồi.',
  reconnecting: 'Mất kết nối, đang kết nối lại…',
  sandboxNote: 'Chế độ thử nghiệm (sandbox): không có tiền thật được chuyển.',
  simulate: 'Mô phỏng thanh toán',
  simulating: 'Đã gửi tới trình mô phỏng, đang chờ xác nhận…',
  simulateFailed: 'Không mô phỏng được thanh toán: {error}',
  orderRef: 'Mã đơn hàng',
  paymentFor: 'Đơn hàng',
  saveQr: 'Lưu ảnh mã QR',
  saveQrHint: 'Đang dùng điện thoại? Lưu ảnh mã QR, rồi mở ứng dụng ngân hàng, chọn quét mã QR và lấy ảnh này từ thư viện ảnh.',
  saveQrHintMomo: 'Đang dùng điện thoại? Lưu ảnh mã QR, rồi mở ứng dụng MoMo, chọn quét mã QR và lấy ảnh này từ thư viện ảnh.',
  openBankApp: 'Hoặc mở ứng dụng ngân hàng với thông tin chuyển khoản đã điền sẵn:',
  bankAppsNote: 'Liên kết qua VietQR.io. Kiểm tra lại số tiền và nội dung trước khi xác nhận.',
  openPaymentApp: 'Mở ứng dụng thanh toán',
  backToShop: 'Quay lại cửa hàng',
  cancelAndReturn: 'Huỷ và quay lại cửa hàng',
};

export type CheckoutStrings = typeof vi;

const en: CheckoutStrings = {
  title: 'Payment',
  payTo: 'Pay',
  language: 'Language',
  amountToPay: 'Amount to pay',
  loading: 'Loading the payment details…',
  noscript: 'This page needs JavaScript to show the payment details and follow the payment.',
  scanBank: 'Scan the QR code with your banking app',
  scanMomo: 'Scan the QR code with the MoMo app',
  qrAlt: 'Payment QR code',
  qrUnavailable: 'No QR image to scan. Transfer with the details above, or paste this QR data into an app that accepts it.',
  qrData: 'QR data',
  transferDetails: 'Bank transfer details',
  momoDetails: 'MoMo wallet details',
  bank: 'Bank',
  accountNumber: 'Account number',
  accountName: 'Account name',
  phone: 'MoMo phone number',
  momoName: 'MoMo account name',
  amount: 'Amount',
  transferContent: 'Transfer content',
  transferContentNote: 'Enter exactly this content so the payment is confirmed automatically.',
  copy: 'Copy',
  copyLabel: 'Copy {label}',
  copied: '{label} copied',
  copyFailed: 'Could not copy; please select the text and copy it by hand.',
  openMomo: 'Open the MoMo app',
  openPayPage: 'Open the payment page',
  expiresIn: 'Expires in',
  timeUp: 'The time to pay is up',
  statusPending: 'Waiting for your payment…',
  statusProcessing: 'Payment received, confirming…',
  statusPaid: 'Paid. Thank you!',
  statusFailed: 'The payment failed.',
  statusExpired: 'This payment has expired. Please do not transfer money for it.',
  statusCancelled: 'This payment was cancelled. Please do not transfer money for it.',
  statusMismatch: 'Amount mismatch: {received} received, {expected} expected. The merchant will contact you.',
  statusReview: 'Money received; the merchant is reviewing the payment.',
  linkInvalid: 'This payment link is invalid, has expired or was revoked.',
  reconnecting: 'Connection lost, reconnecting…',
  sandboxNote: 'Sandbox mode: no real money moves.',
  simulate: 'Simulate payment',
  simulating: 'Sent to the simulator, waiting for confirmation…',
  simulateFailed: 'Could not simulate the payment: {error}',
  orderRef: 'Order',
  paymentFor: 'For',
  saveQr: 'Save the QR image',
  saveQrHint: 'On your phone? Save the QR image, then open your banking app, choose to scan a QR code and pick this image from your photos.',
  saveQrHintMomo: 'On your phone? Save the QR image, then open the MoMo app, choose to scan a QR code and pick this image from your photos.',
  openBankApp: 'Or open your banking app with the transfer filled in:',
  bankAppsNote: 'Links through VietQR.io. Check the amount and the content before you confirm.',
  openPaymentApp: 'Open the payment app',
  backToShop: 'Back to the shop',
  cancelAndReturn: 'Cancel and go back to the shop',
};

export const checkoutStrings: Record<CheckoutLanguage, CheckoutStrings> = { vi, en };

const isLanguage = (value: string | null | undefined): value is CheckoutLanguage => (checkoutLanguages as readonly string[]).includes(value ?? '');

/** `?lang=` first, then the best of vi/en in Accept-Language, then Vietnamese (the payers are in Vietnam). */
export function chooseLanguage(query: string | null, acceptLanguage: string | undefined): CheckoutLanguage {
  if (isLanguage(query)) return query;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { language: tag.trim().toLowerCase().split('-')[0], q: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked.map((entry) => entry.language).find(isLanguage) ?? 'vi';
}
