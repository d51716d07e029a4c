import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue';

/**
 * True while the browser is on its way to another page (WeChat's authorization page), so the button that
 * sent it keeps spinning and a second tap does nothing. Coming back with the browser's back button may
 * show this page from its cache, still "leaving": the `pageshow` of a cached page clears it.
 */
export function useLeavingFlag(): Ref<boolean> {
  const leaving = ref(false);
  function onPageShow(event: PageTransitionEvent): void {
    if (event.persisted) leaving.value = false;
  }
  onMounted(() => window.addEventListener('pageshow', onPageShow));
  onBeforeUnmount(() => window.removeEventListener('pageshow', onPageShow));
  return leaving;
}
