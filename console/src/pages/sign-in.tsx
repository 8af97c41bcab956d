import { useState } from 'preact/hooks';
import { ApiError } from '../api.js';
import { signIn } from '../auth.js';
import { translate as t } from '../i18n.js';
import { LanguageSelect } from '../ui/fields.js';
import { signInNotice } from '../session.js';
import { useStore } from '../store.js';

export function SignIn() {
  const notice = useStore(signInNotice);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setBusy(true);
    setError(undefined);
    try {
      await signIn(String(form.get('key') ?? ''), String(form.get('operator') ?? ''));
    } catch (failure) {
      setError(failure instanceof ApiError && failure.code === 'UNAUTHENTICATED' ? t('signIn.invalid') : t('common.error', { message: (failure as Error).message }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" class="sign-in">
      <form class="card sign-in-card" onSubmit={submit}>
        <p class="brand">
          <strong>paygraph</strong>
        </p>
        <div class="sign-in-head">
          <h1>{t('signIn.title')}</h1>
          <LanguageSelect />
        </div>
        {notice && (
          <p class="notice" role="status">
            {t(notice === 'expired' ? 'signIn.expired' : 'signIn.signedOut')}
          </p>
        )}
        <p class="muted">{t('signIn.lead')}</p>
        <label class="field">
          <span>{t('signIn.key')}</span>
          <input name="key" type="password" autoComplete="off" spellcheck={false} required placeholder="pg_sk_…" />
        </label>
        <label class="field">
          <span>{t('signIn.operator')}</span>
          <input name="operator" type="text" autoComplete="name" maxLength={60} />
        </label>
        {error && (
          <p class="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? t('signIn.working') : t('signIn.submit')}
        </button>
      </form>
    </main>
  );
}
