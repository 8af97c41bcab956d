// The checkout page's script: reads the order with the client token, shows
// what the payer needs, and follows the order over graphql-ws until it is
// paid, failed, expired or under review. No framework, no build step, so
// one file (over 300 lines): the browser loads it as it is.
import { subscribe } from './graphql-ws.js';

const config = JSON.parse(document.getElementById('checkout-config').textContent);
const s = config.strings;
const $ = (id) => document.getElementById(id);

const ORDER_FIELDS = `id status amount settledAmount kind provider method reviewReason expiresAt
  instructions { bankCode bankName accountNumber accountName amount transferContent qrData qrImage deepLink phone payUrl expiresAt }`;

const OPEN = new Set(['PENDING', 'PROCESSING']);
/** A QR code has at least 21×21 modules: a smaller image is a placeholder, not something a phone can scan. */
const MIN_QR_PIXELS = 21;

let current = null;
let countdownTimer;
let linkDead = false;

const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, name) => values[name] ?? '');

/** "150.000 ₫": dots between thousands, a non-breaking space before the đồng sign. */
function formatDong(value) {
  const digits = String(value).replace(/^-/, '');
  return `${String(value).startsWith('-') ? '-' : ''}${digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.')}\u00a0₫`;
}

const isPhone = () => matchMedia('(pointer: coarse)').matches || /Android|iPhone|iPad|iPod|Mobile/i.test(navigator.userAgent);

