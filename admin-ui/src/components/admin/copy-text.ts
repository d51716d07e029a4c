/** What a copy button says, in the words of the place that shows it. */
export interface CopyTexts {
  /** The button, before and after a copy. */
  copy: string;
  copied: string;
  /** The button's accessible name: what it copies ("Copy the user ID"). */
  label: string;
  /** The toasts: copied, or nothing could copy and the value is selected for Ctrl+C. */
  copiedMessage: string;
  failedMessage: string;
}

/**
 * Puts text on the clipboard. `navigator.clipboard` exists only on secure origins (https, localhost), and
 * a dashboard reached over plain http on an intranet address has none: there the older copy command on a
 * selected, hidden text field still works. False when neither did; the caller then asks for Ctrl+C.
 */
export async function copyText(text: string): Promise<boolean> {
  // Undefined on insecure origins, although the type says otherwise.
  const clipboard = navigator.clipboard as Clipboard | undefined;
  if (clipboard) {
    try {
      await clipboard.writeText(text);
      return true;
    } catch {
      // Refused (no permission, page not focused): try the copy command below.
    }
  }
  return copyBySelection(text);
}

function copyBySelection(text: string): boolean {
  const field = document.createElement('textarea');
  field.value = text;
  field.setAttribute('readonly', '');
  field.style.position = 'fixed';
  field.style.opacity = '0';
  document.body.append(field);
  try {
    field.select();
    return typeof document.execCommand === 'function' && document.execCommand('copy');
  } catch {
    return false;
  } finally {
    field.remove();
  }
}

/** Selects the element's text on the page, so that the admin's own Ctrl+C copies it. */
export function selectTextOf(element: Element): void {
  const range = document.createRange();
  range.selectNodeContents(element);
  const selection = window.getSelection();
  selection?.removeAllRanges();
  selection?.addRange(range);
}
