// Small form pieces used on several pages.
import { setLanguage, translate as t, useLanguage, type Language } from '../i18n.js';
import { Money } from './format.js';

/** A labelled <select> whose first option is "Any" (no filter). */
export function FilterSelect({ name, label, value, options }: { name: string; label: string; value: string; options: [value: string, label: string][] }) {
  return (
    <label class="field">
      <span>{label}</span>
      <select name={name} defaultValue={value}>
        <option value="">{t('common.any')}</option>
        {options.map(([optionValue, optionLabel]) => (
          <option key={optionValue} value={optionValue}>
            {optionLabel}
          </option>
        ))}
      </select>
    </label>
  );
}

export function LanguageSelect() {
  const language = useLanguage();
  return (
    <label class="language">
      <span class="visually-hidden">{t('app.language')}</span>
      <select value={language} onChange={(event) => setLanguage((event.currentTarget as HTMLSelectElement).value as Language)}>
        <option value="vi">Tiếng Việt</option>
        <option value="en">English</option>
      </select>
    </label>
  );
}

/** One amount of a list of amounts (expected, arrived …). */
export function AmountItem({ label, amount }: { label: string; amount: string | null | undefined }) {
  if (!amount) return null;
  return (
    <div>
      <dt>{label}</dt>
      <dd>
        <Money amount={amount} />
      </dd>
    </div>
  );
}