async function graphql(query, variables) {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${config.token}` },
    body: JSON.stringify({ query, variables }),
  });
  return response.json();
}

// ---- status ----------------------------------------------------------------

function statusOf(order) {
  switch (order.status) {
    case 'PENDING':
      return ['pending', s.statusPending];
    case 'PROCESSING':
      return ['pending', s.statusProcessing];
    case 'SUCCEEDED':
      return ['paid', s.statusPaid];
    case 'FAILED':
      return ['failed', s.statusFailed];
    case 'EXPIRED':
      return ['expired', s.statusExpired];
    case 'CANCELLED':
      return ['expired', s.statusCancelled];
    case 'NEEDS_REVIEW':
      if (order.settledAmount != null && order.settledAmount !== order.amount) {
        return ['review', fill(s.statusMismatch, { received: formatDong(order.settledAmount), expected: formatDong(order.amount) })];
      }
      return ['review', s.statusReview];
    default:
      return ['review', order.status];
  }
}

function showStatus(kind, text) {
  const status = $('status');
  status.className = `status status--${kind}`;
  status.dataset.state = kind;
  if (status.textContent !== text) status.textContent = text;
}

// ---- rendering ---------------------------------------------------------------

function row(label, value, { copy = false, note } = {}) {
  const wrapper = document.createElement('div');
  wrapper.className = 'row';
  const dt = document.createElement('dt');
  dt.textContent = label;
  const dd = document.createElement('dd');
  const line = document.createElement('div');
  line.className = 'copyable';
  const text = document.createElement('span');
  text.className = 'value';
  text.textContent = value;
  text.id = `value-${label.replace(/\W+/g, '-').toLowerCase()}-${Math.random().toString(36).slice(2, 7)}`;
  line.append(text);
  if (copy) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'copy';
    button.textContent = s.copy;
    button.dataset.copy = text.id;
    button.dataset.label = label;
    button.setAttribute('aria-label', fill(s.copyLabel, { label }));
    line.append(button);
  }
  dd.append(line);
  if (note) {
    const p = document.createElement('p');
    p.className = 'note';
    p.textContent = note;
    dd.append(p);
  }
  wrapper.append(dt, dd);
  return wrapper;
}

function renderDetails(order) {
  const i = order.instructions ?? {};
  const amount = i.amount ?? order.amount;
  $('amount').textContent = formatDong(amount);
  const momo = i.bankCode === 'MOMO' || Boolean(i.phone && !i.accountNumber);
  const rows = [];
  if (momo) {
    if (i.phone) rows.push(row(s.phone, i.phone, { copy: true }));
    if (i.accountName) rows.push(row(s.momoName, i.accountName));
  } else {
    const bank = i.bankName ? (i.bankCode && i.bankCode !== i.bankName ? `${i.bankName} (${i.bankCode})` : i.bankName) : (i.bankCode ?? '');
    if (bank) rows.push(row(s.bank, bank));
    if (i.accountNumber) rows.push(row(s.accountNumber, i.accountNumber, { copy: true }));
    if (i.accountName) rows.push(row(s.accountName, i.accountName));
  }
  if (i.accountNumber || i.phone || i.transferContent) {
    // Copied as digits only: banking apps reject "150.000 ₫" in an amount field.
    const amountRow = row(s.amount, formatDong(amount), { copy: true });
    amountRow.querySelector('.value').dataset.copyValue = String(amount);
    rows.push(amountRow);
  }
  if (i.transferContent) rows.push(row(s.transferContent, i.transferContent, { copy: true, note: s.transferContentNote }));
  $('details').replaceChildren(...rows);
  $('details-heading').textContent = rows.length ? (momo ? s.momoDetails : s.transferDetails) : '';

  renderQr(i, momo);

  // The app link the provider gives (MoMo's deep link, a gateway's), on the phone that holds the app.
  const appLink = $('momo-link');
  if (i.deepLink && isPhone()) {
    appLink.href = i.deepLink;
    appLink.textContent = momo ? s.openMomo : s.openPaymentApp;
    appLink.hidden = false;
  } else appLink.hidden = true;
  renderBankApps(!momo && !i.deepLink && isPhone());

  const payUrl = $('pay-url');
  if (i.payUrl && /^https?:\/\//.test(i.payUrl)) {
    payUrl.href = i.payUrl;
    payUrl.hidden = false;
  } else payUrl.hidden = true;
}

/** VietQR.io links that open a banking app with this transfer filled in (made by the server from the QR data). */
function renderBankApps(wanted) {
  const box = $('bank-apps');
  const apps = wanted ? config.bankApps : [];
  box.hidden = apps.length === 0;
  if (box.hidden || $('bank-app-list').childElementCount) return;
  $('bank-app-list').replaceChildren(
    ...apps.map((app) => {
      const item = document.createElement('li');
      const link = document.createElement('a');
      link.href = app.url;
      link.rel = 'noopener noreferrer';
      link.textContent = app.name;
      item.append(link);
      return item;
    }),
  );
}

/** The verdict on the image last loaded: rendering again (each update) must not hide what the first load showed. */
const qrImageState = { src: null, usable: null };

function renderQr(i, momo) {
  const figure = $('qr');
  const image = $('qr-image');
  const showImage = (usable) => {
    figure.hidden = !usable;
    // No scannable image: the QR payload, below the details, for apps that accept it pasted.
    $('qr-fallback').hidden = usable || !i.qrData;
    if (!usable) $('qr-data').textContent = i.qrData ?? '';
    // A phone cannot scan its own screen: the image to save, then to pick from the photos in the banking app.
    const save = $('qr-save');
    save.href = i.qrData ? `${location.pathname.replace(/\/$/, '')}/qr.png?token=${encodeURIComponent(config.token)}` : image.src;
    save.hidden = !usable;
    $('qr-save-hint').textContent = momo ? s.saveQrHintMomo : s.saveQrHint;
    $('qr-save-hint').hidden = !usable || !isPhone();
  };
  $('qr-caption').textContent = momo ? s.scanMomo : s.scanBank;
  const providerImage = i.qrImage && /^(data:image\/|https:\/\/)/.test(i.qrImage) ? i.qrImage : null;
  // No image from the provider: the server draws one from the QR data.
  const src = providerImage ?? (i.qrData ? `${location.pathname.replace(/\/$/, '')}/qr.svg?token=${encodeURIComponent(config.token)}` : null);
  if (!src) return showImage(false);
  if (qrImageState.src === src) {
    if (qrImageState.usable !== null) showImage(qrImageState.usable);
    return;
  }
  qrImageState.src = src;
  qrImageState.usable = null;
  const judge = (usable) => {
    if (qrImageState.src !== src) return;
    // A provider image too small to scan (the sandbox sends a 1×1 placeholder): draw one from the data instead.
    if (!usable && src === providerImage && i.qrData) return renderQr({ ...i, qrImage: null }, momo);
    qrImageState.usable = usable;
    showImage(usable);
  };
  image.onload = () => judge(image.naturalWidth >= MIN_QR_PIXELS && image.naturalHeight >= MIN_QR_PIXELS);
  image.onerror = () => judge(false);
  image.src = src;
}

function render(order) {
  current = order;
  const open = OPEN.has(order.status);
  const [kind, text] = statusOf(order);
  if (open && countdownExpired(order)) showStatus('expired', s.timeUp);
  else showStatus(kind, text);
  document.body.dataset.status = order.status;
  $('amount-label').textContent = open ? s.amountToPay : s.amount;
  renderDetails(order);
  // Once settled, the transfer details would only invite a second payment.
  $('pay').hidden = !open || countdownExpired(order);
  $('sandbox').hidden = !(config.sandbox && open && !countdownExpired(order));
  showShopLinks(open ? null : order.status);
  startCountdown(order);
}

/**
 * The merchant's pages: "cancel" while the order is open, "back to the shop" once it is not
 * (a paid payer goes to the return page only; a failed or expired one to either).
 */
function showShopLinks(finalStatus) {
  const cancel = $('cancel-link');
  cancel.hidden = finalStatus !== null || !config.cancelUrl;
  if (config.cancelUrl) cancel.href = config.cancelUrl;
  const back = $('back-to-shop');
  const target = finalStatus === null ? null : finalStatus === 'SUCCEEDED' ? config.returnUrl : (config.returnUrl ?? config.cancelUrl);
  back.hidden = !target;
  if (target) back.href = target;
}

// ---- countdown -----------------------------------------------------------------

const expiryOf = (order) => {
  const at = order.expiresAt ?? order.instructions?.expiresAt;
  return at ? new Date(at).getTime() : null;
};
const countdownExpired = (order) => {
  const at = expiryOf(order);
  return at !== null && at <= Date.now();
};

function startCountdown(order) {
  clearInterval(countdownTimer);
  const at = expiryOf(order);
  const box = $('countdown');
  if (at === null || !OPEN.has(order.status)) {
    box.hidden = true;
    return;
  }
  const tick = () => {
    const left = Math.max(0, Math.floor((at - Date.now()) / 1000));
    const hours = Math.floor(left / 3600);
    const mmss = `${String(Math.floor((left % 3600) / 60)).padStart(2, '0')}:${String(left % 60).padStart(2, '0')}`;
    $('countdown-value').textContent = hours ? `${hours}:${mmss}` : mmss;
    box.classList.toggle('countdown--low', left < 120);
    if (left === 0) {
      clearInterval(countdownTimer);
      box.hidden = true;
      // The server expires the order soon; until then, stop inviting a payment.
      if (current && OPEN.has(current.status)) render(current);
    }
  };
  box.hidden = false;
  tick();
  countdownTimer = setInterval(tick, 1000);
}

// ---- copy --------------------------------------------------------------------

async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
  // Plain http (a phone on the LAN): the Clipboard API is missing, the old way still works.
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.append(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  if (!ok) throw new Error('copy refused');
}

document.addEventListener('click', async (event) => {
  const button = event.target.closest('button.copy');
  if (!button) return;
  const source = $(button.dataset.copy);
  const text = source.dataset.copyValue ?? source.textContent;
  try {
    await copyText(text);
    $('announce').textContent = fill(s.copied, { label: button.dataset.label });
    button.textContent = '✓';
    setTimeout(() => (button.textContent = s.copy), 1500);
  } catch {
    $('announce').textContent = s.copyFailed;
  }
});

// ---- sandbox ---------------------------------------------------------------------

$('simulate').addEventListener('click', async () => {
  const button = $('simulate');
  button.disabled = true;
  try {
    const response = await fetch(`/checkout/${encodeURIComponent(config.orderId)}/simulate-payment`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${config.token}` },
      body: JSON.stringify({ outcome: 'succeed' }),
    });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(body.error ?? `HTTP ${response.status}`);
    if (current && OPEN.has(current.status)) showStatus('pending', s.simulating);
  } catch (error) {
    showStatus('failed', fill(s.simulateFailed, { error: error.message }));
    button.disabled = false;
  }
});

