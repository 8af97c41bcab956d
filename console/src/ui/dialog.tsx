// A modal form on the native <dialog>: focus moves in and is trapped, Escape
// closes it, focus returns to the button that opened it. Every decision that
// changes money goes through one, with a note.
import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { translate as t } from '../i18n.js';
import { ApiError } from '../api.js';
import { translateOr } from '../i18n.js';

export interface DialogProps {
  title: string;
  /** The submit button's label. */
  action: string;
  /** Whether a note is asked for (required). */
  withNote?: boolean;
  danger?: boolean;
  onClose(): void;
  /** Runs the action with the note and the form's fields; a thrown error is shown in the dialog, which stays open. */
  onSubmit(note: string, fields: FormData): Promise<void>;
  children?: ComponentChildren;
}

/** A refusal as an operator should read it: the translated refusal code when known, else the server's message. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    const code = error.details.code;
    if (typeof code === 'string') return translateOr(`refusal.${code}`, error.message);
    return error.message;
  }
  return t('common.error', { message: (error as Error)?.message ?? String(error) });
}

export function Dialog({ title, action, withNote = false, danger = false, onClose, onSubmit, children }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const id = useId();
  useEffect(() => {
    const dialog = ref.current!;
    const opener = document.activeElement as HTMLElement | null;
    dialog.showModal();
    return () => opener?.focus?.();
  }, []);

  async function submit(event: Event) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const fields = new FormData(form);
    const note = withNote ? String(fields.get('note') ?? '').trim() : '';
    if (withNote && !note) {
      setError(t('common.noteRequired'));
      (form.elements.namedItem('note') as HTMLTextAreaElement).focus();
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await onSubmit(note, fields);
      onClose();
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <dialog ref={ref} class="dialog" aria-labelledby={`${id}-title`} onClose={onClose} onCancel={onClose}>
      <form method="dialog" onSubmit={submit} noValidate>
        <h2 id={`${id}-title`}>{title}</h2>
        {children}
        {withNote && (
          <label class="field">
            <span>{t('common.note')}</span>
            <textarea name="note" rows={3} maxLength={1000} required aria-required="true" aria-invalid={error === t('common.noteRequired') ? 'true' : undefined} />
          </label>
        )}
        {error && (
          <p class="form-error" role="alert">
            {error}
          </p>
        )}
        <div class="dialog-actions">
          <button type="button" class="button secondary" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" class={`button ${danger ? 'danger' : 'primary'}`} disabled={busy} aria-busy={busy ? 'true' : undefined}>
            {action}
          </button>
        </div>
      </form>
    </dialog>
  );
}
