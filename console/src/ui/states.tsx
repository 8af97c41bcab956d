import { translate as t } from '../i18n.js';

export const Loading = () => (
  <p class="muted" role="status">
    {t('common.loading')}
  </p>
);

export function Failed({ error, retry }: { error: Error; retry?: () => void }) {
  return (
    <div class="notice notice-error" role="alert">
      <p>{t('common.error', { message: error.message })}</p>
      {retry && (
        <button type="button" class="button secondary" onClick={retry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}
