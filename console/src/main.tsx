// The console's entry: signed out, the sign-in page; signed in, the page the
// path names inside the frame. Pages are listed once, in `routes`.
import { render, type JSX } from 'preact';
import { useEffect } from 'preact/hooks';
import { translate as t, useLanguage, type MessageKey } from './i18n.js';
import { useLocation } from './router.js';
import { endSession, session } from './session.js';
import { useStore } from './store.js';
import { Layout } from './ui/layout.js';
import { SignIn } from './pages/sign-in.js';
import { Overview } from './pages/overview.js';
import { Orders } from './pages/orders.js';
import { OrderPage } from './pages/order.js';
import { Review } from './pages/review.js';
import { Bank } from './pages/bank.js';
import { Webhooks } from './pages/webhooks.js';
import { Providers } from './pages/providers.js';
import { Routing } from './pages/routing.js';
import { Access } from './pages/access.js';
import './styles.css';

interface Route {
  pattern: RegExp;
  page(params: string[]): JSX.Element;
  /** In the menu under this label (its href is the section of the pages below it). */
  menu?: MessageKey;
  /** The menu entry this page belongs to. */
  section: string;
}

const routes: Route[] = [
  { pattern: /^\/$/, page: () => <Overview />, menu: 'nav.overview', section: '/' },
  { pattern: /^\/orders$/, page: () => <Orders />, menu: 'nav.orders', section: '/orders' },
  { pattern: /^\/orders\/([0-9a-fA-F-]{36})$/, page: ([id]) => <OrderPage id={id!} />, section: '/orders' },
  { pattern: /^\/review$/, page: () => <Review />, menu: 'nav.review', section: '/review' },
  { pattern: /^\/bank$/, page: () => <Bank />, menu: 'nav.bank', section: '/bank' },
  { pattern: /^\/webhooks$/, page: () => <Webhooks />, menu: 'nav.webhooks', section: '/webhooks' },
  { pattern: /^\/providers$/, page: () => <Providers />, menu: 'nav.providers', section: '/providers' },
  { pattern: /^\/routing$/, page: () => <Routing />, menu: 'nav.routing', section: '/routing' },
  { pattern: /^\/access$/, page: () => <Access />, menu: 'nav.access', section: '/access' },
];

const menu = routes.filter((route) => route.menu).map((route) => ({ href: route.section, label: route.menu! }));

/** A page, remounted (so it reads the API again) when its key changes. */
const Page = ({ render }: { render: () => JSX.Element }) => render();

function NotFound() {
  return <h1 tabIndex={-1}>404</h1>;
}

function App() {
  useLanguage(); // every text follows the language
  const current = useStore(session);
  const location = useLocation();

  // The session ends by itself at its key's expiry.
  useEffect(() => {
    if (!current) return;
    const timer = setTimeout(() => endSession('expired'), Math.max(0, new Date(current.expiresAt).getTime() - Date.now()));
    return () => clearTimeout(timer);
  }, [current]);

  useEffect(() => {
    document.title = t('app.title');
  });

  if (!current) return <SignIn />;
  for (const route of routes) {
    const match = route.pattern.exec(location.path);
    if (match) {
      return (
        <Layout menu={menu} section={route.section}>
          <Page key={`${route.section}:${location.visit}`} render={() => route.page(match.slice(1))} />
        </Layout>
      );
    }
  }
  return (
    <Layout menu={menu} section={undefined}>
      <NotFound />
    </Layout>
  );
}

render(<App />, document.getElementById('app')!);