// ---- start ---------------------------------------------------------------------------

function linkInvalid() {
  linkDead = true;
  clearInterval(countdownTimer);
  $('countdown').hidden = true;
  $('pay').hidden = true;
  $('sandbox').hidden = true;
  showStatus('expired', s.linkInvalid);
  showShopLinks(current?.status === 'SUCCEEDED' ? 'SUCCEEDED' : 'EXPIRED');
}

async function start() {
  let result;
  try {
    result = await graphql(`query Checkout($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`, { id: config.orderId });
  } catch {
    showStatus('review', s.reconnecting);
    setTimeout(start, 3000);
    return;
  }
  if (result.errors?.length || !result.data?.order) return linkInvalid();
  render(result.data.order);

  const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
  subscribe(
    {
      url: wsUrl,
      connectionParams: { authorization: `Bearer ${config.token}` },
      query: `subscription CheckoutUpdates($id: ID!) { orderUpdated(id: $id) { ${ORDER_FIELDS} } }`,
      variables: { id: config.orderId },
    },
    {
      next(payload) {
        if (payload.data?.orderUpdated) render(payload.data.orderUpdated);
      },
      error() {
        // Revoked or expired token: what is on screen can no longer be trusted to change.
        if (!current || OPEN.has(current.status)) linkInvalid();
      },
      complete() {
        if (current && OPEN.has(current.status) && !linkDead) linkInvalid();
      },
      connection(state) {
        if (state === 'reconnecting') showStatus('review', s.reconnecting);
        else if (current && !linkDead) render(current);
      },
    },
  );
}

start();
