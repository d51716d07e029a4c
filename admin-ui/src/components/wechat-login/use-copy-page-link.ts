import { ref } from 'vue';

/**
 * "Copy the link to open in WeChat": writes the page's address to the clipboard. Where the clipboard is
 * missing (an older browser, a page not served over https) or refuses, `showsLinkField` asks the page to
 * show the address in a field the visitor can select and copy by hand.
 */
export function useCopyPageLink(pageUrl: () => string) {
  const copied = ref(false);
  const showsLinkField = ref(false);

  async function copyLink(): Promise<void> {
    copied.value = false;
    try {
      // navigator.clipboard is undefined on insecure origins, although the type says otherwise.
      const clipboard = navigator.clipboard as Clipboard | undefined;
      if (!clipboard) throw new Error('no clipboard');
      await clipboard.writeText(pageUrl());
      copied.value = true;
    } catch {
      showsLinkField.value = true;
    }
  }

  return { copied, showsLinkField, copyLink };
}
