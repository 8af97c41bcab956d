// The frame of every page: a header (shop, sandbox, language, who is signed
// in), the menu (a button opens it on a phone), the page, one live region.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { connection, request } from '../api.js';
import { signOut } from '../auth.js';
import { graphql } from '../gql/index.js';
import { translate as t, type MessageKey } from '../i18n.js';
import { Link, useLocation } from '../router.js';
import { session } from '../session.js';
import { useStore } from '../store.js';
import { announcement } from './announce.js';
import { LanguageSelect } from './fields.js';
import { decisions } from './decisions.js';

export interface MenuEntry {
  href: string;
  label: MessageKey;
}

const QueueSize = graphql(`
  query ConsoleQueueSize {
    reviewQueue(first: 0) { totalCount }
  }
`);

export function Layout({ menu, section, children }: { menu: MenuEntry[]; section: string | undefined; children: ComponentChildren }) {
  const current = useStore(session)!;
  const live = useStore(connection);
  const message = useStore(announcement);
  const location = useLocation();
  const decided = useStore(decisions);
  const [open, setOpen] = useState(false);
  const [queueSize, setQueueSize] = useState<number>();

  // A new page: close the phone menu, take focus to its heading (screen readers announce it).
  useEffect(() => {
    setOpen(false);
    const heading = document.querySelector<HTMLElement>('main h1');
    if (heading && document.activeElement !== document.body) heading.focus();
  }, [location.path]);
  // The queue's size beside its menu entry: on every page, and after each decision.
  useEffect(() => {
    request(QueueSize, {}).then((data) => setQueueSize(data.reviewQueue.totalCount), () => {});
  }, [location.path, decided]);

  return (
    <div class="shell">
      <a class="skip" href="#main">
        {t('app.skip')}
      </a>
      <header class="topbar">
        <button type="button" class="menu-toggle" aria-expanded={open ? 'true' : 'false'} aria-controls="menu" onClick={() => setOpen(!open)}>
          <span aria-hidden="true">☰</span> {t('app.menu')}
        </button>
        <p class="brand">
          <strong>paygraph</strong> <span class="merchant">{current.merchantName}</span>
          {current.sandbox && <span class="badge badge-warn">{t('app.sandbox')}</span>}
        </p>
        <div class="topbar-tools">
          <span class={`live live-${live}`} role="status">
            {live === 'live' ? t('app.live') : live === 'retrying' ? t('app.reconnecting') : ''}
          </span>
          <LanguageSelect />
          <span class="operator">{t('app.signedInAs', { name: current.operator || 'console session' })}</span>
          <button type="button" class="button secondary small" onClick={() => void signOut()}>
            {t('app.signOut')}
          </button>
        </div>
      </header>
      <nav id="menu" class={`menu${open ? ' open' : ''}`} aria-label={t('app.menu')}>
        <ul>
          {menu.map((entry) => (
            <li key={entry.href}>
              <Link href={entry.href} aria-current={section === entry.href ? 'page' : undefined}>
                {t(entry.label)}
                {entry.href === '/review' && queueSize ? (
                  <span class="count" aria-label={`(${queueSize})`}>
                    {queueSize}
                  </span>
                ) : null}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
      <div class={`toast${message ? ` toast-${message.tone}` : ''}`} role="status" aria-live="polite" key={message?.at}>
        {message?.text}
      </div>
    </div>
  );
}
