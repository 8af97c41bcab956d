import { useState } from 'preact/hooks';
import { translate as t } from '../i18n.js';
import { announce } from './announce.js';

/** Copies a value; says so on screen and to screen readers. */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      class="button small secondary"
      aria-label={`${t('common.copy')}: ${label}`}
      onClick={async () => {
        await navigator.clipboard?.writeText(value).catch(() => {});
        setDone(true);
        announce(`${label}: ${t('common.copied')}`);
        setTimeout(() => setDone(false), 1500);
      }}
    >
      {done ? t('common.copied') : t('common.copy')}
    </button>
  );
}
